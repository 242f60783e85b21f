import {
  type CloudEvent,
  ORDER_EVENTS_TOPIC,
  OutboxRelay,
  SYSTEM_PRINCIPAL,
  confirm,
  inboxConsumer,
  silentLogger,
} from "@tiffin/core";
import { TEST_META, samplePlacement, seedCourier, seedOrder, seedRestaurant, uid, waitFor } from "@tiffin/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "./sql/database.js";
import { TEST_DATABASE_URL, dropTestDatabase, openTestDatabase } from "./test-support/test-database.js";
import { PostgresPublisher } from "./transport/publisher.js";
import { PostgresSubscriber } from "./transport/subscriber.js";
import { PostgresUnitOfWork } from "./unit-of-work.js";

const AT = "2026-03-01T12:00:00.000Z";

// Real parallelism needs a server: PGlite runs one transaction at a time, so these races cannot happen there.
describe.skipIf(!TEST_DATABASE_URL)("concurrency on a real PostgreSQL server (TIFFIN_TEST_DATABASE_URL)", () => {
  let db: Database;
  let uow: PostgresUnitOfWork;
  beforeAll(async () => {
    db = await openTestDatabase("pg", { maxConnections: 20 });
    uow = new PostgresUnitOfWork(db);
  });
  afterAll(async () => {
    if (db) await dropTestDatabase(db);
  });

  it("50 concurrent idempotent claims of one key leave one row and one winner", async () => {
    const customer = { role: "customer" as const, id: uid("customer") };
    const key = uid("key");
    const claims = await Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        uow.run(customer, (tx) =>
          tx.idempotency.claim({ scope: customer.id, key, requestHash: `h${n}`, response: { n }, createdAt: AT }),
        ),
      ),
    );
    const winners = claims.flatMap((c, n) => (c.outcome === "claimed" ? [n] : []));
    expect(winners).toHaveLength(1);
    expect(new Set(claims.flatMap((c) => (c.outcome === "existing" ? [c.record.requestHash] : [])))).toEqual(new Set([`h${winners[0]}`]));
    const rows = await db.transaction(SYSTEM_PRINCIPAL, (tx) =>
      tx.query<{ n: string }>("SELECT count(*)::text AS n FROM idempotency_keys WHERE scope = $1 AND key = $2", [customer.id, key]),
    );
    expect(rows[0]?.n).toBe("1");
  });

  it("3 relays and 4 consumers in parallel: every message is handled exactly once as the inbox sees it", async () => {
    const restaurantId = (await seedRestaurant(uow)).id;
    const orders = Array.from({ length: 150 }, () => samplePlacement({ restaurantId }));
    for (let i = 0; i < orders.length; i += 25) {
      await Promise.all(
        orders.slice(i, i + 25).map(async (change) => {
          await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.create(change, TEST_META));
          await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.update(change.order.id, (o) => confirm(o, AT), TEST_META));
        }),
      );
    }
    const expected = orders.length * 2;
    const consumer = uid("consumer");
    const subscription = uid("s");
    const effects = new Map<string, number>();
    const handle = inboxConsumer(uow, consumer, async (_tx, _event, message) => {
      effects.set(message.id, (effects.get(message.id) ?? 0) + 1);
    }, silentLogger);
    const subscribers = Array.from({ length: 4 }, () => new PostgresSubscriber(db, { pollIntervalMs: 100 }));
    const lostAcks = new Set<string>();
    for (const subscriber of subscribers) {
      await subscriber.subscribe({ topic: ORDER_EVENTS_TOPIC, subscription, concurrency: 5, retry: { minDelayMs: 10, maxDelayMs: 50 } }, async (message: CloudEvent, delivery) => {
        await handle(message, delivery);
        // Every order.placed (version 1) loses its first ack after the commit, so the inbox must absorb a redelivery.
        if (delivery.attempt === 1 && message.id.endsWith("1:0") && !lostAcks.has(message.id)) {
          lostAcks.add(message.id);
          throw new Error("ack lost after commit");
        }
      });
    }
    const publisher = new PostgresPublisher(db);
    const relays = ["relay-1", "relay-2", "relay-3"].map((relayId) => new OutboxRelay(uow, publisher, silentLogger, { relayId, batchSize: 20 }));
    await Promise.all(relays.map((relay) => relay.drain()));
    await waitFor(() => [...effects.keys()].filter((id) => orders.some((o) => id.startsWith(`${o.order.id}:`))).length === expected, {
      timeoutMs: 30_000,
      what: `${expected} messages handled`,
    });
    await Promise.all(subscribers.map((s) => s.close()));
    const mine = [...effects.entries()].filter(([id]) => orders.some((o) => id.startsWith(`${o.order.id}:`)));
    expect(mine).toHaveLength(expected);
    expect(mine.every(([, count]) => count === 1)).toBe(true);
    expect(lostAcks.size).toBeGreaterThan(0);
    const inbox = await db.transaction(SYSTEM_PRINCIPAL, (tx) =>
      tx.query<{ n: string; d: string }>("SELECT count(*)::text AS n, count(DISTINCT message_id)::text AS d FROM inbox WHERE consumer = $1", [consumer]),
    );
    expect(inbox[0]).toEqual({ n: String(expected), d: String(expected) });
  });

  it("offer races: one open offer per order, and only the current token can accept", async () => {
    const restaurantId = (await seedRestaurant(uow)).id;
    const order = await seedOrder(uow, { restaurantId });
    const couriers = await Promise.all(Array.from({ length: 10 }, () => seedCourier(uow)));
    const open = (courierId: string) =>
      uow.run(SYSTEM_PRINCIPAL, (tx) =>
        tx.offers.open({ id: uid("offer"), orderId: order.id, restaurantId, courierId, createdAt: AT, expiresAt: "2026-03-01T12:00:10.000Z" }),
      );
    const opens = await Promise.all(couriers.map((c) => open(c.id)));
    const first = opens.flatMap((r) => (r.ok ? [r.value] : []));
    expect(first).toHaveLength(1);
    expect(opens.filter((r) => !r.ok).every((r) => !r.ok && r.error.code === "OFFER_ORDER_BUSY")).toBe(true);
    const [stale] = first as [NonNullable<(typeof first)[0]>];

    const now = new Date("2026-03-01T12:00:05.000Z");
    await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.offers.resolve(stale.id, stale.token, "expired", now));
    const nextCourier = couriers.find((c) => c.id !== stale.courierId)?.id ?? "";
    const fresh = await open(nextCourier);
    if (!fresh.ok) throw new Error(fresh.error.code);
    expect(fresh.value.token).toBeGreaterThan(stale.token);

    const resolve = (id: string, token: number, to: "accepted" | "declined") =>
      uow.run(SYSTEM_PRINCIPAL, (tx) => tx.offers.resolve(id, token, to, now));
    const races = await Promise.all([
      ...Array.from({ length: 10 }, () => resolve(stale.id, stale.token, "accepted")),
      ...Array.from({ length: 10 }, () => resolve(fresh.value.id, stale.token, "accepted")),
      ...Array.from({ length: 10 }, (_, n) => resolve(fresh.value.id, fresh.value.token, n % 2 === 0 ? "accepted" : "declined")),
    ]);
    const won = races.flatMap((r) => (r.ok ? [r.value] : []));
    expect(won).toHaveLength(1);
    expect(won[0]).toMatchObject({ id: fresh.value.id, token: fresh.value.token });
    expect(races.filter((r) => !r.ok).every((r) => !r.ok && r.error.code === "OFFER_STALE")).toBe(true);
    const history = await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.offers.forOrder(order.id));
    expect(history.map((o) => o.status)).toEqual(["expired", won[0]?.status]);
  });
});
