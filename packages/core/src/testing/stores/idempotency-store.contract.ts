import { describe, expect, it } from "vitest";
import type { IdempotencyRecord } from "../../ports/idempotency-store.js";
import type { Principal } from "../../ports/principal.js";
import { type StoreHarnessFactory, uid, useHarness } from "./harness.js";

const record = (scope: string, key: string, n: number): IdempotencyRecord => ({
  scope,
  key,
  requestHash: `hash-${n}`,
  response: { status: 201, body: { orderId: `order-${n}` } },
  createdAt: "2026-03-01T12:00:00.000Z",
});

/** IdempotencyStore: the first writer wins, concurrent duplicates resolve to one claim, rollbacks free the key. */
export function describeIdempotencyStoreContract(name: string, factory: StoreHarnessFactory): void {
  describe(`${name}: IdempotencyStore contract`, () => {
    const harness = useHarness(factory);
    const customer = (): Principal => ({ role: "customer", id: uid("customer") });

    it("claims a new key, then returns the first record to a later claim with another request", async () => {
      const { uow } = harness();
      const who = customer();
      const key = uid("key");
      expect(await uow.run(who, (tx) => tx.idempotency.claim(record(who.id, key, 1)))).toEqual({ outcome: "claimed" });
      expect(await uow.run(who, (tx) => tx.idempotency.claim(record(who.id, key, 2)))).toEqual({
        outcome: "existing",
        record: record(who.id, key, 1),
      });
    });

    it("keeps keys of different scopes apart", async () => {
      const { uow } = harness();
      const [a, b] = [customer(), customer()];
      const key = uid("key");
      expect(await uow.run(a, (tx) => tx.idempotency.claim(record(a.id, key, 1)))).toEqual({ outcome: "claimed" });
      expect(await uow.run(b, (tx) => tx.idempotency.claim(record(b.id, key, 2)))).toEqual({ outcome: "claimed" });
    });

    it("resolves 20 concurrent claims of one key to exactly one claimed; the rest see its record", async () => {
      const { uow } = harness();
      const who = customer();
      const key = uid("key");
      const claims = await Promise.all(
        Array.from({ length: 20 }, (_, n) => uow.run(who, (tx) => tx.idempotency.claim(record(who.id, key, n)))),
      );
      const winner = claims.findIndex((c) => c.outcome === "claimed");
      expect(claims.filter((c) => c.outcome === "claimed")).toHaveLength(1);
      const seen = new Set(claims.flatMap((c) => (c.outcome === "existing" ? [c.record.requestHash] : [])));
      expect([...seen]).toEqual([`hash-${winner}`]);
    });

    it("frees the key when the claiming transaction rolls back", async () => {
      const { uow } = harness();
      const who = customer();
      const key = uid("key");
      const failed = uow.run(who, async (tx) => {
        await tx.idempotency.claim(record(who.id, key, 1));
        throw new Error("request failed");
      });
      await expect(failed).rejects.toThrow("request failed");
      expect(await uow.run(who, (tx) => tx.idempotency.claim(record(who.id, key, 2)))).toEqual({ outcome: "claimed" });
    });
  });
}
