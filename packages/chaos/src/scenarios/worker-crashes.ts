import { loadLine, runOrderTraffic, trafficFigures } from "../order-traffic.js";
import { platformEnv } from "../platform-env.js";
import type { Scenario } from "../scenario.js";

export const workerCrashes: Scenario = {
  name: "worker-crashes",
  summary: "one API and two workers; a random worker is SIGKILLed every few seconds and started again while orders flow",
  defaults: { orders: 1500, perSecond: 5, couriers: 40, killMinMs: 2000, killMaxMs: 5000, maxKills: 40, downMs: 1000, prepMs: 2000, pollMs: 1000, settleWithinMs: 600_000 },
  reduced: { orders: 40, perSecond: 4, couriers: 10, maxKills: 4 },
  async run(ctx) {
    const p = ctx.params;
    const env = platformEnv(p);
    const api = await ctx.start("serve", { env });
    const workers = [await ctx.start("work", { env }), await ctx.start("work", { env })];
    const outcome = await runOrderTraffic(ctx, { api, crash: workers, keyPrefix: "worker-crashes" });
    return {
      load: loadLine(p, outcome),
      faults: `${outcome.kills} SIGKILLs of a random worker (of 2), every ${(p.killMinMs ?? 0) / 1000}–${(p.killMaxMs ?? 0) / 1000} s, each started again after ${(p.downMs ?? 0) / 1000} s`,
      invariants: outcome.invariants,
      figures: trafficFigures(outcome),
    };
  },
};
