import { afterEach, describe, expect, it } from "vitest";
import type { Outbox } from "../../ports/outbox.js";
import { SYSTEM_PRINCIPAL } from "../../ports/principal.js";
import type { TransactionStores, UnitOfWork } from "../../ports/unit-of-work.js";
import { Scenario, ledgerTotals } from "../../testing/scenario.js";

/** A relay that dies after the broker took a batch and before marking it sent, `times` times. */
function dyingRelay(times: number) {
  let left = times;
  const outbox = (inner: Outbox): Outbox => ({
    append: (topic, messages) => inner.append(topic, messages),
    claim: (relayId, limit, leaseMs, options) => inner.claim(relayId, limit, leaseMs, options),
    release: (relayId, positions) => inner.release(relayId, positions),
    setAside: (relayId, position, reason) => inner.setAside(relayId, position, reason),
    setAsideRecords: (options) => inner.setAsideRecords(options),
    restore: (position) => inner.restore(position),
    pending: () => inner.pending(),
    markSent: async (relayId, positions) => {
      if (left > 0) {
        left -= 1;
        throw new Error("relay process died before marking the batch sent");
      }
      await inner.markSent(relayId, positions);
    },
  });
  return {
    crashesLeft: () => left,
    unitOfWork: (inner: UnitOfWork): UnitOfWork => ({
      run: (principal, fn) => inner.run(principal, (tx) => fn({ ...tx, outbox: outbox(tx.outbox) } satisfies TransactionStores)),
    }),
  };
}

let scenario: Scenario;
afterEach(async () => scenario?.dispose());

describe("a relay that crashes mid-batch", () => {
  it("has the batch published again after its lease; consumers dedupe and the order still ends delivered, paid once", async () => {
    const relay = dyingRelay(3);
    scenario = await new Scenario({ unitOfWork: relay.unitOfWork, worker: { relay: { intervalMs: 2, leaseMs: 1_000 } } }).start();
    const placed = await scenario.placeOrder();
    // Each crash leaves the batch leased to the dead relay; moving the clock past the lease lets it be taken again.
    const drained = async () => relay.crashesLeft() === 0 && (await scenario.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.outbox.pending())) === 0;
    await scenario.advanceUntil("the relay to die three times, then drain the outbox", drained, 1_000);
    await scenario.deliver(placed.id);
    await scenario.waitForSaga(placed.id, ["completed"]);
    expect(ledgerTotals(await scenario.ledger(placed.id))).toEqual({ "charge:customer": 2500, "payout:restaurant": 1725, "payout:courier": 400 });
  });
});
