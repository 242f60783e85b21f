import { ConfigError } from "./config-error.js";

/** The environment as read by the config: a plain string map, so tests pass their own. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The variable's value trimmed, or undefined when unset or blank (an empty variable counts as unset). */
export function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

export function required(env: Env, name: string, why: string): string {
  const value = optional(env, name);
  if (value === undefined) throw new ConfigError(name, `is required ${why}`);
  return value;
}

export function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const value = optional(env, name) ?? fallback;
  if (!(values as readonly string[]).includes(value)) {
    throw new ConfigError(name, `must be one of ${values.join(", ")}; got "${value}"`);
  }
  return value as T;
}

export function integer(env: Env, name: string, fallback: number, bounds: { min: number; max: number }): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || value < bounds.min || value > bounds.max) {
    throw new ConfigError(name, `must be an integer in ${bounds.min}..${bounds.max}; got "${raw}"`);
  }
  return value;
}

export function fraction(env: Env, name: string, fallback: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new ConfigError(name, `must be a number in 0..1; got "${raw}"`);
  }
  return value;
}

export function url(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = optional(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL (${protocols.join(" or ")}); got a malformed value`);
  }
  if (!protocols.includes(parsed.protocol.replace(/:$/, ""))) {
    throw new ConfigError(name, `must use ${protocols.join(" or ")}; got "${parsed.protocol.replace(/:$/, "")}"`);
  }
  return raw;
}

/** `host:port`, as emulator variables are written. */
export function hostPort(env: Env, name: string): string | undefined {
  const raw = optional(env, name);
  if (raw === undefined) return undefined;
  if (!/^[\w.-]+:\d{1,5}$/.test(raw)) throw new ConfigError(name, `must be host:port; got "${raw}"`);
  return raw;
}

/** `true` or `false`; anything else names the variable. */
export function flag(env: Env, name: string, fallback: boolean): boolean {
  const value = optional(env, name);
  if (value === undefined) return fallback;
  if (value !== "true" && value !== "false") throw new ConfigError(name, `must be "true" or "false"; got "${value}"`);
  return value === "true";
}
