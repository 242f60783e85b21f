import { describe, expect, it } from "vitest";
import { RECONCILIATION_DEFAULTS } from "../../application/reconciliation/reconciler.js";
import { InfrastructureError, InfrastructureErrorCode } from "../../ports/infrastructure.errors.js";
import { SYSTEM_PRINCIPAL } from "../../ports/principal.js";
import { waitFor } from "../broker/wait-for.js";
import type { SagaGateways, Scenario } from "../scenario.js";
import { ledgerTotals } from "../scenario.js";
import type { ScenarioStarter } from "./reconciliation.scenarios.js";

const READY_TIMEOUT_MS = 30 * 60_000;
const HOUR = 60 * 60_000;
const PICKUP_TIMEOUT_MS = 15 * 60_000;

/** A payment provider whose first charge answer is lost (it charged or not, as `moves` says), then refuses every call. */
const unansweredThenRefused =
  (moves: boolean) =>
  (inner: SagaGateways): SagaGateways => {
    let calls = 0;
    return {
      payouts: inner.payouts,
      payments: {
        refund: (request) => inner.payments.refund(request),
        charge: async (request) => {
          calls += 1;
          if (calls === 1) {
            if (moves) await inner.payments.charge(request);
            throw new InfrastructureError(InfrastructureErrorCode.Timeout, "no answer", { transient: true });
          }
          throw new InfrastructureError(InfrastructureErrorCode.Unexpected, "api key revoked", { transient: false });
        },
      },
    };
  };

/** A payment provider whose charges wait until `release` is called; `reached` resolves once one is waiting. */
function heldCharges() {
  let release!: () => void;
  let reach!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const reached = new Promise<void>((resolve) => (reach = resolve));
  const gateways = (inner: SagaGateways): SagaGateways => ({
    payouts: inner.payouts,
    payments: {
      refund: (request) => inner.payments.refund(request),
      charge: async (request) => {
        reach();
        await released;
        return inner.payments.charge(request);
      },
    },
  });
  return { gateways, reached, release };
}

const repairsOf = (s: Scenario, orderId: string) => s.repairs.filter((r) => r.orderId === orderId).map((r) => r.kind);

async function unresolvedListed(s: Scenario, orderId: string): Promise<void> {
  await s.waitForSaga(orderId, ["unresolved"], 15_000);
  const listed = await s.tiffin.ask(s.admin, { type: "Sagas", status: "unresolved" });
  expect(listed.ok && listed.value.map((saga) => saga.orderId)).toEqual([orderId]);
}

async function offerOf(s: Scenario, orderId: string, courierIndex: number): Promise<{ id: string; token: number }> {
  let offer: { id: string; token: number } | undefined;
  await waitFor(
    async () => {
      const offers = await s.tiffin.ask(s.courier(courierIndex), { type: "CourierOffers" });
      offer = offers.ok ? offers.value.find((o) => o.orderId === orderId) : undefined;
      return offer !== undefined;
    },
    { what: `an offer of ${orderId} to courier-${courierIndex}` },
  );
  return offer!;
}

/**
 * The states an order could once be stranded in, each ended by a rule with a bounded time: a ready order nobody
 * takes, a courier who never picks up, a forward payment step refused after an unanswered attempt.
 */
export function describeStuckStateScenarios(name: string, start: ScenarioStarter): void {
  describe(`${name}: no order stays stuck`, () => {
    it("a ready order no courier takes is cancelled no_courier: the customer is refunded, the restaurant paid for the food", async () => {
      const s = await start({ couriers: 0, dispatch: { readyTimeoutMs: READY_TIMEOUT_MS, noCourierRetryDelayMs: 60_000 } });
      const placed = await s.placeOrder();
      await s.waitForView(placed.id, "ready", (v) => v.status === "ready");
      await s.advanceUntil(
        "the unclaimed ready order to end",
        async () => (await s.view(placed.id))?.status === "cancelled",
        60_000,
        30_000,
      );
      expect(s.clock.now().getTime() - Date.parse(placed.placedAt)).toBeGreaterThanOrEqual(READY_TIMEOUT_MS);
      await s.waitForSaga(placed.id, ["compensated"], 15_000);
      const view = await s.waitForView(placed.id, "refunded", (v) => v.paymentStatus === "refunded", 15_000);
      expect(view).toMatchObject({ status: "cancelled", cancellationReason: "no_courier" });
      const totals = ledgerTotals(await s.ledger(placed.id));
      expect(Object.keys(totals).sort()).toEqual(["charge:customer", "payout:restaurant", "refund:customer"]);
      expect(totals).toMatchObject({ "charge:customer": 2500, "refund:customer": 2500 });
      expect(totals["payout:restaurant"]).toBeGreaterThan(0);
    });

    it("a courier who never picks up is withdrawn and the order goes to another courier, who is paid for it", async () => {
      // The ready deadline is far off, so however far the clock runs past the pickup deadline the order stays open.
      const s = await start({ couriers: 2, dispatch: { pickupTimeoutMs: PICKUP_TIMEOUT_MS, readyTimeoutMs: 24 * HOUR } });
      const placed = await s.placeOrder();
      const first = await offerOf(s, placed.id, 1);
      const accepted = await s.tiffin.send(s.courier(1), { type: "AcceptOffer", offerId: first.id, token: first.token });
      expect(accepted.ok).toBe(true);
      await s.waitForView(placed.id, "ready with courier-1", (v) => v.status === "ready" && v.courierId === "courier-1");
      await s.advanceUntil(
        "the order to leave the courier who never came",
        async () => (await s.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.load(placed.id)))?.courierId !== "courier-1",
        60_000,
        30_000,
      );
      const late = await s.tiffin.send(s.courier(1), { type: "MarkPickedUp", orderId: placed.id });
      expect(late.ok).toBe(false);
      await s.waitForView(placed.id, "no longer showing courier-1", (v) => v.courierId !== "courier-1", 15_000);
      await s.deliver(placed.id, 2);
      await s.waitForSaga(placed.id, ["completed"], 15_000);
      const payouts = (await s.ledger(placed.id)).filter((e) => e.kind === "payout" && e.party === "courier");
      expect(payouts.map((e) => e.partyId)).toEqual(["courier-2"]);
    });

    it("a charge refused after an unanswered attempt is unresolved until the ledger shows the charge: then the order goes on", async () => {
      const s = await start({ sagaGateways: unansweredThenRefused(true) });
      const placed = await s.placeOrder();
      await unresolvedListed(s, placed.id);
      expect((await s.view(placed.id))?.status).toBe("placed");
      s.advance(RECONCILIATION_DEFAULTS.graceMs + 1);
      await s.waitForView(placed.id, "confirmed", (v) => v.status !== "placed", 15_000);
      await s.deliver(placed.id);
      await s.waitForSaga(placed.id, ["completed"], 15_000);
      expect(ledgerTotals(await s.ledger(placed.id))).toMatchObject({ "charge:customer": 2500 });
      expect(repairsOf(s, placed.id)).toEqual(["unresolved_step_settled"]);
    });

    it("a charge refused after an unanswered attempt, with no charge in the ledger, ends as declined with no money moved", async () => {
      const s = await start({ sagaGateways: unansweredThenRefused(false) });
      const placed = await s.placeOrder();
      await unresolvedListed(s, placed.id);
      s.advance(RECONCILIATION_DEFAULTS.graceMs + 1);
      await s.waitForSaga(placed.id, ["compensated"], 15_000);
      const view = await s.waitForView(placed.id, "cancelled", (v) => v.status === "cancelled", 15_000);
      expect(view.cancellationReason).toBe("payment_declined");
      expect(await s.ledger(placed.id)).toEqual([]);
      expect(repairsOf(s, placed.id)).toEqual(["unresolved_step_settled"]);
    });

    it("a worker whose clock is an hour behind cannot make a live offer look expired to the API", async () => {
      const s = await start({ workerClockSkewMs: -HOUR });
      const placed = await s.placeOrder();
      await s.deliver(placed.id);
      await s.waitForSaga(placed.id, ["completed"], 15_000);
      expect(Object.keys(ledgerTotals(await s.ledger(placed.id))).sort()).toEqual(["charge:customer", "payout:courier", "payout:restaurant"]);
    });

    it("a step live in a worker whose clock is an hour behind is not re-issued by a process on the database's time", async () => {
      const held = heldCharges();
      const s = await start({ workerClockSkewMs: -HOUR, sagaGateways: held.gateways });
      const placed = await s.placeOrder();
      await held.reached;
      const recovering = s.paymentSaga().recover();
      held.release();
      expect(await recovering).toBe(0);
      await s.waitForView(placed.id, "charged", (v) => v.paymentStatus === "captured", 15_000);
      expect(await s.saga(placed.id)).toMatchObject({ attempts: 1 });
      expect(ledgerTotals(await s.ledger(placed.id))).toEqual({ "charge:customer": 2500 });
    });
  });
}
