import { loadLine, runOrderTraffic, trafficFigures } from "../order-traffic.js";
import { platformEnv } from "../platform-env.js";
import type { Scenario } from "../scenario.js";

export const apiCrashes: Scenario = {
  name: "api-crashes",
  summary: "the only API process is SIGKILLed during placement and started again; customers retry with the same Idempotency-Key",
  defaults: { orders: 300, perSecond: 4, couriers: 30, killMinMs: 6000, killMaxMs: 12000, maxKills: 12, downMs: 1000, prepMs: 2000, pollMs: 1000, settleWithinMs: 600_000 },
  reduced: { orders: 30, perSecond: 4, couriers: 10, maxKills: 3 },
  async run(ctx) {
    const p = ctx.params;
    const env = platformEnv(p);
    const api = await ctx.start("serve", { env });
    await ctx.start("work", { env });
    const outcome = await runOrderTraffic(ctx, { api, crash: [api], keyPrefix: "api-crashes" });
    return {
      load: loadLine(p, outcome),
      faults: `${outcome.kills} SIGKILLs of the API (requests cut mid-transaction), every ${(p.killMinMs ?? 0) / 1000}–${(p.killMaxMs ?? 0) / 1000} s, down ${(p.downMs ?? 0) / 1000} s each`,
      invariants: outcome.invariants,
      figures: { ...trafficFigures(outcome), "answered as replays": outcome.placed.replays },
    };
  },
};
