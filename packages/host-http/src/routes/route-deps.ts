import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { Logger, Tiffin, ViewChangeFeed } from "@tiffin/core";
import type { Metrics } from "@tiffin/runtime";
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from "fastify";
import type { TokenVerifier } from "../auth/jwt.js";
import type { LiveStreams, SseOptions } from "../streams/sse.js";

/** Fastify with TypeBox schemas typing each route's params, query and body. */
export type TiffinFastify = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** Readiness: false once the process stops; `check` probes the database and the broker. */
export interface HealthCheck {
  ready(): boolean;
  /** Each dependency's state: "ok" or what is wrong. Never throws. */
  check(): Promise<Readonly<Record<string, string>>>;
}

/** What the API needs: the application facade, token verification, and the process's telemetry. */
export interface HttpAppDeps {
  readonly tiffin: Tiffin;
  readonly verifyToken: TokenVerifier;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly health: HealthCheck;
  /** Largest accepted request body (default 64 KiB); larger is 413 PAYLOAD_TOO_LARGE. */
  readonly bodyLimitBytes?: number;
  readonly streams?: Partial<SseOptions>;
  /**
   * Announces view changes, so streams read when their order changed; without it every stream reads at each safety
   * poll (`streams.safetyPollMs`, then 500 ms by default instead of 5 s).
   */
  readonly viewChanges?: ViewChangeFeed;
}

/** What each route module gets. */
export interface RouteContext {
  readonly tiffin: Tiffin;
  readonly verifyToken: TokenVerifier;
  readonly streams: LiveStreams;
}
