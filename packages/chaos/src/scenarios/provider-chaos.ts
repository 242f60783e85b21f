import { loadLine, runOrderTraffic, trafficFigures } from "../order-traffic.js";
import { platformEnv } from "../platform-env.js";
import type { Scenario } from "../scenario.js";

/** Percent parameters become the rates the processes read (TIFFIN_PAYMENT_*_RATE, TIFFIN_KITCHEN_REJECT_RATE). */
const rate = (percent: number | undefined): string => String((percent ?? 0) / 100);

export const providerChaos: Scenario = {
  name: "provider-chaos",
  summary:
    "the simulated payment and payout providers fail transiently, hang past the 5 s timeout, lose replies after moving the money and answer late; cards are declined and kitchens reject a share of orders",
  defaults: {
    orders: 150, perSecond: 4, couriers: 20, prepMs: 2000, pollMs: 1000, settleWithinMs: 300_000,
    failurePercent: 20, hangPercent: 2, lostReplyPercent: 5, lateReplyPercent: 3, declinePercent: 5, kitchenRejectPercent: 5,
  },
  reduced: { orders: 40, perSecond: 4, couriers: 10 },
  async run(ctx) {
    const p = ctx.params;
    const env = {
      ...platformEnv(p),
      TIFFIN_PAYMENT_FAILURE_RATE: rate(p.failurePercent),
      TIFFIN_PAYMENT_HANG_RATE: rate(p.hangPercent),
      TIFFIN_PAYMENT_LOST_REPLY_RATE: rate(p.lostReplyPercent),
      TIFFIN_PAYMENT_LATE_REPLY_RATE: rate(p.lateReplyPercent),
      TIFFIN_PAYMENT_DECLINE_RATE: rate(p.declinePercent),
      TIFFIN_KITCHEN_REJECT_RATE: rate(p.kitchenRejectPercent),
    };
    const api = await ctx.start("serve", { env });
    await ctx.start("work", { env });
    await ctx.start("work", { env });
    const outcome = await runOrderTraffic(ctx, { api, keyPrefix: "provider-chaos" });
    return {
      load: loadLine(p, outcome),
      faults:
        `every provider call (charge, refund, payout): ${p.failurePercent} % transient failures, ${p.hangPercent} % hangs past the timeout, ` +
        `${p.lostReplyPercent} % replies lost after the money moved, ${p.lateReplyPercent} % late replies (10 s); ${p.declinePercent} % of cards declined, ` +
        `${p.kitchenRejectPercent} % of orders rejected by the kitchen`,
      invariants: outcome.invariants,
      figures: trafficFigures(outcome),
    };
  },
};
