import { startCrashLoop } from "../crash-loop.js";
import { checkInvariants, courierLoadInvariant, openReader, sampleCourierLoad, settle } from "../invariants.js";
import { Api } from "../load/api.js";
import { placeOrders } from "../load/customers.js";
import { startFleet } from "../load/couriers.js";
import { platformEnv } from "../platform-env.js";
import type { Scenario } from "../scenario.js";

export const workerCrashes: Scenario = {
  name: "worker-crashes",
  summary: "one API and two workers; a random worker is SIGKILLed every few seconds and started again while orders flow",
  defaults: { orders: 2000, perSecond: 8, couriers: 40, killMinMs: 3000, killMaxMs: 8000, downMs: 1000, prepMs: 2000, pollMs: 1000, settleWithinMs: 300_000 },
  reduced: { orders: 80, perSecond: 4, couriers: 12, killMinMs: 3000, killMaxMs: 5000 },
  async run(ctx) {
    const p = ctx.params;
    const env = platformEnv(p);
    const api = await ctx.start("serve", { env });
    const workers = [await ctx.start("work", { env }), await ctx.start("work", { env })];
    const db = openReader(ctx.databaseUrl);
    try {
      const client = new Api(() => api.url);
      const fleet = await startFleet({ api: client, token: (id) => ctx.token("courier", id), couriers: p.couriers ?? 0, pollMs: p.pollMs ?? 1000 });
      const load = sampleCourierLoad(db, 1);
      const crashes = startCrashLoop({ targets: workers, everyMs: [p.killMinMs ?? 3000, p.killMaxMs ?? 8000], downMs: p.downMs ?? 1000, log: ctx.log });
      const began = Date.now();
      const placed = await placeOrders({ api: client, token: (id) => ctx.token("customer", id), orders: p.orders ?? 0, perSecond: p.perSecond ?? 1, customers: 50, keyPrefix: "wc" });
      const placingMs = Date.now() - began;
      const kills = await crashes.stop();
      ctx.log(`placed ${placed.placed} orders in ${placingMs} ms, ${kills} kills; settling`);
      const settleMs = await settle(db, p.settleWithinMs ?? 300_000, ctx.log);
      const couriers = await fleet.stop();
      const sampled = await load.stop();
      const invariants = [
        { name: "every order placed", holds: placed.failed.length === 0 && placed.placed === p.orders, detail: `${placed.placed} of ${p.orders} placed${placed.failed.length === 0 ? "" : `; refused: ${placed.failed.slice(0, 3).join(", ")}`}` },
        ...(await checkInvariants(db)),
        courierLoadInvariant(sampled, 1),
      ];
      return {
        load: `${placed.placed} orders at ${p.perSecond}/s over ${(placingMs / 1000).toFixed(0)} s, ${(p.couriers ?? 0) + 3} API couriers, kitchens on auto (${p.prepMs} ms)`,
        faults: `${kills} SIGKILLs of a worker (2 workers), every ${(p.killMinMs ?? 0) / 1000}–${(p.killMaxMs ?? 0) / 1000} s, restarted after ${(p.downMs ?? 0) / 1000} s`,
        invariants,
        figures: { "settled after placement (s)": Math.round(settleMs / 1000), "orders delivered by couriers": couriers.delivered, "offers accepted": couriers.accepted, "stale offers": couriers.stale },
      };
    } finally {
      await db.end();
    }
  },
};
