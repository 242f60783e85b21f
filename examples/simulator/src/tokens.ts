import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { SignJWT } from "jose";

/** The file `tiffin start` writes its generated dev secret to, inside the data folder (embedded mode). */
export const SECRET_FILE = "jwt-secret";

/**
 * The HS256 secret the server verifies tokens with: `TIFFIN_JWT_SECRET`, else the dev secret that embedded
 * `tiffin start` generated in `<TIFFIN_DATA_DIR>/jwt-secret` (default data folder `./.tiffin/data`).
 */
export async function resolveSecret(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const fromEnv = env.TIFFIN_JWT_SECRET?.trim();
  if (fromEnv) return fromEnv;
  const path = join(env.TIFFIN_DATA_DIR ?? "./.tiffin/data", SECRET_FILE);
  try {
    return (await readFile(path, "utf8")).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    throw new Error(`no JWT secret: set TIFFIN_JWT_SECRET, or TIFFIN_DATA_DIR to the data folder of a running \`tiffin start\` (looked in ${path})`);
  }
}

export type Role = "customer" | "restaurant" | "courier" | "admin";

/**
 * Mints dev JWTs with the claims the API reads (`sub`, `role`, `restaurant_id` for staff), as an identity
 * provider would. Tokens are cached per principal: a simulated person keeps one token for the whole run.
 */
export class TokenMinter {
  private readonly key: Uint8Array;
  private readonly cache = new Map<string, Promise<string>>();

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  token(role: Role, sub: string, restaurantId?: string): Promise<string> {
    const cacheKey = `${role}:${sub}:${restaurantId ?? ""}`;
    let token = this.cache.get(cacheKey);
    if (token === undefined) {
      token = new SignJWT({ role, ...(restaurantId === undefined ? {} : { restaurant_id: restaurantId }) })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setSubject(sub)
        .setIssuedAt()
        .setExpirationTime("12h")
        .sign(this.key);
      this.cache.set(cacheKey, token);
    }
    return token;
  }
}
