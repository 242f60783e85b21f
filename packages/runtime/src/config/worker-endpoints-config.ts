import { ConfigError } from "@tiffin/core";
import { type Env, oneOf, optional, url } from "@tiffin/core";

/** How a worker receives messages: it pulls them (the default), or the broker pushes them to `POST /push/:subscription`. */
export const DELIVERY_MODES = ["pull", "push"] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

/** Google's OIDC token issuers and keys (Cloud Scheduler and Pub/Sub push sign with them). */
export const GOOGLE_OIDC = {
  issuers: ["https://accounts.google.com", "accounts.google.com"],
  jwksUrl: "https://www.googleapis.com/oauth2/v3/certs",
} as const;

/** Who may call `POST /tasks/tick` and push to `POST /push/:subscription` with an OIDC token. */
export interface OidcCallers {
  /** The `aud` the token must carry (the endpoint URL, as Cloud Scheduler and Pub/Sub set it by default). */
  readonly audience: string;
  /** Service-account emails allowed to call; a token for the audience from any other account is refused. */
  readonly emails: readonly string[];
  readonly jwksUrl: string;
  readonly issuers: readonly string[];
}

/** How the worker's task and push endpoints authenticate callers. None configured: they refuse everyone. */
export interface WorkerEndpointsConfig {
  readonly delivery: DeliveryMode;
  /** A shared secret in the `X-Tiffin-Task-Secret` header (EventBridge Scheduler through an API destination). */
  readonly taskSecret?: string;
  readonly oidc?: OidcCallers;
}

const MIN_SECRET_LENGTH = 32;

/** Reads the worker endpoints' settings; a malformed one stops start-up naming the variable. */
export function workerEndpointsConfig(env: Env): WorkerEndpointsConfig {
  const taskSecret = optional(env, "TIFFIN_TASK_SECRET");
  if (taskSecret !== undefined && taskSecret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError("TIFFIN_TASK_SECRET", `must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  const audience = optional(env, "TIFFIN_OIDC_AUDIENCE");
  const emails = (optional(env, "TIFFIN_OIDC_EMAILS") ?? "").split(",").map((e) => e.trim()).filter((e) => e !== "");
  if (audience !== undefined && emails.length === 0) {
    throw new ConfigError("TIFFIN_OIDC_EMAILS", "is required with TIFFIN_OIDC_AUDIENCE (the service accounts allowed to call)");
  }
  if (audience === undefined && emails.length > 0) throw new ConfigError("TIFFIN_OIDC_AUDIENCE", "is required with TIFFIN_OIDC_EMAILS");
  const jwksUrl = url(env, "TIFFIN_OIDC_JWKS_URL", ["https", "http"]) ?? GOOGLE_OIDC.jwksUrl;
  if (jwksUrl.startsWith("http:") && !["127.0.0.1", "localhost", "[::1]"].includes(new URL(jwksUrl).hostname)) {
    throw new ConfigError("TIFFIN_OIDC_JWKS_URL", "must use https (plain http only on loopback, for tests)");
  }
  return {
    delivery: oneOf(env, "TIFFIN_DELIVERY", DELIVERY_MODES, "pull"),
    ...(taskSecret === undefined ? {} : { taskSecret }),
    ...(audience === undefined ? {} : { oidc: { audience, emails, jwksUrl, issuers: GOOGLE_OIDC.issuers } }),
  };
}
