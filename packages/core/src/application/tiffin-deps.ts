import { MatchingStrategyRegistry, builtInStrategies } from "../domain/courier-matching.js";
import type { Clock, IdGenerator } from "../ports/clock.js";
import type { CourierPositions } from "../ports/courier-positions.js";
import type { Logger } from "../ports/logger.js";
import { silentLogger } from "../ports/logger.js";
import type { DeadLetters, MessagePublisher, MessageSizeLimit } from "../ports/messaging.js";
import type { PaymentLedger } from "../ports/payment-gateway.js";
import type { UnitOfWork } from "../ports/unit-of-work.js";
import { MenuCache } from "./catalog/menu-cache.js";
import { CourierCities } from "./couriers/courier-cities.js";
import { CourierTracking } from "./couriers/courier-tracking.js";
import { DatabasePositions } from "./couriers/database-positions.js";
import { releasingPortionsOnCancel } from "./catalog/portions.js";

/** How couriers are found and offered orders. */
export interface DispatchConfig {
  /** How long a courier has to accept an offer (default 10 s). */
  readonly offerTtlMs: number;
  /** Offers made for one order before it is cancelled with `no_courier` (default 5). */
  readonly maxCandidates: number;
  /** Search radius around the restaurant (default 5 km). */
  readonly searchRadiusKm: number;
  /** A courier whose latest position is older than this is not offered orders: their app stopped reporting (default 10 min). */
  readonly positionMaxAgeMs: number;
  /** When nobody is free right now: retries by timer before cancelling (default 3)... */
  readonly noCourierRetries: number;
  /** ...this far apart (default 15 s). */
  readonly noCourierRetryDelayMs: number;
  /** A ready order no courier has taken this long after its food was ready is cancelled `no_courier` (default 30 min). */
  readonly readyTimeoutMs: number;
  /** An assigned courier who has not picked up this long after the food was ready (or after accepting, if later) loses the order to another courier (default 15 min). */
  readonly pickupTimeoutMs: number;
}

/** Application settings, every one with a default. */
export interface TiffinConfig {
  readonly dispatch: DispatchConfig;
  /** Page size of history when the caller gives none (default 20); the largest accepted is 100. */
  readonly historyPageSize: number;
  /** A paid order that staff neither accept nor reject within this time is rejected and refunded (default 10 min). */
  readonly kitchenAcceptTimeoutMs: number;
  /** How long a command's answer waits at most for publishing its events after the commit (default 1 s). */
  readonly publishAfterCommitTimeoutMs: number;
}

/** Every setting's default. */
export const DEFAULT_CONFIG: TiffinConfig = {
  dispatch: { offerTtlMs: 10_000, maxCandidates: 5, searchRadiusKm: 5, positionMaxAgeMs: 10 * 60_000, noCourierRetries: 3, noCourierRetryDelayMs: 15_000, readyTimeoutMs: 30 * 60_000, pickupTimeoutMs: 15 * 60_000 },
  historyPageSize: 20,
  kitchenAcceptTimeoutMs: 10 * 60_000,
  publishAfterCommitTimeoutMs: 1_000,
};

/** Settings as a caller gives them: any subset. */
export interface TiffinOptions {
  readonly dispatch?: Partial<DispatchConfig>;
  readonly historyPageSize?: number;
  readonly kitchenAcceptTimeoutMs?: number;
  readonly publishAfterCommitTimeoutMs?: number;
}

/** Applies defaults and rejects nonsense up front, naming the setting. */
export function resolveConfig(options: TiffinOptions = {}): TiffinConfig {
  const config: TiffinConfig = {
    dispatch: { ...DEFAULT_CONFIG.dispatch, ...options.dispatch },
    historyPageSize: options.historyPageSize ?? DEFAULT_CONFIG.historyPageSize,
    kitchenAcceptTimeoutMs: options.kitchenAcceptTimeoutMs ?? DEFAULT_CONFIG.kitchenAcceptTimeoutMs,
    publishAfterCommitTimeoutMs: options.publishAfterCommitTimeoutMs ?? DEFAULT_CONFIG.publishAfterCommitTimeoutMs,
  };
  const positive: [string, number][] = [
    ["dispatch.offerTtlMs", config.dispatch.offerTtlMs],
    ["dispatch.maxCandidates", config.dispatch.maxCandidates],
    ["dispatch.searchRadiusKm", config.dispatch.searchRadiusKm],
    ["dispatch.positionMaxAgeMs", config.dispatch.positionMaxAgeMs],
    ["dispatch.noCourierRetryDelayMs", config.dispatch.noCourierRetryDelayMs],
    ["dispatch.readyTimeoutMs", config.dispatch.readyTimeoutMs],
    ["dispatch.pickupTimeoutMs", config.dispatch.pickupTimeoutMs],
    ["historyPageSize", config.historyPageSize],
    ["kitchenAcceptTimeoutMs", config.kitchenAcceptTimeoutMs],
    ["publishAfterCommitTimeoutMs", config.publishAfterCommitTimeoutMs],
  ];
  for (const [name, value] of positive) {
    if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be a positive number, got ${value}`);
  }
  if (!(Number.isInteger(config.dispatch.noCourierRetries) && config.dispatch.noCourierRetries >= 0)) {
    throw new RangeError(`dispatch.noCourierRetries must be a non-negative integer, got ${config.dispatch.noCourierRetries}`);
  }
  return config;
}

/** What the application layer needs from the outside world (ports); the runtime's container provides them. */
export interface TiffinDeps {
  readonly uow: UnitOfWork;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** The payment and payout providers' own record of money movements (admin payments query). */
  readonly ledger: PaymentLedger;
  /** Courier matching; default: the built-in strategies with `nearest` everywhere. */
  readonly matching?: MatchingStrategyRegistry;
  /** Live courier positions; default: kept in the database through `uow` (`DatabasePositions`). */
  readonly positions?: CourierPositions;
  /** Dead-letter queues for the admin queries; absent: those queries answer NOT_FOUND. */
  readonly deadLetters?: DeadLetters;
  /** The broker's message size limit; when known, an order whose events could not be published is refused at placement. */
  readonly messageSizeLimit?: MessageSizeLimit;
  /**
   * When given, the facade publishes what each command committed right after the commit, before it answers (best
   * effort; the relay still owns delivery). Workers publish through their relay only.
   */
  readonly publishAfterCommit?: MessagePublisher;
  readonly logger?: Logger;
}

/** Deps with every optional one filled in. */
export interface ResolvedDeps extends Required<Omit<TiffinDeps, "deadLetters" | "messageSizeLimit" | "publishAfterCommit">> {
  readonly deadLetters: DeadLetters | null;
  readonly messageSizeLimit: MessageSizeLimit | null;
  /** Couriers' latest positions for order readers, looked up at most every few hundred ms per courier. */
  readonly tracking: CourierTracking;
  /** Couriers' cities (their positions' shard), remembered briefly. */
  readonly courierCities: CourierCities;
  /** Served menus, checked against the catalog's stamp on every use. */
  readonly menus: MenuCache;
  readonly config: TiffinConfig;
}

/**
 * Fills in optional deps and resolves the settings (throws RangeError on a bad one). Every transaction the
 * application runs releases a cancelled order's portions in the transaction that cancels it.
 */
export function resolveDeps(deps: TiffinDeps, options: TiffinOptions = {}): ResolvedDeps {
  const positions = deps.positions ?? new DatabasePositions(deps.uow);
  return {
    ...deps,
    uow: releasingPortionsOnCancel(deps.uow),
    menus: new MenuCache(),
    courierCities: new CourierCities(deps.uow),
    matching: deps.matching ?? new MatchingStrategyRegistry({ default: "nearest" }, builtInStrategies()),
    positions,
    tracking: new CourierTracking(positions),
    deadLetters: deps.deadLetters ?? null,
    messageSizeLimit: deps.messageSizeLimit ?? null,
    logger: deps.logger ?? silentLogger,
    config: resolveConfig(options),
  };
}
