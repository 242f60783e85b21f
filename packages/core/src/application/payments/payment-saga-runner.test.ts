import { describe, expect, it } from "vitest";
import { type DomainEvent, type EventDataMap, type EventType, domainEvent } from "../../domain/events.js";
import { money } from "../../domain/money.js";
import { placeOrder } from "../../domain/order.js";
import type { SagaState } from "../../domain/payment-saga.js";
import { InMemoryUnitOfWork } from "../../memory/in-memory-unit-of-work.js";
import { InMemoryProviderStore } from "../../memory/simulated-provider-store.js";
import type { CloudEvent } from "../../messaging/cloud-event.js";
import { orderEventId, toCloudEvent } from "../../messaging/domain-event-envelope.js";
import { InfrastructureError, InfrastructureErrorCode } from "../../ports/infrastructure.errors.js";
import type { PaymentGateway } from "../../ports/payment-gateway.js";
import { SYSTEM_PRINCIPAL } from "../../ports/principal.js";
import { type SimulatedPaymentConfig, SimulatedPaymentGateway } from "../../simulated/simulated-payment-gateway.js";
import { SimulatedPayoutGateway } from "../../simulated/simulated-payout-gateway.js";
import { FakeClock } from "../../testing/fake-clock.js";
import { PaymentSagaRunner } from "./payment-saga-runner.js";

const ORDER = "o1";
const at = "2026-01-01T12:00:00.000Z";
const meta = { source: "tiffin/api", correlationId: "corr-1" };
const FAST = { initialDelayMs: 1, maxDelayMs: 5, timeoutMs: 200 };

const message = <T extends EventType>(type: T, version: number, data: EventDataMap[T]): CloudEvent =>
  toCloudEvent(domainEvent(type, ORDER, at, data) as DomainEvent, orderEventId(ORDER, version, 0), meta);

/** One placed order (total 20.00 EUR: restaurant 13.00, courier 4.00, platform 3.00) and a runner over simulated providers. */
async function sagaFixture(payment: SimulatedPaymentConfig = {}) {
  const clock = new FakeClock(at);
  const uow = new InMemoryUnitOfWork({ clock });
  const store = new InMemoryProviderStore();
  const payments = new SimulatedPaymentGateway(payment, { store, clock });
  const payouts = new SimulatedPayoutGateway({}, { store, clock });
  const placed = placeOrder({
    id: ORDER,
    customerId: "c1",
    restaurantId: "r1",
    lines: [],
    total: money(2000, "EUR"),
    menuVersion: 1,
    deliveryAddress: { lat: 52.5, lng: 13.4 },
    at,
  });
  await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.create(placed, meta));
  const messages = {
    placed: toCloudEvent(placed.events[0]!, orderEventId(ORDER, 1, 0), meta),
    assigned: message("courier.assigned", 3, { courierId: "k1", offerId: "f1" }),
    delivered: message("order.delivered", 6, { courierId: "k1" }),
    cancelled: message("order.cancelled", 2, { reason: "customer_cancelled", from: "placed" }),
  };
  const runner = (gateway: PaymentGateway = payments, stalledAfterMs = 1_000) =>
    new PaymentSagaRunner({ resilience: FAST, stalledAfterMs }, { uow, payments: gateway, payouts, clock });
  /** The simulated payment gateway with some calls replaced, e.g. to lose an answer or die after the provider moved money. */
  const gateway = (overrides: Partial<PaymentGateway>): PaymentGateway => ({
    charge: (request) => payments.charge(request),
    refund: (request) => payments.refund(request),
    ...overrides,
  });
  return {
    gateway,
    clock,
    uow,
    payments,
    payouts,
    messages,
    runner,
    /** The ledger as `kind:party:amount`, in booking order. */
    ledger: async () => (await payments.entries(ORDER)).map((e) => `${e.kind}:${e.party}:${e.amount.amount}`),
    /** Each party's balance from the provider's ledger (customer pays, parties receive). */
    balances: async () => {
      const balance = { customer: 0, restaurant: 0, courier: 0 };
      for (const e of await payments.entries(ORDER)) {
        balance[e.party] += (e.kind === "charge" || e.kind === "clawback" ? -1 : 1) * e.amount.amount;
      }
      return balance;
    },
    saga: (): Promise<SagaState | null> => uow.run(SYSTEM_PRINCIPAL, (tx) => tx.sagas.load(ORDER)),
    order: () => uow.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.load(ORDER)),
    /** Every pending outbox message (left pending). */
    outbox: () =>
      uow.run(SYSTEM_PRINCIPAL, async (tx) => {
        const records = await tx.outbox.claim("peek", 1_000, 60_000);
        await tx.outbox.release("peek", records.map((r) => r.position));
        return records.map((r) => r.message);
      }),
  };
}

/** The saga's own events in the outbox, as `type` (plus the party for payouts). */
async function sagaEventsOf(fixture: SagaFixture): Promise<string[]> {
  return (await fixture.outbox())
    .filter((m) => m.id.includes(":saga:"))
    .map((m) => (m.type === "payout.paid" ? `payout.paid:${(m.data as { party: string }).party}` : m.type));
}

type SagaFixture = Awaited<ReturnType<typeof sagaFixture>>;

/** A latch a test opens by hand, so two racing calls interleave in a chosen order without sleeps. */
function latch() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe("payment saga runner", () => {
  it("refuses at start a stalledAfterMs within the gateway pipeline's worst case, which would re-issue live steps", async () => {
    const f = await sagaFixture();
    const deps = { uow: f.uow, payments: f.payments, payouts: f.payouts, clock: f.clock };
    // Defaults: 4 attempts of 5 s and 3 backoffs of up to 2 s: 26 s.
    expect(() => new PaymentSagaRunner({ stalledAfterMs: 26_000 }, deps)).toThrow(/stalledAfterMs \(26000 ms\) must exceed .* 26000 ms/);
    expect(() => new PaymentSagaRunner({ stalledAfterMs: 26_001 }, deps)).not.toThrow();
  });

  it("charges once on placement and pays restaurant and courier on delivery", async () => {
    const f = await sagaFixture();
    const runner = f.runner();
    await runner.handle(f.messages.placed);
    expect(await f.ledger()).toEqual(["charge:customer:2000"]);
    await runner.handle(f.messages.assigned);
    await runner.handle(f.messages.delivered);
    expect(await f.ledger()).toEqual(["charge:customer:2000", "payout:restaurant:1300", "payout:courier:400"]);
    expect(await f.saga()).toMatchObject({ status: "completed", step: null, completed: ["charge", "pay_restaurant", "pay_courier"] });
    expect(await sagaEventsOf(f)).toEqual(["payment.captured", "payout.paid:restaurant", "payout.paid:courier", "saga.completed"]);
  });

  it("writes its events about the order, correlated and caused by the message that started the step", async () => {
    const f = await sagaFixture();
    await f.runner().handle(f.messages.placed);
    const captured = (await f.outbox()).find((m) => m.type === "payment.captured");
    expect(captured).toMatchObject({ id: "o1:saga:payment.captured", subject: "o1", correlationid: "corr-1", causationid: f.messages.placed.id });
  });

  it("cancels the order on a declined charge and moves no money", async () => {
    const f = await sagaFixture({ declineCustomerIds: ["c1"] });
    await f.runner().handle(f.messages.placed);
    expect(await f.ledger()).toEqual([]);
    expect(await f.saga()).toMatchObject({ status: "compensated", cancelReason: "payment_declined" });
    expect(await f.order()).toMatchObject({ status: "cancelled", cancelReason: "payment_declined" });
    expect(await sagaEventsOf(f)).toEqual(["payment.declined", "saga.compensated"]);
    expect((await f.outbox()).map((m) => m.type)).toContain("order.cancelled");
  });

  it("retries transient failures with backoff and charges exactly once", async () => {
    const f = await sagaFixture();
    f.payments.inject("charge", { kind: "transient", times: 2 });
    await f.runner().handle(f.messages.placed);
    expect(await f.ledger()).toEqual(["charge:customer:2000"]);
    expect(await f.saga()).toMatchObject({ status: "running", completed: ["charge"], lastError: null });
  });

  it("abandons a hanging call at the timeout and retries it with the same key", async () => {
    const f = await sagaFixture();
    f.payments.inject("charge", { kind: "hang", times: 1 });
    await f.runner().handle(f.messages.placed);
    expect(await f.ledger()).toEqual(["charge:customer:2000"]);
  });

  it("compensates in reverse when the courier payout fails permanently, and the ledger nets to zero", async () => {
    const f = await sagaFixture();
    f.payouts.inject("payout", { kind: "permanent", party: "courier" });
    const runner = f.runner();
    for (const m of [f.messages.placed, f.messages.assigned, f.messages.delivered]) await runner.handle(m);
    expect(await f.ledger()).toEqual(["charge:customer:2000", "payout:restaurant:1300", "clawback:restaurant:1300", "refund:customer:2000"]);
    expect(await f.balances()).toEqual({ customer: 0, restaurant: 0, courier: 0 });
    expect(await f.saga()).toMatchObject({ status: "compensated", compensated: ["clawback_restaurant", "refund"] });
    expect(await sagaEventsOf(f)).toEqual(["payment.captured", "payout.paid:restaurant", "payment.refunded", "saga.compensated"]);
  });

  it("refunds a cancellation after the charge", async () => {
    const f = await sagaFixture();
    const runner = f.runner();
    await runner.handle(f.messages.placed);
    await runner.handle(f.messages.cancelled);
    expect(await f.balances()).toEqual({ customer: 0, restaurant: 0, courier: 0 });
    expect(await f.saga()).toMatchObject({ status: "compensated", cancelReason: "customer_cancelled" });
  });

  it("ends failed, visibly, when the refund fails permanently", async () => {
    const f = await sagaFixture();
    f.payments.inject("refund", { kind: "permanent" });
    const runner = f.runner();
    await runner.handle(f.messages.placed);
    await runner.handle(f.messages.cancelled);
    expect(await f.ledger()).toEqual(["charge:customer:2000"]);
    expect(await f.saga()).toMatchObject({ status: "failed", step: null, lastError: expect.stringContaining("refund") });
    expect(await sagaEventsOf(f)).toEqual(["payment.captured", "saga.failed"]);
  });

  it("gives the same ledger and state when every message is delivered twice, even concurrently", async () => {
    const once = await sagaFixture();
    const twice = await sagaFixture();
    const [a, b] = [twice.runner(), twice.runner()];
    for (const m of [once.messages.placed, once.messages.assigned, once.messages.delivered]) await once.runner().handle(m);
    for (const m of [twice.messages.placed, twice.messages.assigned, twice.messages.delivered]) {
      await Promise.all([a.handle(m), b.handle(m)]);
      await a.handle(m);
    }
    expect(await twice.ledger()).toEqual(await once.ledger());
    expect(await twice.saga()).toEqual(await once.saga());
    expect(await sagaEventsOf(twice)).toEqual(await sagaEventsOf(once));
  });
});

describe("payment saga recovery", () => {
  it("after a crash between persisting the step and its outcome, a fresh runner re-issues the same key: one charge", async () => {
    const f = await sagaFixture();
    const dying = f.gateway({
      charge: async (request) => {
        await f.payments.charge(request);
        throw Object.assign(new Error("process died"), { transient: false });
      },
    });
    await expect(f.runner(dying).handle(f.messages.placed)).rejects.toThrow("process died");
    expect(await f.saga()).toMatchObject({ status: "running", step: "charge", completed: [] });
    await f.runner(dying).handle(f.messages.placed); // the broker redelivers: skipped by the inbox
    f.clock.advance(5_000);
    expect(await f.runner().recover()).toBe(1);
    expect(await f.ledger()).toEqual(["charge:customer:2000"]);
    expect(await f.saga()).toMatchObject({ status: "running", step: null, completed: ["charge"], attempts: 2 });
    expect(await sagaEventsOf(f)).toEqual(["payment.captured"]);
  });

  it("re-issues a stalled step once the provider is back, and leaves fresh sagas alone", async () => {
    const f = await sagaFixture();
    f.payments.inject("charge", { kind: "transient" });
    await f.runner().handle(f.messages.placed);
    expect(await f.saga()).toMatchObject({ step: "charge", lastError: expect.stringContaining("INFRA_UNAVAILABLE") });
    expect(await f.runner().recover()).toBe(0);
    f.payments.clearFaults();
    f.clock.advance(5_000);
    expect(await f.runner().recover()).toBe(1);
    expect(await f.ledger()).toEqual(["charge:customer:2000"]);
    expect(await f.saga()).toMatchObject({ step: null, completed: ["charge"] });
  });

  it("resumes a compensation from its persisted step after a crash", async () => {
    const f = await sagaFixture();
    await f.runner().handle(f.messages.placed);
    const dying = f.gateway({
      refund: async (request) => {
        await f.payments.refund(request);
        throw Object.assign(new Error("process died"), { transient: false });
      },
    });
    await expect(f.runner(dying).handle(f.messages.cancelled)).rejects.toThrow("process died");
    f.clock.advance(5_000);
    expect(await f.runner().recover()).toBe(1);
    expect(await f.ledger()).toEqual(["charge:customer:2000", "refund:customer:2000"]);
    expect(await f.saga()).toMatchObject({ status: "compensated", compensated: ["refund"] });
  });
});

describe("payment saga races", () => {
  it("retries a call that timed out but went through at the provider with its key: one charge, one capture event", async () => {
    const f = await sagaFixture();
    let calls = 0;
    const lateAnswer = f.gateway({
      charge: async (request) => {
        calls += 1;
        const outcome = await f.payments.charge(request);
        if (calls > 1) return outcome;
        // The provider moved the money, but its answer never reaches us before the timeout aborts the call.
        return new Promise((_, reject) => request.signal?.addEventListener("abort", () => reject(new Error("socket hang up"))));
      },
    });
    await f.runner(lateAnswer).handle(f.messages.placed);
    expect(calls).toBe(2);
    expect(await f.ledger()).toEqual(["charge:customer:2000"]);
    expect(await f.saga()).toMatchObject({ status: "running", step: null, completed: ["charge"] });
    expect(await sagaEventsOf(f)).toEqual(["payment.captured"]);
  });

  it("never takes a permanent refusal after an unanswered attempt as proof that no money moved", async () => {
    const f = await sagaFixture();
    let calls = 0;
    const flaky = f.gateway({
      charge: async (request) => {
        calls += 1;
        if (calls === 1) {
          await f.payments.charge(request); // the provider takes the money; its answer is lost
          throw new InfrastructureError(InfrastructureErrorCode.Timeout, "no answer", { transient: true });
        }
        if (calls <= 3) throw new InfrastructureError(InfrastructureErrorCode.Unexpected, "api key revoked", { transient: false });
        return f.payments.charge(request);
      },
    });
    await f.runner(flaky).handle(f.messages.placed);
    expect(await f.saga()).toMatchObject({ status: "unresolved", step: "charge", cancelReason: null });
    f.clock.advance(5_000);
    // Not re-issued as a stalled step: only the provider's ledger can tell, and the reconciliation asks it.
    expect(await f.runner(flaky).recover()).toBe(0);
    expect(await f.order()).toMatchObject({ status: "placed" });
    expect(await f.runner(flaky).settle(ORDER, "charge", "ledger:charge:o1")).toBe(true);
    expect(await f.runner(flaky).settle(ORDER, "charge", "ledger:charge:o1")).toBe(false);
    expect(await f.ledger()).toEqual(["charge:customer:2000"]);
    expect(await f.saga()).toMatchObject({ status: "running", step: null, completed: ["charge"] });
    expect(await sagaEventsOf(f)).toEqual(["payment.captured"]);
  });

  it("lets a recovery sweep that races a slow live step re-issue it with the same key: one charge, the late outcome ignored", async () => {
    const f = await sagaFixture();
    const release = latch();
    const reached = latch();
    const slow = f.gateway({
      charge: async (request) => {
        reached.open();
        await release.opened;
        return f.payments.charge(request);
      },
    });
    const live = f.runner(slow, 1_000).handle(f.messages.placed);
    await reached.opened;
    f.clock.advance(5_000);
    expect(await f.runner().recover()).toBe(1);
    release.open();
    await live;
    expect(await f.ledger()).toEqual(["charge:customer:2000"]);
    expect(await f.saga()).toMatchObject({ status: "running", step: null, completed: ["charge"], attempts: 2 });
    expect(await sagaEventsOf(f)).toEqual(["payment.captured"]);
  });

  it("refunds a charge that was still in flight when the order was cancelled, once the recovery sweep gets it through", async () => {
    const f = await sagaFixture();
    f.payments.inject("charge", { kind: "transient" });
    const runner = f.runner();
    await runner.handle(f.messages.placed);
    await runner.handle(f.messages.cancelled);
    expect(await f.saga()).toMatchObject({ status: "running", step: "charge", cancelReason: "customer_cancelled" });
    f.payments.clearFaults();
    f.clock.advance(5_000);
    await runner.recover();
    expect(await f.ledger()).toEqual(["charge:customer:2000", "refund:customer:2000"]);
    expect(await f.saga()).toMatchObject({ status: "compensated", compensated: ["refund"] });
    expect(await sagaEventsOf(f)).toEqual(["payment.captured", "payment.refunded", "saga.compensated"]);
  });
});
