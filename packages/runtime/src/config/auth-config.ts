import { ConfigError, type Env, optional, url } from "@tiffin/core";

/**
 * How bearer tokens are verified: HS256 with a shared secret, or an identity provider's keys at a JWKS URL (then
 * `issuer` and `audience`, when set, must match the token's `iss` and `aud`); `generate` makes and stores a dev
 * secret (embedded mode only); `missing` is refused when a host starts.
 */
export type JwtConfig =
  | { readonly kind: "secret"; readonly secret: string }
  | { readonly kind: "jwks"; readonly jwksUrl: string; readonly issuer?: string; readonly audience?: string }
  | { readonly kind: "generate" }
  | { readonly kind: "missing" };

/** The console's sign-in through the identity provider (authorization code with PKCE, a public client). */
export interface ConsoleOidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly scope: string;
  /** Asked for as the token's audience (RFC 8707 `resource`): TIFFIN_JWT_AUDIENCE. */
  readonly resource?: string;
}

/** HS256 secrets shorter than 32 bytes are brute-forceable; jose also rejects empty keys. */
const MIN_SECRET_LENGTH = 32;

export function jwtConfig(env: Env, embedded: boolean): JwtConfig {
  const secret = optional(env, "TIFFIN_JWT_SECRET");
  const jwksUrl = url(env, "TIFFIN_JWT_JWKS_URL", ["http", "https"]);
  const issuer = url(env, "TIFFIN_JWT_ISSUER", ["http", "https"]);
  const audience = optional(env, "TIFFIN_JWT_AUDIENCE");
  if (secret !== undefined && jwksUrl !== undefined) {
    throw new ConfigError("TIFFIN_JWT_SECRET", "and TIFFIN_JWT_JWKS_URL are both set; set exactly one");
  }
  if (jwksUrl === undefined) {
    // Tokens signed with the shared secret are minted by Tiffin itself (`tiffin token`): no issuer to check.
    if (issuer !== undefined) throw new ConfigError("TIFFIN_JWT_ISSUER", "is checked on tokens verified with TIFFIN_JWT_JWKS_URL; set that too");
    if (audience !== undefined) throw new ConfigError("TIFFIN_JWT_AUDIENCE", "is checked on tokens verified with TIFFIN_JWT_JWKS_URL; set that too");
  }
  if (secret !== undefined) {
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new ConfigError("TIFFIN_JWT_SECRET", `must be at least ${MIN_SECRET_LENGTH} characters`);
    }
    return { kind: "secret", secret };
  }
  if (jwksUrl !== undefined) {
    return { kind: "jwks", jwksUrl, ...(issuer === undefined ? {} : { issuer }), ...(audience === undefined ? {} : { audience }) };
  }
  return embedded ? { kind: "generate" } : { kind: "missing" };
}

/** TIFFIN_CONSOLE_OIDC_CLIENT_ID turns on the console's sign-in with the identity provider TIFFIN_JWT_ISSUER names. */
export function consoleOidcConfig(env: Env, jwt: JwtConfig): ConsoleOidcConfig | null {
  const clientId = optional(env, "TIFFIN_CONSOLE_OIDC_CLIENT_ID");
  if (clientId === undefined) return null;
  if (jwt.kind !== "jwks" || jwt.issuer === undefined) {
    throw new ConfigError("TIFFIN_CONSOLE_OIDC_CLIENT_ID", "needs the identity provider: set TIFFIN_JWT_JWKS_URL and TIFFIN_JWT_ISSUER");
  }
  return {
    issuer: jwt.issuer,
    clientId,
    scope: optional(env, "TIFFIN_CONSOLE_OIDC_SCOPE") ?? "openid",
    ...(jwt.audience === undefined ? {} : { resource: jwt.audience }),
  };
}
