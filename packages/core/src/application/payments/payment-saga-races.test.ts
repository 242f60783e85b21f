import { describe, expect, it } from "vitest";
import { InfrastructureError, InfrastructureErrorCode } from "../../ports/infrastructure.errors.js";
import type { PaymentGateway } from "../../ports/payment-gateway.js";
import { latch, sagaEventsOf, sagaFixture } from "./payment-saga-fixture.js";

describe("payment saga races", () => {
  it("retries a call that timed out but went through at the provider with its key: one charge, one capture event", async () => {
    const f = await sagaFixture();
    let calls = 0;
    const lateAnswer: PaymentGateway = {
      charge: async (request) => {
        calls += 1;
        const outcome = await f.payments.charge(request);
        if (calls > 1) return outcome;
        // The provider moved the money, but its answer never reaches us before the timeout aborts the call.
        return new Promise((_, reject) => request.signal?.addEventListener("abort", () => reject(new Error("socket hang up"))));
      },
      refund: (request) => f.payments.refund(request),
    };
    await f.runner(lateAnswer).handle(f.messages.placed);
    expect(calls).toBe(2);
    expect(await f.ledger()).toEqual(["charge:customer:2000"]);
    expect(await f.saga()).toMatchObject({ status: "running", step: null, completed: ["charge"] });
    expect(await sagaEventsOf(f)).toEqual(["payment.captured"]);
  });

  it("never takes a permanent refusal after an unanswered attempt as proof that no money moved", async () => {
    const f = await sagaFixture();
    let calls = 0;
    const flaky: PaymentGateway = {
      charge: async (request) => {
        calls += 1;
        if (calls === 1) {
          await f.payments.charge(request); // the provider takes the money; its answer is lost
          throw new InfrastructureError(InfrastructureErrorCode.Timeout, "no answer", { transient: true });
        }
        if (calls <= 3) throw new InfrastructureError(InfrastructureErrorCode.Unexpected, "api key revoked", { transient: false });
        return f.payments.charge(request);
      },
      refund: (request) => f.payments.refund(request),
    };
    await f.runner(flaky).handle(f.messages.placed);
    expect(await f.saga()).toMatchObject({ status: "running", step: "charge", cancelReason: null });
    f.clock.advance(5_000);
    await f.runner(flaky).recover(); // a fresh process re-issues it: refused again, still not concluded
    expect(await f.order()).toMatchObject({ status: "placed" });
    f.clock.advance(5_000);
    await f.runner(flaky).recover();
    expect(await f.ledger()).toEqual(["charge:customer:2000"]);
    expect(await f.saga()).toMatchObject({ status: "running", step: null, completed: ["charge"] });
    expect(await sagaEventsOf(f)).toEqual(["payment.captured"]);
  });

  it("lets a recovery sweep that races a slow live step re-issue it with the same key: one charge, the late outcome ignored", async () => {
    const f = await sagaFixture();
    const release = latch();
    const reached = latch();
    const slow: PaymentGateway = {
      charge: async (request) => {
        reached.open();
        await release.opened;
        return f.payments.charge(request);
      },
      refund: (request) => f.payments.refund(request),
    };
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
