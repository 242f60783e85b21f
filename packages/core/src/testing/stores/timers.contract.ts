import { describe, expect, it } from "vitest";
import type { Timer } from "../../ports/timers.js";
import type { UnitOfWork } from "../../ports/unit-of-work.js";
import { type StoreHarnessFactory, asSystem, uid, useHarness } from "./harness.js";

const T0 = new Date("2026-03-01T12:00:00.000Z");
const at = (ms: number): Date => new Date(T0.getTime() + ms);

const timer = (overrides: Partial<Timer> = {}): Timer => ({
  id: uid("timer"),
  kind: "offer.expire",
  key: uid("offer.expire"),
  dueAt: T0.toISOString(),
  payload: { offerId: "offer-1", token: 7 },
  ...overrides,
});

/** Claims due timers for `owner` and returns only those with the given ids (others' timers are left leased). */
const claimMine = async (uow: UnitOfWork, owner: string, now: Date, ids: readonly string[], leaseMs = 30_000): Promise<Timer[]> =>
  (await asSystem(uow, (tx) => tx.timers.claimDue(owner, now, 1_000, leaseMs))).filter((t) => ids.includes(t.id));

/** Timers: dedupe by key, due timers handed to one poller, completion, cancellation and lease expiry. */
export function describeTimersContract(name: string, factory: StoreHarnessFactory): void {
  describe(`${name}: Timers contract`, () => {
    const harness = useHarness(factory);

    it("hands out a timer once it is due, with its payload, and never after completion", async () => {
      const { uow } = harness();
      const t = timer({ dueAt: at(5_000).toISOString() });
      await asSystem(uow, (tx) => tx.timers.schedule(t));
      expect(await claimMine(uow, "poller-a", at(4_999), [t.id])).toEqual([]);
      expect(await claimMine(uow, "poller-a", at(5_000), [t.id])).toEqual([t]);
      await asSystem(uow, (tx) => tx.timers.complete("poller-a", t.id));
      expect(await claimMine(uow, "poller-b", at(999_999), [t.id])).toEqual([]);
    });

    it("leaves a pending timer as it is when a timer with the same key is scheduled", async () => {
      const { uow } = harness();
      const first = timer();
      const duplicate = timer({ key: first.key, payload: { offerId: "other" } });
      await asSystem(uow, (tx) => tx.timers.schedule(first));
      await asSystem(uow, (tx) => tx.timers.schedule(duplicate));
      expect(await claimMine(uow, "poller-a", at(0), [first.id, duplicate.id])).toEqual([first]);
      await asSystem(uow, (tx) => tx.timers.complete("poller-a", first.id));
    });

    it("says whether a timer with a key prefix is pending, until it completes or is cancelled", async () => {
      const { uow } = harness();
      const prefix = uid("dispatch.retry");
      const t = timer({ key: `${prefix}:1:1` });
      expect(await asSystem(uow, (tx) => tx.timers.hasPending(prefix))).toBe(false);
      await asSystem(uow, (tx) => tx.timers.schedule(t));
      expect(await asSystem(uow, (tx) => tx.timers.hasPending(prefix))).toBe(true);
      expect(await asSystem(uow, (tx) => tx.timers.hasPending(`${prefix}:2`))).toBe(false);
      await asSystem(uow, (tx) => tx.timers.cancel(t.key));
      expect(await asSystem(uow, (tx) => tx.timers.hasPending(prefix))).toBe(false);
      const u = timer({ key: `${prefix}:2:1` });
      await asSystem(uow, (tx) => tx.timers.schedule(u));
      expect(await claimMine(uow, "poller-a", at(0), [u.id])).toEqual([u]);
      expect(await asSystem(uow, (tx) => tx.timers.hasPending(prefix))).toBe(true);
      await asSystem(uow, (tx) => tx.timers.complete("poller-a", u.id));
      expect(await asSystem(uow, (tx) => tx.timers.hasPending(prefix))).toBe(false);
    });

    it("cancels a pending timer by key", async () => {
      const { uow } = harness();
      const t = timer();
      await asSystem(uow, (tx) => tx.timers.schedule(t));
      await asSystem(uow, (tx) => tx.timers.cancel(t.key));
      await asSystem(uow, (tx) => tx.timers.cancel(uid("no-such-key")));
      expect(await claimMine(uow, "poller-a", at(60_000), [t.id])).toEqual([]);
    });

    it("fires a due timer once across three competing pollers", async () => {
      const { uow } = harness();
      const timers = Array.from({ length: 6 }, () => timer());
      await asSystem(uow, async (tx) => {
        for (const t of timers) await tx.timers.schedule(t);
      });
      const ids = timers.map((t) => t.id);
      const claims = await Promise.all(["poller-a", "poller-b", "poller-c"].map((p) => claimMine(uow, p, at(0), ids)));
      const handed = claims.flat().map((t) => t.id);
      expect(handed.sort()).toEqual([...ids].sort());
      const again = await Promise.all(["poller-a", "poller-b", "poller-c"].map((p) => claimMine(uow, p, at(1_000), ids)));
      expect(again.flat()).toEqual([]);
      await asSystem(uow, async (tx) => {
        for (const [i, owner] of ["poller-a", "poller-b", "poller-c"].entries()) {
          for (const t of claims[i] ?? []) await tx.timers.complete(owner, t.id);
        }
      });
    });

    it("hands a timer out again after its poller's lease expires; the old poller's complete then changes nothing", async () => {
      const { uow } = harness();
      const t = timer();
      await asSystem(uow, (tx) => tx.timers.schedule(t));
      expect(await claimMine(uow, "poller-dead", at(0), [t.id], 10_000)).toEqual([t]);
      expect(await claimMine(uow, "poller-b", at(9_000), [t.id])).toEqual([]);
      expect(await claimMine(uow, "poller-b", at(10_001), [t.id], 10_000)).toEqual([t]);
      await asSystem(uow, (tx) => tx.timers.complete("poller-dead", t.id));
      expect(await claimMine(uow, "poller-c", at(20_002), [t.id])).toEqual([t]);
      await asSystem(uow, (tx) => tx.timers.complete("poller-c", t.id));
      expect(await claimMine(uow, "poller-d", at(999_999), [t.id])).toEqual([]);
    });
  });
}
