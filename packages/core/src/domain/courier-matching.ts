import type { CourierCandidate } from "./courier.js";
import { DispatchConfigError, DispatchErrorCode } from "./dispatch.errors.js";
import { type LatLng, distanceKm } from "./geo.js";
import { MoneyError, MoneyErrorCode } from "./money.errors.js";
import { type Money, money } from "./money.js";

/** What a strategy knows about the delivery it ranks couriers for. */
export interface MatchingJob {
  readonly pickup: LatLng;
  readonly dropoff: LatLng;
}

/** A rule that orders couriers by preference for one delivery (Strategy). */
export interface CourierMatchingStrategy {
  /** The name configuration refers to; unique within a registry. */
  readonly name: string;
  /**
   * Returns a new array of the same candidates, most preferred first. Pure and deterministic: ties, and
   * candidates the rule cannot score (no speed, invalid position), fall back to ascending `courierId`.
   */
  rank(job: MatchingJob, candidates: readonly CourierCandidate[]): CourierCandidate[];
}

// Code-unit order, not localeCompare, so the tie-break is the same on every machine.
const byId = (a: CourierCandidate, b: CourierCandidate): number =>
  a.courierId < b.courierId ? -1 : a.courierId > b.courierId ? 1 : 0;

/** Sorts by a score computed once per candidate, lowest first; an unscorable candidate (NaN) ranks last. */
function rankBy(candidates: readonly CourierCandidate[], score: (c: CourierCandidate) => number): CourierCandidate[] {
  return candidates
    .map((candidate) => {
      const s = score(candidate);
      return { candidate, score: Number.isNaN(s) ? Infinity : s };
    })
    .sort((a, b) => (a.score === b.score ? byId(a.candidate, b.candidate) : a.score - b.score))
    .map(({ candidate }) => candidate);
}

/** Kilometres the courier rides for this job: to the pickup, then to the dropoff. */
export const routeKm = (job: MatchingJob, courier: CourierCandidate): number =>
  distanceKm(courier.position, job.pickup) + distanceKm(job.pickup, job.dropoff);

/** Prefers the courier closest to the restaurant (great-circle distance). */
export class NearestStrategy implements CourierMatchingStrategy {
  readonly name = "nearest";

  rank(job: MatchingJob, candidates: readonly CourierCandidate[]): CourierCandidate[] {
    return rankBy(candidates, (c) => distanceKm(c.position, job.pickup));
  }
}

export interface FastestOptions {
  /** Minutes added per order the courier already carries. Default 10. */
  readonly minutesPerActiveOrder?: number;
}

/**
 * Prefers the courier who would hand the food over soonest: the ride to the restaurant and on to the customer at
 * the courier's speed, plus a fixed delay per order they already carry. A courier with no usable speed ranks last.
 */
export class FastestStrategy implements CourierMatchingStrategy {
  readonly name = "fastest";
  private readonly minutesPerActiveOrder: number;

  constructor(options: FastestOptions = {}) {
    this.minutesPerActiveOrder = options.minutesPerActiveOrder ?? 10;
    if (!Number.isFinite(this.minutesPerActiveOrder) || this.minutesPerActiveOrder < 0) {
      throw new RangeError(`minutesPerActiveOrder must be a non-negative number, got ${this.minutesPerActiveOrder}`);
    }
  }

  /** Minutes until this courier could deliver the job. */
  etaMinutes(job: MatchingJob, courier: CourierCandidate): number {
    if (!(courier.speedKmh > 0)) return Infinity;
    return (routeKm(job, courier) / courier.speedKmh) * 60 + courier.activeOrders * this.minutesPerActiveOrder;
  }

  rank(job: MatchingJob, candidates: readonly CourierCandidate[]): CourierCandidate[] {
    return rankBy(candidates, (c) => this.etaMinutes(job, c));
  }
}

/** What this courier would charge for the job: their rate per km over the whole ride, rounded to minor units. */
export const courierFee = (job: MatchingJob, courier: CourierCandidate): Money =>
  money(Math.round(courier.ratePerKm.amount * routeKm(job, courier)), courier.ratePerKm.currency);

/** Prefers the courier whose fee for the job is lowest. Candidates must share one currency. */
export class CheapestStrategy implements CourierMatchingStrategy {
  readonly name = "cheapest";

  rank(job: MatchingJob, candidates: readonly CourierCandidate[]): CourierCandidate[] {
    const currency = candidates[0]?.ratePerKm.currency;
    const fees = new Map(candidates.map((c) => [c, courierFee(job, c)]));
    for (const fee of fees.values()) {
      if (fee.currency !== currency) {
        const message = `cannot compare courier fees in ${currency} and ${fee.currency}`;
        throw new MoneyError(MoneyErrorCode.CurrencyMismatch, message);
      }
    }
    return rankBy(candidates, (c) => fees.get(c)?.amount ?? Infinity);
  }
}

/** The three built-in strategies; pass more to the registry to add a rule. */
export const builtInStrategies = (options: FastestOptions = {}): CourierMatchingStrategy[] => [
  new NearestStrategy(),
  new FastestStrategy(options),
  new CheapestStrategy(),
];

/** Which strategy applies where: per restaurant, else per city, else the default. Values are strategy names. */
export interface MatchingConfig {
  readonly default: string;
  readonly byCity?: Readonly<Record<string, string>>;
  readonly byRestaurant?: Readonly<Record<string, string>>;
}

/**
 * Resolves the strategy for a delivery from configuration. The configuration is copied and every name in it
 * checked at construction, so `resolve` cannot fail later.
 */
export class MatchingStrategyRegistry {
  private readonly strategies = new Map<string, CourierMatchingStrategy>();
  private readonly byRestaurant: ReadonlyMap<string, CourierMatchingStrategy>;
  private readonly byCity: ReadonlyMap<string, CourierMatchingStrategy>;
  private readonly fallback: CourierMatchingStrategy;

  constructor(config: MatchingConfig, strategies: readonly CourierMatchingStrategy[]) {
    for (const strategy of strategies) {
      if (this.strategies.has(strategy.name)) {
        const { name } = strategy;
        const message = `two strategies are named "${name}"`;
        throw new DispatchConfigError(DispatchErrorCode.StrategyDuplicate, message, { name });
      }
      this.strategies.set(strategy.name, strategy);
    }
    this.fallback = this.named("default", config.default);
    // Object.entries reads own keys only, so a city called "constructor" never finds Object.prototype's.
    this.byCity = new Map(
      Object.entries(config.byCity ?? {}).map(([city, name]) => [city, this.named(`byCity.${city}`, name)]),
    );
    this.byRestaurant = new Map(
      Object.entries(config.byRestaurant ?? {}).map(([id, name]) => [id, this.named(`byRestaurant.${id}`, name)]),
    );
  }

  private named(where: string, name: string): CourierMatchingStrategy {
    const strategy = this.strategies.get(name);
    if (!strategy) {
      throw new DispatchConfigError(
        DispatchErrorCode.StrategyUnknown,
        `matching config ${where} names unknown strategy "${name}" (known: ${this.names.join(", ")})`,
        { where, name },
      );
    }
    return strategy;
  }

  /** The names this registry knows. */
  get names(): string[] {
    return [...this.strategies.keys()];
  }

  /** The restaurant's strategy, else its city's, else the default. */
  resolve(scope: { readonly restaurantId: string; readonly city?: string | null }): CourierMatchingStrategy {
    const byCity = scope.city == null ? undefined : this.byCity.get(scope.city);
    return this.byRestaurant.get(scope.restaurantId) ?? byCity ?? this.fallback;
  }
}
