import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "@tiffin/core";
import type { JwtConfig } from "./auth-config.js";
import type { Config } from "./config.js";

/** The verified way tokens are checked once the embedded default has a secret. */
export type ResolvedJwt = Exclude<JwtConfig, { kind: "generate" } | { kind: "missing" }>;

export interface JwtResolution {
  readonly jwt: ResolvedJwt;
  /** Set when the secret came from (or was just written to) the data folder. */
  readonly storedAt?: string;
  readonly generated: boolean;
}

const SECRET_FILE = "jwt-secret";

/**
 * Gives embedded mode a dev JWT secret: reads `<dataDir>/jwt-secret`, or generates one and stores it there
 * (mode 0600) so tokens minted by `tiffin token` keep working across restarts. Other modes pass through; with a
 * server database and neither variable set it stops the command naming TIFFIN_JWT_SECRET.
 */
export async function resolveJwt(config: Config): Promise<JwtResolution> {
  if (config.jwt.kind === "missing") {
    throw new ConfigError("TIFFIN_JWT_SECRET", "is required (or TIFFIN_JWT_JWKS_URL) when TIFFIN_DATABASE_URL is set");
  }
  if (config.jwt.kind !== "generate") return { jwt: config.jwt, generated: false };
  const path = join(config.dataDir, SECRET_FILE);
  try {
    const secret = (await readFile(path, "utf8")).trim();
    if (secret.length >= 32) return { jwt: { kind: "secret", secret }, storedAt: path, generated: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const secret = randomBytes(32).toString("base64url");
  await mkdir(config.dataDir, { recursive: true });
  await writeFile(path, `${secret}\n`, { mode: 0o600 });
  return { jwt: { kind: "secret", secret }, storedAt: path, generated: true };
}
