import { ConfigError, type Env, integer, oneOf, url } from "@tiffin/core";

/**
 * Where live courier positions are kept, the database (default) or Redis (a metro at rush hour), and how old a
 * courier's latest position may be for dispatch to offer them an order.
 */
export type PositionsConfig = ({ readonly kind: "database" } | { readonly kind: "redis"; readonly url: string }) & { readonly maxAgeMs: number };

/** A courier app reports every few seconds: ten minutes of silence means it is gone. */
const MAX_AGE_MS = 10 * 60_000;
/** The embedded demo's couriers are people at a terminal who report once, if at all. */
const EMBEDDED_MAX_AGE_MS = 7 * 24 * 60 * 60_000;

/**
 * `TIFFIN_POSITIONS=database|redis`; Redis needs `TIFFIN_REDIS_URL` (`redis://` or `rediss://`).
 * `TIFFIN_POSITION_MAX_AGE_MS` defaults to 10 minutes, and to 7 days on the embedded database.
 */
export function positionsConfig(env: Env, embedded: boolean): PositionsConfig {
  const kind = oneOf(env, "TIFFIN_POSITIONS", ["database", "redis"] as const, "database");
  const maxAgeMs = integer(env, "TIFFIN_POSITION_MAX_AGE_MS", embedded ? EMBEDDED_MAX_AGE_MS : MAX_AGE_MS, { min: 1_000, max: 30 * 24 * 60 * 60_000 });
  if (kind === "database") return { kind, maxAgeMs };
  const redisUrl = url(env, "TIFFIN_REDIS_URL", ["redis", "rediss"]);
  if (redisUrl === undefined) throw new ConfigError("TIFFIN_REDIS_URL", "is required when TIFFIN_POSITIONS=redis (redis://host:6379)");
  return { kind, url: redisUrl, maxAgeMs };
}
