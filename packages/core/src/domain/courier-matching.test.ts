import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CourierCandidate } from "./courier.js";
import {
  CheapestStrategy,
  type CourierMatchingStrategy,
  FastestStrategy,
  type MatchingConfig,
  type MatchingJob,
  MatchingStrategyRegistry,
  NearestStrategy,
  builtInStrategies,
  courierFee,
  routeKm,
} from "./courier-matching.js";
import { DispatchConfigError, DispatchErrorCode } from "./dispatch.errors.js";
import { distanceKm } from "./geo.js";
import { MoneyErrorCode } from "./money.errors.js";
import { money } from "./money.js";

const pickup = { lat: 52.52, lng: 13.405 };
const job: MatchingJob = { pickup, dropoff: { lat: 52.52 + 3 / 111.2, lng: 13.405 } };

/** A courier `km` kilometres south of the pickup (one degree of latitude is about 111.2 km). */
const courier = (courierId: string, km: number, extra: Partial<CourierCandidate> = {}): CourierCandidate => ({
  courierId,
  position: { lat: pickup.lat - km / 111.2, lng: pickup.lng },
  speedKmh: 20,
  activeOrders: 0,
  ratePerKm: money(100, "EUR"),
  ...extra,
});

const ids = (ranked: readonly CourierCandidate[]) => ranked.map((c) => c.courierId);

describe("nearest", () => {
  const nearest = new NearestStrategy();

  it("prefers the courier closest to the restaurant", () => {
    expect(ids(nearest.rank(job, [courier("far", 3), courier("near", 0.5), courier("mid", 1.5)]))).toEqual(["near", "mid", "far"]);
  });

  it("breaks ties by courier id and returns a new array without touching the input", () => {
    const input = [courier("b", 1), courier("a", 1), courier("c", 1)];
    const ranked = nearest.rank(job, input);
    expect(ids(ranked)).toEqual(["a", "b", "c"]);
    expect(ranked).not.toBe(input);
    expect(ids(input)).toEqual(["b", "a", "c"]);
    expect(nearest.rank(job, [])).toEqual([]);
  });

  it("ranks a courier without a usable position last", () => {
    const lost = courier("a-lost", 0, { position: { lat: Number.NaN, lng: 0 } });
    expect(ids(nearest.rank(job, [lost, courier("z", 5)]))).toEqual(["z", "a-lost"]);
  });
});

describe("fastest", () => {
  it("prefers a fast courier further away over a slow one nearby", () => {
    const ranked = new FastestStrategy().rank(job, [courier("walker", 0.5, { speedKmh: 5 }), courier("rider", 2, { speedKmh: 30 })]);
    expect(ids(ranked)).toEqual(["rider", "walker"]);
  });

  it("adds 10 minutes per active order by default", () => {
    const busy = courier("busy", 0.2, { activeOrders: 2 });
    const idle = courier("idle", 2);
    const eta = new FastestStrategy();
    expect(eta.etaMinutes(job, busy)).toBeCloseTo((routeKm(job, busy) / 20) * 60 + 20, 6);
    expect(ids(eta.rank(job, [busy, idle]))).toEqual(["idle", "busy"]);
    expect(ids(new FastestStrategy({ minutesPerActiveOrder: 0 }).rank(job, [busy, idle]))).toEqual(["busy", "idle"]);
  });

  it("ranks a courier with no speed last", () => {
    expect(ids(new FastestStrategy().rank(job, [courier("a", 0, { speedKmh: 0 }), courier("b", 5)]))).toEqual(["b", "a"]);
  });

  it("refuses a negative penalty", () => {
    expect(() => new FastestStrategy({ minutesPerActiveOrder: -1 })).toThrow(RangeError);
  });
});

describe("cheapest", () => {
  it("charges the rate over the ride to the restaurant and on to the customer, in whole minor units", () => {
    const c = courier("c", 1, { ratePerKm: money(133, "EUR") });
    const km = distanceKm(c.position, pickup) + distanceKm(pickup, job.dropoff);
    expect(km).toBeCloseTo(4, 2);
    expect(courierFee(job, c)).toEqual(money(Math.round(133 * km), "EUR"));
    expect(Number.isInteger(courierFee(job, c).amount)).toBe(true);
  });

  it("prefers a cheap courier further away over a dear one nearby", () => {
    const ranked = new CheapestStrategy().rank(job, [
      courier("dear", 0.1, { ratePerKm: money(300, "EUR") }),
      courier("cheap", 2, { ratePerKm: money(80, "EUR") }),
    ]);
    expect(ids(ranked)).toEqual(["cheap", "dear"]);
  });

  it("refuses to compare fees in different currencies", () => {
    const mixed = [courier("a", 1), courier("b", 1, { ratePerKm: money(100, "GBP") })];
    expect(() => new CheapestStrategy().rank(job, mixed)).toThrow(expect.objectContaining({ code: MoneyErrorCode.CurrencyMismatch }));
  });
});

describe("every strategy", () => {
  const candidate = fc.record({
    courierId: fc.string({ maxLength: 4 }),
    position: fc.record({ lat: fc.double({ min: 52, max: 53, noNaN: true }), lng: fc.double({ min: 13, max: 14, noNaN: true }) }),
    speedKmh: fc.integer({ min: 0, max: 40 }),
    activeOrders: fc.integer({ min: 0, max: 3 }),
    ratePerKm: fc.integer({ min: 0, max: 500 }).map((a) => money(a, "EUR")),
  });
  const listAndShuffle = fc
    .uniqueArray(candidate, { selector: (c) => c.courierId, maxLength: 8 })
    .chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length })));

  it.each(builtInStrategies().map((s) => [s.name, s] as const))("%s ranks a permutation, whatever the input order", (_, strategy) => {
    fc.assert(
      fc.property(listAndShuffle, ([list, shuffled]) => {
        const ranked = strategy.rank(job, list);
        expect(ranked).toHaveLength(list.length);
        expect(new Set(ranked)).toEqual(new Set(list));
        expect(ids(strategy.rank(job, shuffled))).toEqual(ids(ranked));
      }),
      { numRuns: 100 },
    );
  });
});

describe("strategy registry", () => {
  const config: MatchingConfig = {
    default: "nearest",
    byCity: { berlin: "fastest", paris: "cheapest" },
    byRestaurant: { "r-vip": "fastest", "r-thrifty": "cheapest" },
  };
  const registry = new MatchingStrategyRegistry(config, builtInStrategies());
  const resolved = (restaurantId: string, city?: string) => registry.resolve({ restaurantId, city }).name;

  it("resolves the restaurant's strategy, else the city's, else the default", () => {
    expect(resolved("r-thrifty", "berlin")).toBe("cheapest");
    expect(resolved("r-plain", "berlin")).toBe("fastest");
    expect(resolved("r-plain", "rome")).toBe("nearest");
    expect(resolved("r-plain")).toBe("nearest");
    expect(resolved("r-vip")).toBe("fastest");
  });

  it("never resolves through inherited object keys", () => {
    expect(resolved("constructor", "__proto__")).toBe("nearest");
  });

  it("keeps the configuration it was built with", () => {
    const mutable = { default: "nearest", byCity: { berlin: "fastest" } as Record<string, string> };
    const frozen = new MatchingStrategyRegistry(mutable, builtInStrategies());
    mutable.byCity.berlin = "teleport";
    expect(frozen.resolve({ restaurantId: "r", city: "berlin" }).name).toBe("fastest");
  });

  it("takes a new rule as a new strategy and a registration", () => {
    const favourite: CourierMatchingStrategy = {
      name: "favourite",
      rank: (_job, list) => [...list].sort((a, b) => Number(b.courierId === "fav") - Number(a.courierId === "fav")),
    };
    const custom = new MatchingStrategyRegistry({ default: "nearest", byRestaurant: { r1: "favourite" } }, [
      ...builtInStrategies(),
      favourite,
    ]);
    expect(ids(custom.resolve({ restaurantId: "r1" }).rank(job, [courier("near", 0), courier("fav", 9)]))).toEqual(["fav", "near"]);
  });

  it.each<[string, MatchingConfig, string]>([
    ["the default", { default: "teleport" }, "default"],
    ["a city", { default: "nearest", byCity: { berlin: "teleport" } }, "byCity.berlin"],
    ["a restaurant", { default: "nearest", byRestaurant: { r1: "teleport" } }, "byRestaurant.r1"],
  ])("throws DISPATCH_STRATEGY_UNKNOWN when %s names an unknown strategy", (_, bad, where) => {
    expect(() => new MatchingStrategyRegistry(bad, builtInStrategies())).toThrow(
      expect.objectContaining({ code: DispatchErrorCode.StrategyUnknown, details: { where, name: "teleport" } }),
    );
  });

  it("throws DISPATCH_STRATEGY_DUPLICATE when two strategies share a name", () => {
    const build = () => new MatchingStrategyRegistry({ default: "nearest" }, [new NearestStrategy(), new NearestStrategy()]);
    expect(build).toThrow(DispatchConfigError);
    expect(build).toThrow(expect.objectContaining({ code: DispatchErrorCode.StrategyDuplicate }));
  });
});
