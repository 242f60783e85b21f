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
    // What had reached the broker when the answer came. (The outbox's count is no measure of it: the worker's saga,
    // running meanwhile, may already have appended its next event.)
    const published: string[] = [];
    const recording: MessagePublisher = {
      publish: async (topic, messages) => {
        await s.broker.publish(topic, messages);
        published.push(...messages.map((m) => `${m.type} ${m.subject}`));
      },
      close: async () => {},
    };
    const tiffin = createTiffin({ ...s.appDeps(), publishAfterCommit: recording });
    const placed = await tiffin.send(s.customer(), { type: "PlaceOrder", idempotencyKey: "k-1", order: s.orderBody() });
    if (!placed.ok) throw new Error(placed.error.code);
    expect(published).toContain(`order.placed ${placed.value.view.id}`);
    await waitFor(async () => (await s.ledger(placed.value.view.id)).length > 0, { what: "the charge" });
    expect(ledgerTotals(await s.ledger(placed.value.view.id))).toEqual({ "charge:customer": 2500 });
  });

  it("lets concurrent commands share a relay pass: fewer broker publishes than orders, each published before its answer", async () => {
    const s = await withoutRelay();
    const published: string[] = [];
    let publishes = 0;
    const slow: MessagePublisher = {
      publish: async (topic, messages) => {
        publishes += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
        await s.broker.publish(topic, messages);
        published.push(...messages.filter((m) => m.type === "order.placed").map((m) => m.subject ?? ""));
      },
      close: async () => {},
    };
    const tiffin = createTiffin({ ...s.appDeps(), publishAfterCommit: slow });
    const answers = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const placed = await tiffin.send(s.customer(), { type: "PlaceOrder", idempotencyKey: `k-share-${i}`, order: s.orderBody() });
        if (!placed.ok) throw new Error(placed.error.code);
        return { id: placed.value.view.id, publishedByThen: published.includes(placed.value.view.id) };
      }),
    );
    expect(answers.every((a) => a.publishedByThen)).toBe(true);
    expect(publishes).toBeLessThan(12);
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
