import { afterEach, describe, expect, it } from "vitest";
import type { SagaState } from "../../domain/payment-saga.js";
import { InfrastructureError, InfrastructureErrorCode } from "../../ports/infrastructure.errors.js";
import type { PaymentGateway } from "../../ports/payment-gateway.js";
import type { PayoutGateway } from "../../ports/payout-gateway.js";
import type { SagaStore } from "../../ports/saga-store.js";
import type { TransactionStores, UnitOfWork } from "../../ports/unit-of-work.js";
import { waitFor } from "../../testing/broker/wait-for.js";
import { Scenario, type SagaGateways, ledgerTotals } from "../../testing/scenario.js";

/**
 * Simulates a process that dies right after the provider moved money and before the saga saved the outcome:
 * after the `crashAt`-th provider call, the next save of that order's saga fails and its transaction rolls back.
 */
class CrashAfterProviderCall {
  calls = 0;
  crashed = false;
  private armedFor: string | null = null;

  constructor(private readonly crashAt: number) {}

  private async call<T>(orderId: string, work: () => Promise<T>): Promise<T> {
    const result = await work();
    this.calls += 1;
    if (this.calls === this.crashAt) this.armedFor = orderId;
    return result;
  }

  gateways = (inner: SagaGateways): SagaGateways => {
    const payments: PaymentGateway = {
      charge: (r) => this.call(r.orderId, () => inner.payments.charge(r)),
      refund: (r) => this.call(r.orderId, () => inner.payments.refund(r)),
    };
    const payouts: PayoutGateway = {
      payout: (r) => this.call(r.orderId, () => inner.payouts.payout(r)),
      clawback: (r) => this.call(r.orderId, () => inner.payouts.clawback(r)),
    };
    return { payments, payouts };
  };

  unitOfWork = (inner: UnitOfWork): UnitOfWork => ({
    run: (principal, fn) => inner.run(principal, (tx) => fn({ ...tx, sagas: this.sagas(tx) } satisfies TransactionStores)),
  });

  private sagas(tx: TransactionStores): SagaStore {
    return {
      load: (id) => tx.sagas.load(id),
      list: (f) => tx.sagas.list(f),
      stalled: (o, l) => tx.sagas.stalled(o, l),
      idle: (o, l, a) => tx.sagas.idle(o, l, a),
      save: async (state: SagaState) => {
        if (this.armedFor === state.orderId) {
          this.armedFor = null;
          this.crashed = true;
          // A process that dies retries nothing (a database blip, by contrast, is retried until the outcome is saved).
          throw new Error("process died before saving the outcome");
        }
        await tx.sagas.save(state);
      },
    };
  }
}

let scenario: Scenario;
afterEach(async () => scenario?.dispose());

describe("a crash after the provider moved money and before the saga saved it", () => {
  it("is recovered by re-issuing the step with the same key, for every step, without paying twice", async () => {
    for (const crashAt of [1, 2, 3]) {
      const crash = new CrashAfterProviderCall(crashAt);
      scenario = await new Scenario({ sagaGateways: crash.gateways, unitOfWork: crash.unitOfWork }).start();
      const placed = await scenario.placeOrder();
      const recovered = async () => {
        const saga = await scenario.saga(placed.id);
        return crash.crashed && saga !== null && saga.completed.length >= crashAt;
      };
      if (crashAt === 1) {
        await waitFor(() => crash.crashed, { what: "the crash" });
        // The step stays in flight; the recovery sweep re-issues it once it is older than stalledAfterMs (60 s).
        await scenario.advanceUntil("the charge recovered", recovered, 20_000);
      }
      await scenario.deliver(placed.id);
      if (crashAt > 1) {
        await waitFor(() => crash.crashed, { what: "the crash" });
        await scenario.advanceUntil("the payout recovered", recovered, 20_000);
      }
      await scenario.waitForSaga(placed.id, ["completed"]);

      const entries = await scenario.ledger(placed.id);
      expect({ crashAt, kinds: entries.map((e) => `${e.kind}:${e.party}`).sort() }).toEqual({
        crashAt,
        kinds: ["charge:customer", "payout:courier", "payout:restaurant"],
      });
      expect(ledgerTotals(entries)["charge:customer"]).toBe(2500);
      expect(crash.calls).toBeGreaterThan(3);
      await scenario.dispose();
    }
  }, 30_000);
});

describe("a database blip while the saga records the provider's answer", () => {
  it("is retried until recorded, so the order moves on without waiting for the recovery sweep", async () => {
    let blips = 2;
    const flaky = (inner: UnitOfWork): UnitOfWork => ({
      run: (principal, fn) =>
        inner.run(principal, (tx) =>
          fn({
            ...tx,
            sagas: {
              ...tx.sagas,
              load: (id) => tx.sagas.load(id),
              list: (f) => tx.sagas.list(f),
              stalled: (o, l) => tx.sagas.stalled(o, l),
              save: async (state: SagaState) => {
                if (state.completed.includes("charge") && blips > 0) {
                  blips -= 1;
                  throw new InfrastructureError(InfrastructureErrorCode.Unavailable, "database: terminating connection", { transient: true });
                }
                await tx.sagas.save(state);
              },
            },
          }),
        ),
    });
    scenario = await new Scenario({ unitOfWork: flaky }).start();
    const placed = await scenario.placeOrder();
    // The fake clock never moves, so the recovery sweep (stalled after 60 s) cannot be what records the charge.
    await scenario.waitForView(placed.id, "captured", (v) => v.paymentStatus === "captured");
    expect(blips).toBe(0);
    expect(ledgerTotals(await scenario.ledger(placed.id))).toEqual({ "charge:customer": 2500 });
  });
});
