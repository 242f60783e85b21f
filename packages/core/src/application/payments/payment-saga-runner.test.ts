import { describe, expect, it } from "vitest";
import type { PaymentGateway } from "../../ports/payment-gateway.js";
import { sagaEventsOf, sagaFixture } from "./payment-saga-fixture.js";

describe("payment saga runner", () => {
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
    const dying: PaymentGateway = {
      charge: async (request) => {
        await f.payments.charge(request);
        throw Object.assign(new Error("process died"), { transient: false });
      },
      refund: (request) => f.payments.refund(request),
    };
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
    const dying: PaymentGateway = {
      charge: (request) => f.payments.charge(request),
      refund: async (request) => {
        await f.payments.refund(request);
        throw Object.assign(new Error("process died"), { transient: false });
      },
    };
    await expect(f.runner(dying).handle(f.messages.cancelled)).rejects.toThrow("process died");
    f.clock.advance(5_000);
    expect(await f.runner().recover()).toBe(1);
    expect(await f.ledger()).toEqual(["charge:customer:2000", "refund:customer:2000"]);
    expect(await f.saga()).toMatchObject({ status: "compensated", compensated: ["refund"] });
  });
});
