import { startCrashLoop } from "./crash-loop.js";
import { type InvariantOptions, checkInvariants, courierLoadInvariant, oneCourierPerOrder, openReader, sampleCourierLoad, settle } from "./invariants.js";
import { Api } from "./load/api.js";
import { type PlacementStats, placeOrders } from "./load/customers.js";
import { type FleetStats, startFleet } from "./load/couriers.js";
import type { ChaosProcess } from "./processes.js";
import type { InvariantResult, ScenarioContext } from "./scenario.js";

/** What the traffic did and found: the invariants, and the figures a scenario reports. */
export interface TrafficOutcome {
  readonly placed: PlacementStats;
  readonly fleet: FleetStats;
  readonly kills: number;
  readonly placingMs: number;
  readonly settleMs: number;
  readonly invariants: InvariantResult[];
}

export interface TrafficPlan {
  /** The API the customers and couriers call. */
  readonly api: ChaosProcess;
  /** Processes to SIGKILL at random while orders are placed (none: no crashes). */
  readonly crash?: readonly ChaosProcess[];
  readonly keyPrefix: string;
  readonly invariants?: InvariantOptions;
}

/**
 * The load every order scenario shares: `orders` orders at `perSecond` from 50 customers, `couriers` couriers on
 * the API, optionally a crash loop over `crash` while the orders are placed; then it waits until the platform
 * settled (bounded by `settleWithinMs`) and checks every invariant, plus the ones only the clients can see: every
 * order placed, and each Idempotency-Key answered with one order id however often it was retried.
 */
export async function runOrderTraffic(ctx: ScenarioContext, plan: TrafficPlan): Promise<TrafficOutcome> {
  const p = ctx.params;
  const db = openReader(ctx.databaseUrl);
  try {
    const client = new Api(() => plan.api.url);
    const fleet = await startFleet({ api: client, token: (id) => ctx.token("courier", id), couriers: p.couriers ?? 10, pollMs: p.pollMs ?? 1000 });
    const load = sampleCourierLoad(db, 1);
    const crashes = plan.crash === undefined ? null : startCrashLoop({ targets: plan.crash, everyMs: [p.killMinMs ?? 3000, p.killMaxMs ?? 8000], downMs: p.downMs ?? 1000, maxKills: p.maxKills ?? Number.POSITIVE_INFINITY, log: ctx.log });
    const began = Date.now();
    const placed = await placeOrders({ api: client, token: (id) => ctx.token("customer", id), orders: p.orders ?? 0, perSecond: p.perSecond ?? 1, customers: 50, keyPrefix: plan.keyPrefix, withinMs: p.placeWithinMs ?? 300_000 });
    const placingMs = Date.now() - began;
    const kills = (await crashes?.stop()) ?? 0;
    ctx.log(`placed ${placed.placed} orders in ${placingMs} ms (${placed.retries} retries), ${kills} kills; settling`);
    const settleMs = await settle(db, p.settleWithinMs ?? 300_000, ctx.log);
    const couriers = await fleet.stop();
    const sampled = await load.stop();
    const invariants = [
      ...clientInvariants(placed, p.orders ?? 0),
      ...(await checkInvariants(db, plan.invariants)),
      await oneCourierPerOrder(db, couriers.pickedUpBy),
      courierLoadInvariant(sampled, 1),
    ];
    return { placed, fleet: couriers, kills, placingMs, settleMs, invariants };
  } finally {
    await db.end();
  }
}

function clientInvariants(placed: PlacementStats, orders: number): InvariantResult[] {
  const split = [...placed.idsByKey].filter(([, ids]) => ids.size > 1).map(([key, ids]) => `${key} → ${[...ids].join(" / ")}`);
  return [
    {
      name: "every order placed",
      holds: placed.failed.length === 0 && placed.placed === orders,
      detail: `${placed.placed} of ${orders} placed after ${placed.retries} retries${placed.failed.length === 0 ? "" : `; failed: ${placed.failed.slice(0, 3).join(", ")}`}`,
    },
    {
      name: "each key answered with one order, however often retried",
      holds: split.length === 0,
      detail: `${placed.idsByKey.size} keys, ${placed.replays} answered as replays${split.length === 0 ? "" : `; split: ${split.slice(0, 3).join(", ")}`}`,
    },
  ];
}

/** The load line of a scenario's report. */
export const loadLine = (p: Readonly<Record<string, number>>, outcome: TrafficOutcome): string =>
  `${outcome.placed.placed} orders at ${p.perSecond}/s over ${Math.round(outcome.placingMs / 1000)} s, ${(p.couriers ?? 0) + 3} couriers and 50 customers on the API, kitchens on auto (${p.prepMs ?? 2000} ms)`;

/** Figures every order scenario reports. */
export const trafficFigures = (outcome: TrafficOutcome): Record<string, number> => ({
  "settled after placement (s)": Math.round(outcome.settleMs / 1000),
  "placement retries": outcome.placed.retries,
  "delivered by couriers": outcome.fleet.delivered,
  "stale offers": outcome.fleet.stale,
});
