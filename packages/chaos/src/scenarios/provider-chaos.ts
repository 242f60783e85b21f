import { counterSamples, total } from "../metrics.js";
import { loadLine, runOrderTraffic, trafficFigures } from "../order-traffic.js";
import { platformEnv } from "../platform-env.js";
import type { ChaosProcess } from "../processes.js";
import type { InvariantResult, Scenario } from "../scenario.js";

/** Percent parameters become the rates the processes read (TIFFIN_PAYMENT_*_RATE, TIFFIN_KITCHEN_REJECT_RATE). */
const rate = (percent: number | undefined): string => String((percent ?? 0) / 100);

export const providerChaos: Scenario = {
  name: "provider-chaos",
  summary:
    "the simulated payment and payout providers fail transiently, hang past the 5 s timeout, lose replies after moving the money, answer late and go down for whole outages; cards are declined and kitchens reject a share of orders",
  defaults: {
    orders: 400, perSecond: 4, couriers: 30, prepMs: 2000, pollMs: 1000, settleWithinMs: 600_000,
    failurePercent: 20, hangPercent: 2, lostReplyPercent: 5, lateReplyPercent: 3, declinePercent: 5, kitchenRejectPercent: 5,
    // Down for 15 s of every minute: long enough for the breaker's 10 s window to open it, and to half-open within it.
    outageEveryMs: 60_000, outageMs: 15_000,
    // Past the saga's 30 s stall threshold, so the sweep reads the ledger for steps refused after unanswered attempts within the run.
    reconciliationGraceMs: 45_000, reconciliationIntervalMs: 5_000,
  },
  reduced: { orders: 40, perSecond: 4, couriers: 10, outageEveryMs: 20_000, outageMs: 10_000 },
  async run(ctx) {
    const p = ctx.params;
    const env = {
      ...platformEnv(p),
      TIFFIN_PAYMENT_FAILURE_RATE: rate(p.failurePercent),
      TIFFIN_PAYMENT_HANG_RATE: rate(p.hangPercent),
      TIFFIN_PAYMENT_LOST_REPLY_RATE: rate(p.lostReplyPercent),
      TIFFIN_PAYMENT_LATE_REPLY_RATE: rate(p.lateReplyPercent),
      TIFFIN_PAYMENT_DECLINE_RATE: rate(p.declinePercent),
      TIFFIN_PAYMENT_OUTAGE_EVERY_MS: String(p.outageEveryMs ?? 0),
      TIFFIN_PAYMENT_OUTAGE_MS: String(p.outageMs ?? 0),
      TIFFIN_KITCHEN_REJECT_RATE: rate(p.kitchenRejectPercent),
      TIFFIN_RECONCILIATION_GRACE_MS: String(p.reconciliationGraceMs ?? 300_000),
      TIFFIN_RECONCILIATION_INTERVAL_MS: String(p.reconciliationIntervalMs ?? 60_000),
    };
    const api = await ctx.start("serve", { env });
    const workers = [await ctx.start("work", { env }), await ctx.start("work", { env })];
    const outcome = await runOrderTraffic(ctx, { api, keyPrefix: "provider-chaos" });
    const breakers = await circuitTransitions(workers);
    const repairs = (await Promise.all(workers.map((w) => counterSamples(w.url, "tiffin_reconciliation_repairs_total")))).flat();
    return {
      load: loadLine(p, outcome),
      faults:
        `every provider call (charge, refund, payout): ${p.failurePercent} % transient failures, ${p.hangPercent} % hangs past the timeout, ` +
        `${p.lostReplyPercent} % replies lost after the money moved, ${p.lateReplyPercent} % late replies (10 s); outages of ${(p.outageMs ?? 0) / 1000} s ` +
        `every ${(p.outageEveryMs ?? 0) / 1000} s (every call fails); ${p.declinePercent} % of cards declined, ${p.kitchenRejectPercent} % of orders rejected by the kitchen`,
      invariants: [...outcome.invariants, ...(p.outageMs ? [breakers.invariant] : [])],
      figures: {
        ...trafficFigures(outcome),
        "circuit breakers opened / half-opened / closed (both workers, both gateways)": `${breakers.opened} / ${breakers.halfOpened} / ${breakers.closed}`,
        "reconciliation repairs (steps settled from the ledger / all)": `${total(repairs, { kind: "unresolved_step_settled" })} / ${total(repairs)}`,
      },
    };
  },
};

/**
 * The gateways' circuit breakers as the workers' `/metrics` count them. During an outage every call fails, so a
 * breaker must open; once the provider is back, its trial call succeeds and it must close. A breaker ends open
 * only if the run ended inside an outage, which the settling (every step ended) rules out.
 */
async function circuitTransitions(workers: readonly ChaosProcess[]): Promise<{ invariant: InvariantResult; opened: number; halfOpened: number; closed: number }> {
  const samples = (await Promise.all(workers.map((w) => counterSamples(w.url, "tiffin_gateway_circuit_transitions_total")))).flat();
  const opened = total(samples, { state: "opened" });
  const halfOpened = total(samples, { state: "half_open" });
  const closed = total(samples, { state: "closed" });
  return {
    opened,
    halfOpened,
    closed,
    invariant: {
      name: "the gateway circuit breaker opened during the outages and closed after them",
      holds: opened > 0 && closed > 0,
      detail: `opened ${opened} times, half-opened ${halfOpened}, closed ${closed} (tiffin_gateway_circuit_transitions_total of both workers)`,
    },
  };
}
