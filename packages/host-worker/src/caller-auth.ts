import { createHash, timingSafeEqual } from "node:crypto";
import type { OidcCallers, WorkerEndpointsConfig } from "@tiffin/runtime";
import { type JWTVerifyGetKey, createRemoteJWKSet, jwtVerify } from "jose";

/** Header carrying the shared task secret (what an EventBridge API destination sends as its API key). */
export const TASK_SECRET_HEADER = "x-tiffin-task-secret";

/** Who called, or why not: 401 without usable credentials, 403 with credentials that do not hold. */
export type CallerCheck =
  | { readonly ok: true; readonly caller: string }
  | { readonly ok: false; readonly status: 401 | 403; readonly code: "UNAUTHENTICATED" | "FORBIDDEN"; readonly detail: string };

/** Checks the caller of a worker endpoint from its request headers. */
export type CallerAuth = (headers: Readonly<Record<string, string | string[] | undefined>>) => Promise<CallerCheck>;

const refuse = (status: 401 | 403, detail: string): CallerCheck => ({ ok: false, status, code: status === 401 ? "UNAUTHENTICATED" : "FORBIDDEN", detail });

/**
 * The callers `POST /tasks/tick` accepts: the shared secret in `X-Tiffin-Task-Secret`, or a Google-signed OIDC
 * bearer token (Cloud Scheduler) for the configured audience from an allowed service account. With neither
 * configured every call is refused: the endpoint is never open by default.
 */
export function taskCallerAuth(config: Pick<WorkerEndpointsConfig, "taskSecret" | "oidc">): CallerAuth {
  const secretDigest = config.taskSecret === undefined ? undefined : digest(config.taskSecret);
  const oidc = config.oidc === undefined ? undefined : oidcVerifier(config.oidc);
  return async (headers) => {
    const secret = single(headers[TASK_SECRET_HEADER]);
    if (secret !== undefined) {
      if (secretDigest === undefined) return refuse(403, "no task secret is configured (TIFFIN_TASK_SECRET)");
      return timingSafeEqual(digest(secret), secretDigest) ? { ok: true, caller: "shared secret" } : refuse(403, "the task secret does not match");
    }
    const authorization = single(headers.authorization);
    if (authorization !== undefined) {
      if (oidc === undefined) return refuse(401, "no OIDC caller is configured (TIFFIN_OIDC_AUDIENCE)");
      return oidc(authorization);
    }
    if (secretDigest === undefined && oidc === undefined) {
      return refuse(401, "no caller is configured: set TIFFIN_TASK_SECRET or TIFFIN_OIDC_AUDIENCE and TIFFIN_OIDC_EMAILS");
    }
    return refuse(401, `send ${TASK_SECRET_HEADER} or an OIDC bearer token`);
  };
}

/** Verifies `Authorization: Bearer <Google OIDC token>`: signature, issuer, audience, expiry, then the email. */
export function oidcVerifier(callers: OidcCallers): (authorization: string) => Promise<CallerCheck> {
  const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(callers.jwksUrl));
  return async (authorization) => {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    if (token === undefined) return refuse(401, "malformed Authorization header");
    let claims;
    try {
      ({ payload: claims } = await jwtVerify(token, keys, { issuer: [...callers.issuers], audience: callers.audience, algorithms: ["RS256"] }));
    } catch (error) {
      return refuse(401, `invalid OIDC token: ${(error as { code?: string }).code ?? "unverifiable"}`);
    }
    const email = claims.email;
    if (typeof email !== "string" || claims.email_verified !== true || !callers.emails.includes(email)) {
      return refuse(403, "the token's service account is not allowed to call this endpoint");
    }
    return { ok: true, caller: email };
  };
}

const digest = (value: string): Buffer => createHash("sha256").update(value, "utf8").digest();

const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);
