import { describe, expect, it } from "vitest";
import { type StoreHarnessFactory, asSystem, uid, useHarness } from "./harness.js";

/** Inbox: one record per (consumer, message id), also under concurrency, and only when committed. */
export function describeInboxContract(name: string, factory: StoreHarnessFactory): void {
  describe(`${name}: Inbox contract`, () => {
    const harness = useHarness(factory);

    it("records a message id once per consumer: the second record is a no-op", async () => {
      const { uow } = harness();
      const [consumer, other, id] = [uid("consumer"), uid("consumer"), uid("msg")];
      expect(await asSystem(uow, (tx) => tx.inbox.record(consumer, id))).toBe(true);
      expect(await asSystem(uow, (tx) => tx.inbox.record(consumer, id))).toBe(false);
      expect(await asSystem(uow, (tx) => tx.inbox.record(other, id))).toBe(true);
    });

    it("answers true to exactly one of concurrent records of one id", async () => {
      const { uow } = harness();
      const [consumer, id] = [uid("consumer"), uid("msg")];
      const results = await Promise.all(Array.from({ length: 10 }, () => asSystem(uow, (tx) => tx.inbox.record(consumer, id))));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it("keeps no record when the handler's transaction rolls back", async () => {
      const { uow } = harness();
      const [consumer, id] = [uid("consumer"), uid("msg")];
      const handled = asSystem(uow, async (tx) => {
        expect(await tx.inbox.record(consumer, id)).toBe(true);
        throw new Error("handler failed");
      });
      await expect(handled).rejects.toThrow("handler failed");
      expect(await asSystem(uow, (tx) => tx.inbox.record(consumer, id))).toBe(true);
    });
  });
}
