import { describe, expect, it } from "vitest";
import { DeciderSpecification } from "../testing/decider-specification.js";
import { money } from "./money.js";
import { type SagaCommand, type SagaInput, type SagaState, type SagaStepName, decide, evolve } from "./payment-saga.js";
import { splitPayout } from "./payment-saga-split.js";

const at = "2026-01-01T12:00:00.000Z";
const total = money(2000, "EUR");
const payouts = splitPayout(total, { commissionBps: 1500, courierFee: 400 }); // platform 300, courier 400, restaurant 1300

const placed: SagaInput = { type: "order.placed", orderId: "o1", customerId: "c1", restaurantId: "r1", amount: total, payouts, at, messageId: "m1" };
const assigned: SagaInput = { type: "courier.assigned", orderId: "o1", courierId: "k1", at };
const delivered: SagaInput = { type: "order.delivered", orderId: "o1", courierId: "k1", at, messageId: "m9" };
const cancelled: SagaInput = { type: "order.cancelled", orderId: "o1", reason: "restaurant_rejected", at };
const ok = (step: SagaStepName): SagaInput => ({ type: "step.succeeded", step, reference: `ref-${step}`, at });
const failed = (step: SagaStepName): SagaInput => ({ type: "step.failed", step, error: `${step} broke`, at });
const declined: SagaInput = { type: "step.declined", step: "charge", reason: "insufficient_funds", at };

const spec = DeciderSpecification.for<SagaState | null, SagaInput, SagaCommand>({
  decide,
  evolve,
  initialState: () => null,
});

const charge: SagaCommand = { type: "charge", step: "charge", idempotencyKey: "charge:o1", orderId: "o1", customerId: "c1", amount: total };
const refund: SagaCommand = { type: "refund", step: "refund", idempotencyKey: "refund:o1", orderId: "o1", amount: total };
const restaurantMoney = { party: "restaurant", partyId: "r1", amount: money(1300, "EUR") } as const;
const courierMoney = { party: "courier", partyId: "k1", amount: money(400, "EUR") } as const;
const payRestaurant: SagaCommand = { type: "payout", step: "pay_restaurant", idempotencyKey: "payout:restaurant:o1", orderId: "o1", ...restaurantMoney };
const payCourier: SagaCommand = { type: "payout", step: "pay_courier", idempotencyKey: "payout:courier:o1", orderId: "o1", ...courierMoney };
const clawbackRestaurant: SagaCommand = { type: "clawback", step: "clawback_restaurant", idempotencyKey: "clawback:restaurant:o1", orderId: "o1", ...restaurantMoney };

const happy = [placed, ok("charge"), assigned, delivered, ok("pay_restaurant")];

describe("payment saga: forward path", () => {
  it("charges the customer when the order is placed", () => {
    spec().when(placed).then([charge]);
    spec().when(placed).thenState({ status: "running", step: "charge", attempts: 1, version: 1, causationId: "m1" });
  });

  it("waits for delivery after the charge is captured", () => {
    spec([placed]).when(ok("charge")).then([]);
    spec([placed]).when(ok("charge")).thenState({ status: "running", step: null, completed: ["charge"] });
  });

  it("pays the restaurant its share on delivery, then the courier its fee, then completes", () => {
    spec([placed, ok("charge"), assigned]).when(delivered).then([payRestaurant]);
    spec([placed, ok("charge"), assigned, delivered]).when(ok("pay_restaurant")).then([payCourier]);
    spec(happy).when(ok("pay_courier")).then([]);
    spec(happy).when(ok("pay_courier")).thenState({ status: "completed", step: null, completed: ["charge", "pay_restaurant", "pay_courier"] });
  });

  it("pays the courier who delivered even when no assignment was seen", () => {
    spec([placed, ok("charge"), delivered]).when(ok("pay_restaurant")).then([payCourier]);
  });
});

describe("payment saga: declines and cancellations", () => {
  it("a declined charge cancels the order and ends compensated, with nothing to compensate", () => {
    spec([placed]).when(declined).then([{ type: "cancel_order", orderId: "o1", reason: "payment_declined" }]);
    spec([placed]).when(declined).thenState({ status: "compensated", step: null, completed: [], cancelReason: "payment_declined" });
  });

  it("a charge failing permanently ends like a decline", () => {
    spec([placed]).when(failed("charge")).then([{ type: "cancel_order", orderId: "o1", reason: "payment_declined" }]);
    spec([placed]).when(failed("charge")).thenState({ status: "compensated", lastError: "charge broke" });
  });

  it("does not cancel again an order cancelled while its charge was in flight", () => {
    spec([placed, cancelled]).when(declined).then([]);
    spec([placed, cancelled]).when(declined).thenState({ status: "compensated", cancelReason: "restaurant_rejected" });
  });

  it("refunds a cancellation after the charge", () => {
    spec([placed, ok("charge")]).when(cancelled).then([refund]);
    spec([placed, ok("charge"), cancelled]).when(ok("refund")).thenState({ status: "compensated", compensated: ["refund"] });
  });

  it("refunds once the in-flight charge succeeds when the cancellation came first", () => {
    spec([placed]).when(cancelled).then([]);
    spec([placed, cancelled]).when(ok("charge")).then([refund]);
  });

  it("closes a saga whose cancellation arrived before its placement, and never charges it", () => {
    spec().when(cancelled).thenState({ status: "compensated", step: null, cancelReason: "restaurant_rejected" });
    spec([cancelled]).when(placed).then([]);
    spec([cancelled]).when(placed).thenState({ status: "compensated", customerId: "c1", amount: total });
  });

  it("ignores a delivery after a cancellation", () => {
    spec([placed, ok("charge"), cancelled]).when(delivered).then([]);
  });
});

describe("payment saga: compensation in reverse", () => {
  it("a courier payout failing permanently claws back the restaurant, then refunds, then ends compensated", () => {
    spec(happy).when(failed("pay_courier")).then([clawbackRestaurant]);
    spec([...happy, failed("pay_courier")]).when(ok("clawback_restaurant")).then([refund]);
    spec([...happy, failed("pay_courier"), ok("clawback_restaurant")]).when(ok("refund")).thenState({
      status: "compensated",
      compensated: ["clawback_restaurant", "refund"],
      lastError: "pay_courier broke",
    });
  });

  it("a compensation failing permanently ends the saga failed", () => {
    spec([placed, ok("charge"), cancelled]).when(failed("refund")).then([]);
    spec([placed, ok("charge"), cancelled]).when(failed("refund")).thenState({ status: "failed", step: null, lastError: "refund broke" });
  });
});

describe("payment saga: duplicates, stale outcomes and recovery", () => {
  it("commands nothing for a duplicated event and returns the very same state", () => {
    spec([placed]).when(placed).then([]);
    const state = evolve(evolve(null, placed), ok("charge"));
    expect(evolve(state, ok("charge"))).toBe(state);
    expect(evolve(state, placed)).toBe(state);
  });

  it("ignores an outcome for a step that is not in flight", () => {
    spec([placed]).when(ok("refund")).then([]);
    spec([placed, ok("charge")]).when(failed("charge")).thenState({ status: "running", completed: ["charge"] });
  });

  it("re-issues the in-flight step with the same key on recovery", () => {
    const reissued: SagaInput = { type: "step.reissued", step: "charge", at };
    spec([placed]).when(reissued).then([charge]);
    spec([placed]).when(reissued).thenState({ step: "charge", attempts: 2 });
  });

  it("keeps a stalled step in flight with its error", () => {
    const stalled: SagaInput = { type: "step.stalled", step: "charge", error: "gateway timeout", at };
    spec([placed]).when(stalled).then([]);
    spec([placed]).when(stalled).thenState({ status: "running", step: "charge", lastError: "gateway timeout" });
  });
});

describe("payment saga: permanent refusals after an unanswered attempt", () => {
  const stalled = (step: SagaStepName): SagaInput => ({ type: "step.stalled", step, error: "gateway timeout", at });
  const reissued = (step: SagaStepName): SagaInput => ({ type: "step.reissued", step, at });

  it("keeps the step in flight, since the unanswered attempt may have moved the money", () => {
    for (const given of [[placed, stalled("charge")], [placed, reissued("charge")]]) {
      spec(given).when(failed("charge")).then([]);
      spec(given).when(failed("charge")).thenState({ status: "unresolved", step: "charge", cancelReason: null, stepUncertain: true });
    }
    const uncertain: SagaInput = { type: "step.failed", step: "pay_restaurant", error: "revoked", at, uncertain: true };
    spec(happy.slice(0, 4)).when(uncertain).thenState({ status: "unresolved", step: "pay_restaurant", completed: ["charge"] });
  });

  it("settles an unresolved step from the ledger: a movement found goes on, none found stands as the refusal", () => {
    const unresolved = [placed, stalled("charge"), failed("charge")];
    const found: SagaInput = { type: "step.settled", step: "charge", reference: "ledger:charge:o1", at };
    const none: SagaInput = { type: "step.settled", step: "charge", reference: null, at };
    spec(unresolved).when(found).thenState({ status: "running", step: null, completed: ["charge"] });
    spec(unresolved).when(none).then([{ type: "cancel_order", orderId: "o1", reason: "payment_declined" }]);
    spec(unresolved).when(none).thenState({ status: "compensated", step: null, cancelReason: "payment_declined" });
    // A cancellation while unresolved is kept: once the charge is found, it is refunded.
    spec([...unresolved, cancelled]).when(found).then([refund]);
    // Only an unresolved saga is settled.
    spec([placed]).when(found).thenState({ status: "running", step: "charge", completed: [] });
  });

  it("still concludes a step refused on its first, answered attempt (uncertainty is per step), and on a decline", () => {
    spec([placed]).when(failed("charge")).thenState({ status: "compensated", step: null, cancelReason: "payment_declined" });
    spec([placed, stalled("charge")]).when(declined).thenState({ status: "compensated", cancelReason: "payment_declined" });
    spec([placed, stalled("charge"), ok("charge"), cancelled]).when(failed("refund")).thenState({ status: "failed", step: null });
    // A compensation refused after an unanswered attempt still ends failed: visible, for a human with the ledger.
    spec([placed, ok("charge"), cancelled, stalled("refund")]).when(failed("refund")).thenState({ status: "failed", step: null });
  });
});

describe("payment saga: an order cancelled after its food was made", () => {
  const abandoned: SagaInput = { type: "order.cancelled", orderId: "o1", reason: "no_courier", at, foodMade: true };

  it("refunds the customer and still pays the restaurant, never clawing it back", () => {
    spec([placed, ok("charge")]).when(abandoned).then([refund]);
    spec([placed, ok("charge"), abandoned]).when(ok("refund")).then([payRestaurant]);
    spec([placed, ok("charge"), abandoned, ok("refund")]).when(ok("pay_restaurant")).thenState({
      status: "compensated",
      step: null,
      completed: ["charge", "pay_restaurant"],
      compensated: ["refund"],
    });
  });

  it("ends failed, for a human, when the restaurant's pay is refused", () => {
    spec([placed, ok("charge"), abandoned, ok("refund")]).when(failed("pay_restaurant")).thenState({ status: "failed", step: null });
  });
});

describe("payout split", () => {
  it("gives the platform its commission, the courier its fee and the restaurant the rest", () => {
    expect(payouts).toEqual({ platform: money(300, "EUR"), courier: money(400, "EUR"), restaurant: money(1300, "EUR") });
  });

  it("never pays out more than the total", () => {
    const tiny = splitPayout(money(333, "EUR"), { commissionBps: 1500, courierFee: 400 });
    expect(tiny).toEqual({ platform: money(49, "EUR"), courier: money(284, "EUR"), restaurant: money(0, "EUR") });
  });
});
