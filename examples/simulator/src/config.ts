import { parseArgs } from "node:util";
import type { LatLng } from "./api-types.js";

/** How a simulation runs; every setting has a default and can be set by flag or environment variable. */
export interface SimulatorConfig {
  /** The API's base URL (`--url`, `TIFFIN_URL`; default `http://127.0.0.1:$PORT` with PORT 3000). */
  readonly baseUrl: string;
  /** Orders to place in total (`--orders`, `SIM_ORDERS`, default 10). */
  readonly orders: number;
  /** Hard limit on the whole run, in seconds (`--seconds`, `SIM_SECONDS`, default 120). */
  readonly seconds: number;
  /** Customers ordering at the same time (`--concurrency`, `SIM_CONCURRENCY`, default 3). */
  readonly concurrency: number;
  /** Courier ids to play; they must exist on the platform (`--couriers a,b`, `SIM_COURIERS`; default the demo seed's). */
  readonly couriers: readonly string[];
  /** Where the city is (`--centre lat,lng`, `SIM_CENTRE`, default Berlin Mitte, where the demo data lives). */
  readonly centre: LatLng;
  /** Search radius for restaurants around the centre and each customer (`--radius-km`, default 5). */
  readonly radiusKm: number;
  /** How often agents poll boards, offers and orders (`--poll-ms`, default 300). */
  readonly pollMs: number;
  /** Time between two courier position reports (`--tick-ms`, default 250)... */
  readonly tickMs: number;
  /** ...and the distance covered per report (`--step-km`, default 0.15: a fast-forwarded city ride). */
  readonly stepKm: number;
  /** Kitchen: from a paid order on the board to accepting it (`--accept-ms`, default 500)... */
  readonly acceptDelayMs: number;
  /** ...and from accepting to `ready` (`--prep-ms`, default 2000). */
  readonly prepMs: number;
  /** Share of orders kitchens reject, 0..1 (`--reject-rate`, default 0); rejected orders are refunded. */
  readonly rejectRate: number;
  /** Orders one courier carries at once; further offers are declined (`--capacity`, default 2). */
  readonly courierCapacity: number;
  /** Print the event stream of the first order (`--no-follow` turns it off). */
  readonly follow: boolean;
  /** Seed of the random choices, for a reproducible run (`--seed`, `SIM_SEED`; default random). */
  readonly seed: number;
}

/** Thrown for a bad flag or variable; the message names it. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** The couriers `tiffin start` seeds with its demo data (packages/runtime/src/seed). */
export const DEMO_COURIERS = ["c-anna", "c-ben", "c-chen"] as const;

const FLAGS = {
  url: { type: "string" },
  orders: { type: "string" },
  seconds: { type: "string" },
  concurrency: { type: "string" },
  couriers: { type: "string" },
  centre: { type: "string" },
  "radius-km": { type: "string" },
  "poll-ms": { type: "string" },
  "tick-ms": { type: "string" },
  "step-km": { type: "string" },
  "accept-ms": { type: "string" },
  "prep-ms": { type: "string" },
  "reject-rate": { type: "string" },
  capacity: { type: "string" },
  "no-follow": { type: "boolean" },
  seed: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export const USAGE = `usage: tiffin-simulator [--url URL] [--orders N] [--seconds S] [--concurrency C] [--couriers id,id]
                        [--centre lat,lng] [--prep-ms MS] [--reject-rate 0..1] [--seed N] [--no-follow]
Environment: TIFFIN_URL, SIM_ORDERS, SIM_SECONDS, SIM_CONCURRENCY, SIM_COURIERS, SIM_CENTRE, SIM_SEED;
tokens are signed with TIFFIN_JWT_SECRET, else the dev secret in $TIFFIN_DATA_DIR/jwt-secret.`;

function number(name: string, raw: string | undefined, fallback: number, check: (n: number) => boolean, rule: string): number {
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || !check(value)) throw new ConfigError(`${name} must be ${rule}; got "${raw}"`);
  return value;
}

const positiveInt = (n: number) => Number.isInteger(n) && n > 0;
const positive = (n: number) => n > 0;
const nonNegative = (n: number) => n >= 0;

function centre(raw: string | undefined): LatLng {
  if (raw === undefined) return { lat: 52.52, lng: 13.405 };
  const [lat, lng] = raw.split(",").map(Number);
  if (lat === undefined || lng === undefined || !(Math.abs(lat) <= 90 && Math.abs(lng) <= 180)) {
    throw new ConfigError(`--centre must be "lat,lng"; got "${raw}"`);
  }
  return { lat, lng };
}

/** Reads flags (first) and environment variables; throws ConfigError naming the first bad one. Null for --help. */
export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): SimulatorConfig | null {
  let values;
  try {
    values = parseArgs({ args: [...argv], options: FLAGS, strict: true }).values;
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  if (values.help === true) return null;
  const couriers = (values.couriers ?? env.SIM_COURIERS)?.split(",").map((id) => id.trim()).filter((id) => id !== "");
  return {
    baseUrl: values.url ?? env.TIFFIN_URL ?? `http://127.0.0.1:${env.PORT ?? 3000}`,
    orders: number("--orders", values.orders ?? env.SIM_ORDERS, 10, positiveInt, "a positive integer"),
    seconds: number("--seconds", values.seconds ?? env.SIM_SECONDS, 120, positive, "a positive number"),
    concurrency: number("--concurrency", values.concurrency ?? env.SIM_CONCURRENCY, 3, positiveInt, "a positive integer"),
    couriers: couriers !== undefined && couriers.length > 0 ? couriers : DEMO_COURIERS,
    centre: centre(values.centre ?? env.SIM_CENTRE),
    radiusKm: number("--radius-km", values["radius-km"], 5, positive, "a positive number"),
    pollMs: number("--poll-ms", values["poll-ms"], 300, positiveInt, "a positive integer"),
    tickMs: number("--tick-ms", values["tick-ms"], 250, positiveInt, "a positive integer"),
    stepKm: number("--step-km", values["step-km"], 0.15, positive, "a positive number"),
    acceptDelayMs: number("--accept-ms", values["accept-ms"], 500, nonNegative, "zero or more"),
    prepMs: number("--prep-ms", values["prep-ms"], 2000, nonNegative, "zero or more"),
    rejectRate: number("--reject-rate", values["reject-rate"], 0, (n) => n >= 0 && n <= 1, "between 0 and 1"),
    courierCapacity: number("--capacity", values.capacity, 2, positiveInt, "a positive integer"),
    follow: values["no-follow"] !== true,
    seed: number("--seed", values.seed ?? env.SIM_SEED, Math.floor(Math.random() * 2 ** 31), Number.isInteger, "an integer"),
  };
}

/** A small seeded generator (mulberry32): the same seed makes the same customers choose the same food. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
