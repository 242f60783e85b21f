import { describe, expect, it } from "vitest";
import { SYSTEM_PRINCIPAL } from "../ports/principal.js";
import type { TransactionStores } from "../ports/unit-of-work.js";
import { FakeClock, SequentialIds, TEST_META, samplePlacement, sampleRestaurant } from "../testing/index.js";
import { InMemoryDatabase } from "./in-memory-database.js";
import { InMemoryUnitOfWork } from "./in-memory-unit-of-work.js";
import { RandomIds } from "./system-clock.js";

describe("InMemoryUnitOfWork", () => {
  it("refuses a nested run on the same database instead of waiting for itself", async () => {
    const uow = new InMemoryUnitOfWork();
    const nested = uow.run(SYSTEM_PRINCIPAL, () => uow.run(SYSTEM_PRINCIPAL, async () => "inner"));
    await expect(nested).rejects.toThrow(/nested UnitOfWork.run\(\) is not supported/);
    expect(await uow.run(SYSTEM_PRINCIPAL, async () => "still usable")).toBe("still usable");
  });

  it("allows a run on another database from inside a transaction", async () => {
    const [a, b] = [new InMemoryUnitOfWork(), new InMemoryUnitOfWork()];
    expect(await a.run(SYSTEM_PRINCIPAL, () => b.run(SYSTEM_PRINCIPAL, async () => "inner"))).toBe("inner");
  });

  it("rejects use of a transaction's stores after run() resolved", async () => {
    const uow = new InMemoryUnitOfWork();
    let leaked: TransactionStores | undefined;
    await uow.run(SYSTEM_PRINCIPAL, async (tx) => {
      leaked = tx;
    });
    await expect(leaked?.orders.load("order-1")).rejects.toThrow(/transaction already finished/);
  });

  it("shares data between units of work over one database, and only then", async () => {
    const database = new InMemoryDatabase();
    const [writer, reader, stranger] = [new InMemoryUnitOfWork({ database }), new InMemoryUnitOfWork({ database }), new InMemoryUnitOfWork()];
    const restaurant = sampleRestaurant();
    const placed = samplePlacement({ restaurantId: restaurant.id });
    await writer.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.create(placed, TEST_META));
    expect(await reader.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.load(placed.order.id))).toEqual(placed.order);
    expect(await stranger.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.load(placed.order.id))).toBeNull();
  });

  it("hides a transaction's writes from others until it resolves", async () => {
    const uow = new InMemoryUnitOfWork();
    const placed = samplePlacement();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const writing = uow.run(SYSTEM_PRINCIPAL, async (tx) => {
      await tx.orders.create(placed, TEST_META);
      await gate;
    });
    const reading = uow.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.load(placed.order.id));
    release();
    await writing;
    // The reader waited for the writer: it sees the committed order, never a half-done transaction.
    expect(await reading).toEqual(placed.order);
  });
});

describe("test clocks and ids", () => {
  it("moves a FakeClock only when told, and only forward", () => {
    const clock = new FakeClock("2026-01-01T00:00:00.000Z");
    clock.advance(1_500);
    expect(clock.now().toISOString()).toBe("2026-01-01T00:00:01.500Z");
    clock.set("2026-02-01T00:00:00.000Z");
    expect(clock.now().toISOString()).toBe("2026-02-01T00:00:00.000Z");
    expect(() => clock.advance(-1)).toThrow();
  });

  it("hands out sequential and random ids without repeats", () => {
    const ids = new SequentialIds("order");
    expect([ids.next(), ids.next()]).toEqual(["order-1", "order-2"]);
    const random = new RandomIds();
    expect(new Set(Array.from({ length: 1_000 }, () => random.next())).size).toBe(1_000);
  });
});
