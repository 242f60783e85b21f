import { describe, expect, it } from "vitest";
import type { CloudEvent } from "../../messaging/cloud-event.js";
import type { OutboxRecord } from "../../ports/outbox.js";
import type { UnitOfWork } from "../../ports/unit-of-work.js";
import { type StoreHarnessFactory, afterElapsed, asSystem, takeOutbox, uid, useHarness } from "./harness.js";

const event = (subject: string, n: number): CloudEvent => ({
  specversion: "1.0",
  id: `${subject}:${n}`,
  source: "tiffin/test",
  type: "test.happened",
  time: new Date().toISOString(),
  subject,
  datacontenttype: "application/json",
  data: { n },
});

/** Claims everything it can for `relay` and returns the records of `keys` (foreign records stay claimed by it). */
const claimAll = (uow: UnitOfWork, relay: string, leaseMs = 60_000): Promise<OutboxRecord[]> =>
  asSystem(uow, (tx) => tx.outbox.claim(relay, 1_000, leaseMs));

const own = (records: readonly OutboxRecord[], keys: readonly string[]): OutboxRecord[] => records.filter((r) => keys.includes(r.key));

const giveBack = (uow: UnitOfWork, relay: string, records: readonly OutboxRecord[]): Promise<void> =>
  asSystem(uow, (tx) => tx.outbox.release(relay, records.map((r) => r.position)));

/** Outbox: per-key order, one relay per key at a time, markSent/release, and lease expiry. */
export function describeOutboxContract(name: string, factory: StoreHarnessFactory): void {
  describe(`${name}: Outbox contract`, () => {
    const harness = useHarness(factory);

    it("keys each message by its subject and hands a key's records out in append order", async () => {
      const { uow } = harness();
      const key = uid("order");
      const topic = uid("t");
      await asSystem(uow, (tx) => tx.outbox.append(topic, [event(key, 1), event(key, 2), event(key, 3)]));
      await asSystem(uow, (tx) => tx.outbox.append(topic, [event(key, 4), event(key, 5)]));
      const records = await takeOutbox(uow, [key]);
      expect(records.map((r) => r.message.id)).toEqual([1, 2, 3, 4, 5].map((n) => `${key}:${n}`));
      expect(records.every((r) => r.topic === topic && r.key === key)).toBe(true);
      expect(records.map((r) => r.position)).toEqual([...records.map((r) => r.position)].sort((a, b) => a - b));
      expect(records[0]?.message.data).toEqual({ n: 1 });
    });

    it("keys a message without subject by its id", async () => {
      const { uow } = harness();
      const { subject: _none, ...bare } = event("ignored", 1);
      const message: CloudEvent = { ...bare, id: uid("msg") };
      await asSystem(uow, (tx) => tx.outbox.append(uid("t"), [message]));
      expect((await takeOutbox(uow, [message.id])).map((r) => r.message.id)).toEqual([message.id]);
    });

    it("never gives two relays claiming at once records of the same key", async () => {
      const { uow } = harness();
      const keys = Array.from({ length: 8 }, () => uid("order"));
      await asSystem(uow, (tx) => tx.outbox.append(uid("t"), keys.flatMap((k) => [event(k, 1), event(k, 2), event(k, 3)])));
      const [a, b] = await Promise.all([claimAll(uow, "relay-a"), claimAll(uow, "relay-b")]);
      const keysOf = (records: readonly OutboxRecord[]): Set<string> => new Set(records.map((r) => r.key));
      expect([...keysOf(a)].filter((k) => keysOf(b).has(k))).toEqual([]);
      expect(own([...a, ...b], keys)).toHaveLength(24);
      await giveBack(uow, "relay-a", a);
      await giveBack(uow, "relay-b", b);
      await takeOutbox(uow, keys);
    });

    it("gives nothing of a held key to another relay until the holder marks it sent; sent records never return", async () => {
      const { uow } = harness();
      const key = uid("order");
      const topic = uid("t");
      await asSystem(uow, (tx) => tx.outbox.append(topic, [event(key, 1), event(key, 2)]));
      const first = own(await claimAll(uow, "relay-a"), [key]);
      expect(first).toHaveLength(2);
      await asSystem(uow, (tx) => tx.outbox.append(topic, [event(key, 3)]));
      const other = await claimAll(uow, "relay-b");
      expect(own(other, [key])).toEqual([]);
      await giveBack(uow, "relay-b", other);
      await asSystem(uow, (tx) => tx.outbox.markSent("relay-a", first.map((r) => r.position)));
      const next = await claimAll(uow, "relay-b");
      expect(own(next, [key]).map((r) => r.message.id)).toEqual([`${key}:3`]);
      await giveBack(uow, "relay-b", next);
      expect((await takeOutbox(uow, [key])).map((r) => r.message.id)).toEqual([`${key}:3`]);
    });

    it("hands a key's oldest pending records out first after a partial send", async () => {
      const { uow } = harness();
      const key = uid("order");
      await asSystem(uow, (tx) => tx.outbox.append(uid("t"), [1, 2, 3, 4].map((n) => event(key, n))));
      const claimed = own(await claimAll(uow, "relay-a"), [key]);
      await asSystem(uow, async (tx) => {
        await tx.outbox.markSent("relay-a", claimed.slice(0, 2).map((r) => r.position));
        await tx.outbox.release("relay-a", claimed.slice(2).map((r) => r.position));
      });
      expect((await takeOutbox(uow, [key])).map((r) => r.message.id)).toEqual([`${key}:3`, `${key}:4`]);
    });

    it("ignores markSent from a relay that does not hold the records", async () => {
      const { uow } = harness();
      const key = uid("order");
      await asSystem(uow, (tx) => tx.outbox.append(uid("t"), [event(key, 1)]));
      const claimed = own(await claimAll(uow, "relay-a"), [key]);
      await asSystem(uow, (tx) => tx.outbox.markSent("relay-b", claimed.map((r) => r.position)));
      await giveBack(uow, "relay-a", claimed);
      expect((await takeOutbox(uow, [key])).map((r) => r.message.id)).toEqual([`${key}:1`]);
    });

    it("counts pending records until they are sent", async () => {
      const { uow } = harness();
      const key = uid("order");
      const before = await asSystem(uow, (tx) => tx.outbox.pending());
      await asSystem(uow, (tx) => tx.outbox.append(uid("t"), [event(key, 1), event(key, 2)]));
      expect(await asSystem(uow, (tx) => tx.outbox.pending())).toBe(before + 2);
      await takeOutbox(uow, [key]);
      expect(await asSystem(uow, (tx) => tx.outbox.pending())).toBe(before);
    });

    it("claims only the keys asked for when given keys", async () => {
      const { uow } = harness();
      const [mine, other] = [uid("order"), uid("order")];
      await asSystem(uow, (tx) => tx.outbox.append(uid("t"), [event(other, 1), event(mine, 1), event(mine, 2)]));
      const claimed = await asSystem(uow, (tx) => tx.outbox.claim("relay-a", 100, 60_000, { keys: [mine] }));
      expect(claimed.map((r) => r.message.id)).toEqual([`${mine}:1`, `${mine}:2`]);
      await asSystem(uow, (tx) => tx.outbox.markSent("relay-a", claimed.map((r) => r.position)));
      expect((await takeOutbox(uow, [mine, other])).map((r) => r.message.id)).toEqual([`${other}:1`]);
    });

    it("sets a refused record aside with its reason; it holds its key's later records while other keys flow", async () => {
      const { uow } = harness();
      const [poisoned, healthy] = [uid("order"), uid("order")];
      await asSystem(uow, (tx) => tx.outbox.append(uid("t"), [event(poisoned, 1), event(healthy, 1), event(poisoned, 2)]));
      const claimed = own(await claimAll(uow, "relay-a"), [poisoned, healthy]);
      const refused = claimed.find((r) => r.message.id === `${poisoned}:1`)!;
      const before = await asSystem(uow, (tx) => tx.outbox.pending());
      await asSystem(uow, async (tx) => {
        await tx.outbox.setAside("relay-a", refused.position, "refused by the broker: too large");
        await tx.outbox.release("relay-a", claimed.filter((r) => r !== refused).map((r) => r.position));
      });
      expect(await asSystem(uow, (tx) => tx.outbox.pending())).toBe(before - 1);
      const aside = (await asSystem(uow, (tx) => tx.outbox.setAsideRecords({ limit: 1_000 }))).filter((r) => r.key === poisoned);
      expect(aside).toMatchObject([{ position: refused.position, reason: "refused by the broker: too large", message: { id: `${poisoned}:1` } }]);
      expect(Number.isNaN(Date.parse(aside[0]!.setAsideAt))).toBe(false);
      // The healthy key flows; the poisoned key's later record waits behind the set-aside one, even when asked for.
      expect(await asSystem(uow, (tx) => tx.outbox.claim("relay-b", 100, 60_000, { keys: [poisoned] }))).toEqual([]);
      expect((await takeOutbox(uow, [poisoned, healthy])).map((r) => r.message.id)).toEqual([`${healthy}:1`]);
    });

    it("restores a set-aside record first in its key's line, once", async () => {
      const { uow } = harness();
      const key = uid("order");
      await asSystem(uow, (tx) => tx.outbox.append(uid("t"), [event(key, 1), event(key, 2)]));
      const claimed = await claimAll(uow, "relay-a");
      const first = own(claimed, [key])[0];
      await asSystem(uow, async (tx) => {
        await tx.outbox.setAside("relay-a", first!.position, "refused");
        await tx.outbox.release("relay-a", claimed.filter((r) => r !== first).map((r) => r.position));
      });
      expect(await takeOutbox(uow, [key])).toEqual([]);
      expect(await asSystem(uow, (tx) => tx.outbox.restore(first!.position))).toBe(true);
      expect(await asSystem(uow, (tx) => tx.outbox.restore(first!.position))).toBe(false);
      expect((await asSystem(uow, (tx) => tx.outbox.setAsideRecords({ limit: 1_000 }))).filter((r) => r.key === key)).toEqual([]);
      expect((await takeOutbox(uow, [key])).map((r) => r.message.id)).toEqual([`${key}:1`, `${key}:2`]);
    });

    it("lets another relay claim a key once the holder's lease has expired", async () => {
      const h = harness();
      const key = uid("order");
      await asSystem(h.uow, (tx) => tx.outbox.append(uid("t"), [event(key, 1), event(key, 2)]));
      const leaseMs = 300;
      const held = await claimAll(h.uow, "relay-dead", leaseMs);
      expect(own(held, [key])).toHaveLength(2);
      const early = await claimAll(h.uow, "relay-b");
      expect(own(early, [key])).toEqual([]);
      await giveBack(h.uow, "relay-b", early);
      const taken = await afterElapsed(h, leaseMs + 1, async () => {
        const got = await claimAll(h.uow, "relay-b");
        await giveBack(h.uow, "relay-b", got);
        expect(own(got, [key]).map((r) => r.message.id)).toEqual([`${key}:1`, `${key}:2`]);
        return got;
      });
      expect(own(taken, [key])).toHaveLength(2);
      expect(await takeOutbox(h.uow, [key])).toHaveLength(2);
    });
  });
}
