import type { Principal } from "@tiffin/core";
import type { ResolvedJwt } from "@tiffin/runtime";
import { type JWTPayload, type JWTVerifyGetKey, SignJWT, createRemoteJWKSet, jwtVerify } from "jose";
import { HttpProblem } from "../problems/problem.js";

const ROLES = ["customer", "restaurant", "courier", "admin"] as const;
type TokenRole = (typeof ROLES)[number];

/** Turns a bearer token into the principal it names, or throws UNAUTHENTICATED. */
export type TokenVerifier = (token: string) => Promise<Principal>;

const unauthenticated = (why: string) => new HttpProblem("UNAUTHENTICATED", why);

/** The principal from verified claims: `sub`, `role`, and `restaurant_id` for restaurant staff. Nothing else counts. */
export function principalFromClaims(claims: JWTPayload): Principal {
  const role = claims.role;
  if (typeof claims.sub !== "string" || claims.sub === "") throw unauthenticated("token has no sub");
  if (typeof role !== "string" || !(ROLES as readonly string[]).includes(role)) {
    throw unauthenticated(`token role must be one of ${ROLES.join(", ")}`);
  }
  if (role === "restaurant") {
    const restaurantId = claims.restaurant_id;
    if (typeof restaurantId !== "string" || restaurantId === "") throw unauthenticated("restaurant token has no restaurant_id");
    return { role, id: claims.sub, restaurantId };
  }
  return { role: role as Exclude<TokenRole, "restaurant">, id: claims.sub };
}

/** A verifier for HS256 with a shared secret, or for keys published at a JWKS URL (asymmetric algorithms; issuer and audience checked when configured). */
export function createTokenVerifier(jwt: ResolvedJwt): TokenVerifier {
  const verify: (token: string) => Promise<JWTPayload> =
    jwt.kind === "secret"
      ? (() => {
          const key = new TextEncoder().encode(jwt.secret);
          return async (token) => (await jwtVerify(token, key, { algorithms: ["HS256"] })).payload;
        })()
      : (() => {
          const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(jwt.jwksUrl));
          const expected = { ...(jwt.issuer === undefined ? {} : { issuer: jwt.issuer }), ...(jwt.audience === undefined ? {} : { audience: jwt.audience }) };
          return async (token) =>
            (await jwtVerify(token, keys, { algorithms: ["RS256", "ES256", "PS256", "EdDSA"], ...expected })).payload;
        })();
  return async (token) => {
    let claims: JWTPayload;
    try {
      claims = await verify(token);
    } catch (error) {
      throw unauthenticated(`invalid token: ${(error as { code?: string }).code ?? "unverifiable"}`);
    }
    return principalFromClaims(claims);
  };
}

/** Reads `Authorization: Bearer <token>`; throws UNAUTHENTICATED when absent or malformed. */
export function bearerToken(header: string | undefined): string {
  const match = header === undefined ? null : /^Bearer\s+([\w-]+\.[\w-]+\.[\w-]+)\s*$/i.exec(header);
  if (match?.[1] === undefined) throw unauthenticated("missing or malformed Authorization: Bearer header");
  return match[1];
}

/** Mints an HS256 token for development and tests (`tiffin token`). */
export async function mintToken(
  secret: string,
  claims: { role: TokenRole; sub: string; restaurantId?: string },
  expiresIn = "12h",
): Promise<string> {
  return new SignJWT({ role: claims.role, ...(claims.restaurantId === undefined ? {} : { restaurant_id: claims.restaurantId }) })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}
