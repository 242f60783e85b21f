import { describe, expect, it } from "vitest";
import { AutoKitchen } from "../../application/kitchen/kitchens.js";
import { RECONCILIATION_DEFAULTS } from "../../application/reconciliation/reconciler.js";
import { SUBSCRIPTIONS } from "../../messaging/topology.js";
import type { MessageSubscriber } from "../../ports/messaging.js";
import { waitFor } from "../broker/wait-for.js";
import type { Scenario} from "../scenario.js";
import { type ScenarioOptions, ledgerTotals, netByParty } from "../scenario.js";

/** Starts a scenario on the adapter under test; `options.subscriber` must wrap the adapter's own subscriber. */
export type ScenarioStarter = (options: ScenarioOptions) => Promise<Scenario>;

/**
 * A subscriber whose consumer of `subscription` fails every delivery of `type` as a database failover would
 * (transiently), so the broker retries it until it dead-letters it.
 */
export const losing =
  (subscription: string, type: string) =>
  (inner: MessageSubscriber): MessageSubscriber => ({
    subscribe: (spec, handler) =>
      inner.subscribe(
        spec,
        spec.subscription !== subscription
          ? handler
          : async (message, delivery) => {
              if (message.type === type) throw new Error(`database unavailable while handling ${type}`);
              await handler(message, delivery);
            },
      ),
    close: () => inner.close(),
  });

async function deadLettered(s: Scenario, subscription: string, type: string, orderId: string): Promise<void> {
  await waitFor(
    async () => {
      const letters = await s.tiffin.ask(s.admin, { type: "DeadLetters", subscription });
      return letters.ok && letters.value.some((l) => l.message?.type === type && l.message.subject === orderId);
    },
    { what: `${type} of ${orderId} dead-lettered on ${subscription}`, timeoutMs: 15_000 },
  );
}

/** Lets the reconciliation sweep see the stranded state: nothing has changed for longer than its grace period. */
const afterGrace = (s: Scenario): void => s.advance(RECONCILIATION_DEFAULTS.graceMs + 1);

const repairsOf = (s: Scenario, orderId: string) => s.repairs.filter((r) => r.orderId === orderId).map((r) => r.kind);

/**
 * One lost message of each class that moves money, dead-lettered after its deliveries ran out: the reconciliation
 * sweep finds the stranded order by its durable state and the order reaches a correct end with the right ledger,
 * with no admin replaying anything.
 */
export function describeReconciliationScenarios(name: string, start: ScenarioStarter): void {
  describe(`${name}: reconciliation repairs what a dead-lettered event left undone`, () => {
    it("order.placed lost by payment-saga: the saga is started and the customer charged once", async () => {
      const s = await start({ subscriber: losing(SUBSCRIPTIONS.paymentSaga, "order.placed") });
      const placed = await s.placeOrder();
      await deadLettered(s, SUBSCRIPTIONS.paymentSaga, "order.placed", placed.id);
      expect(await s.saga(placed.id)).toBeNull();
      afterGrace(s);
      await s.deliver(placed.id);
      await s.waitForSaga(placed.id, ["completed"], 15_000);
      expect(ledgerTotals(await s.ledger(placed.id))).toMatchObject({ "charge:customer": 2500 });
      expect(repairsOf(s, placed.id)).toEqual(["saga_not_started"]);
    });

    it("payment.captured lost by kitchen: the restaurant is asked, the order is cooked, delivered and paid out", async () => {
      const s = await start({ subscriber: losing(SUBSCRIPTIONS.kitchen, "payment.captured") });
      const placed = await s.placeOrder();
      await deadLettered(s, SUBSCRIPTIONS.kitchen, "payment.captured", placed.id);
      expect((await s.view(placed.id))?.status).toBe("placed");
      afterGrace(s);
      await s.deliver(placed.id);
      await s.waitForSaga(placed.id, ["completed"], 15_000);
      expect(Object.keys(ledgerTotals(await s.ledger(placed.id))).sort()).toEqual(["charge:customer", "payout:courier", "payout:restaurant"]);
      expect(repairsOf(s, placed.id)).toEqual(["kitchen_not_asked"]);
    });

    it("order.confirmed lost by courier-assignment: the order is offered, delivered and paid out", async () => {
      const s = await start({ subscriber: losing(SUBSCRIPTIONS.courierAssignment, "order.confirmed") });
      const placed = await s.placeOrder();
      await deadLettered(s, SUBSCRIPTIONS.courierAssignment, "order.confirmed", placed.id);
      await s.waitForView(placed.id, "ready, with nobody offered it", (v) => v.status === "ready");
      afterGrace(s);
      await s.deliver(placed.id);
      await s.waitForSaga(placed.id, ["completed"], 15_000);
      expect(Object.keys(ledgerTotals(await s.ledger(placed.id))).sort()).toEqual(["charge:customer", "payout:courier", "payout:restaurant"]);
      expect(repairsOf(s, placed.id)).toEqual(["dispatch_not_started"]);
    });

    it("order.cancelled lost by payment-saga: the customer is refunded, once, by sweeps in three processes", async () => {
      const s = await start({ kitchen: new AutoKitchen({ rejectionRate: 1 }), subscriber: losing(SUBSCRIPTIONS.paymentSaga, "order.cancelled") });
      const placed = await s.placeOrder();
      await deadLettered(s, SUBSCRIPTIONS.paymentSaga, "order.cancelled", placed.id);
      expect(await s.saga(placed.id)).toMatchObject({ status: "running", step: null, cancelReason: null });
      afterGrace(s);
      // The worker's own sweep and two more, as other processes would run them, race for the same order.
      await Promise.all([s.reconciler().reconcileOnce(), s.reconciler().reconcileOnce()]);
      await s.waitForSaga(placed.id, ["compensated"], 15_000);
      expect(ledgerTotals(await s.ledger(placed.id))).toEqual({ "charge:customer": 2500, "refund:customer": 2500 });
      expect((await s.waitForView(placed.id, "refunded", (v) => v.paymentStatus === "refunded", 15_000)).status).toBe("cancelled");
      expect(repairsOf(s, placed.id)).toEqual(["refund_missed"]);
    });

    it("order.delivered lost by payment-saga: the restaurant and the courier are paid", async () => {
      const s = await start({ subscriber: losing(SUBSCRIPTIONS.paymentSaga, "order.delivered") });
      const placed = await s.placeOrder();
      await s.deliver(placed.id);
      await deadLettered(s, SUBSCRIPTIONS.paymentSaga, "order.delivered", placed.id);
      afterGrace(s);
      await s.waitForSaga(placed.id, ["completed"], 15_000);
      const net = netByParty(await s.ledger(placed.id));
      expect(net.customer).toBe(2500);
      expect(net.restaurant + net.courier).toBeGreaterThan(0);
      expect(repairsOf(s, placed.id)).toEqual(["payout_missed"]);
    });

    it("changes nothing while every message arrives", async () => {
      const s = await start({});
      const placed = await s.placeOrder();
      await s.deliver(placed.id);
      await s.waitForSaga(placed.id, ["completed"], 15_000);
      afterGrace(s);
      await s.reconciler().reconcileOnce();
      expect(s.repairs).toEqual([]);
    });
  });
}
