import { type Env, flag } from "./env-readers.js";

/** What the runtime tells a broker adapter's factory besides the environment. */
export interface BrokerFactoryContext {
  /** An embedded development process (no server database): topology is created on first use by default. */
  readonly development: boolean;
}

/**
 * `TIFFIN_CREATE_TOPOLOGY`: whether a process creates missing topics, queues and subscriptions on first use. The
 * default is true only against an emulator or in embedded development; in production the topology is created once
 * per release by `tiffin topology` (or infrastructure as code) and processes only look it up.
 */
export const createTopologyFromEnv = (env: Env, context: BrokerFactoryContext & { readonly emulator: boolean }): boolean =>
  flag(env, "TIFFIN_CREATE_TOPOLOGY", context.emulator || context.development);

/** Who may push to the worker's `POST /push/:subscription` with an OIDC token (Pub/Sub push), as the runtime read it. */
export interface OidcPushCallers {
  readonly audience: string;
  readonly emails: readonly string[];
  readonly jwksUrl: string;
  readonly issuers: readonly string[];
}

/** What the runtime tells a broker adapter's push-receiver factory besides the environment. */
export interface PushReceiverContext {
  /** Set when TIFFIN_OIDC_AUDIENCE and TIFFIN_OIDC_EMAILS are. */
  readonly oidc?: OidcPushCallers;
}
