import { afterEach, describe, expect, it } from "vitest";
import { SYSTEM_PRINCIPAL } from "../../ports/principal.js";
import type { MessagePublisher } from "../../ports/messaging.js";
import { ALL_WORKER_PARTS } from "../worker/worker-options.js";
import { Scenario, ledgerTotals } from "../../testing/scenario.js";
import { waitFor } from "../../testing/broker/wait-for.js";
import { createTiffin } from "../tiffin-facade.js";
import { silentLogger } from "../../ports/logger.js";
import { OutboxRelay } from "./outbox-relay.js";

let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.dispose();
  scenario = undefined;
});

/** A worker with consumers, timers and sweeps but no relay loop: only the API can publish. */
const withoutRelay = async (): Promise<Scenario> => {
  scenario = await new Scenario({ worker: { parts: ALL_WORKER_PARTS.filter((part) => part !== "relay") } }).start();
  return scenario;
};

const pending = (s: Scenario) => s.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.outbox.pending());

describe("publishing right after the commit", () => {
  it("publishes a placed order's event before answering, so it is charged with no relay running", async () => {
    const s = await withoutRelay();
    const tiffin = createTiffin({ ...s.appDeps(), publishAfterCommit: s.broker });
    const placed = await tiffin.send(s.customer(), { type: "PlaceOrder", idempotencyKey: "k-1", order: s.orderBody() });
    if (!placed.ok) throw new Error(placed.error.code);
    expect(await pending(s)).toBe(0);
    await waitFor(async () => (await s.ledger(placed.value.view.id)).length > 0, { what: "the charge" });
    expect(ledgerTotals(await s.ledger(placed.value.view.id))).toEqual({ "charge:customer": 2500 });
  });

  it("without it, the placed order waits in the outbox for a relay", async () => {
    const s = await withoutRelay();
    const placed = await s.placeOrder();
    expect(await pending(s)).toBe(1);
    expect(await s.saga(placed.id)).toBeNull();
  });

  it("answers the command even when the broker fails, and leaves the event to the relay", async () => {
    const s = await withoutRelay();
    const down: MessagePublisher = { publish: () => Promise.reject(new Error("broker down")), close: async () => {} };
    const tiffin = createTiffin({ ...s.appDeps(), publishAfterCommit: down });
    const placed = await tiffin.send(s.customer(), { type: "PlaceOrder", idempotencyKey: "k-2", order: s.orderBody() });
    expect(placed.ok).toBe(true);
    expect(await pending(s)).toBe(1);
  });

  it("answers after its time budget when the broker hangs; a relay publishes it once that claim's lease is over", async () => {
    const s = await withoutRelay();
    const hanging: MessagePublisher = { publish: () => new Promise(() => {}), close: async () => {} };
    const tiffin = createTiffin({ ...s.appDeps(), publishAfterCommit: hanging }, { publishAfterCommitTimeoutMs: 20 });
    const placed = await tiffin.send(s.customer(), { type: "PlaceOrder", idempotencyKey: "k-3", order: s.orderBody() });
    if (!placed.ok) throw new Error(placed.error.code);
    const relay = new OutboxRelay(s.uow, s.broker, silentLogger, { relayId: "worker-relay" });
    expect(await relay.drain()).toBe(0);
    s.advance(60_000);
    expect(await relay.drain()).toBe(1);
    await waitFor(async () => (await s.ledger(placed.value.view.id)).length > 0, { what: "the charge" });
  });
});
