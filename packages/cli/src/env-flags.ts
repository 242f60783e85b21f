import { ConfigError, type Env } from "@tiffin/runtime";

/** A true/false variable, or undefined when unset; anything else stops start-up naming it. */
export function optionalFlag(env: Env, name: string): boolean | undefined {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === "") return undefined;
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  throw new ConfigError(name, `must be true or false; got "${raw}"`);
}
