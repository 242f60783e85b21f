import { type Order, SYSTEM_PRINCIPAL, type ViewChange } from "@tiffin/core";
import { describeViewChangeFeedContract, eventually, sampleView, seedOrder } from "@tiffin/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "./sql/database.js";
import { DRIVERS, TEST_DATABASE_URL, dropTestDatabase, openTestDatabase } from "./test-support/test-database.js";
import { PostgresUnitOfWork } from "./unit-of-work.js";
import { PostgresViewChanges, parseViewChange } from "./view-changes.js";

for (const { driver, available } of DRIVERS) {
  describe.skipIf(!available)(driver, () => {
    describeViewChangeFeedContract(driver, async () => {
      const db = await openTestDatabase(driver);
      return { uow: new PostgresUnitOfWork(db), feed: new PostgresViewChanges(db), close: () => dropTestDatabase(db) };
    });

    describe("one statement updating many views", () => {
      let db: Database;
      beforeAll(async () => {
        db = await openTestDatabase(driver);
      });
      afterAll(async () => {
        await dropTestDatabase(db);
      });

      it("sends one notification naming them all, or '*' when they do not fit 8000 bytes", async () => {
        const uow = new PostgresUnitOfWork(db);
        const received: ViewChange[] = [];
        const stop = await new PostgresViewChanges(db).subscribe((change) => received.push(change));
        const orders: Order[] = [];
        for (let i = 0; i < 200; i++) orders.push(await seedOrder(uow));
        await uow.run(SYSTEM_PRINCIPAL, async (tx) => {
          for (const order of orders) await tx.views.saveView(sampleView(order));
        });
        const ids = orders.map((order) => order.id);
        const bump = (some: readonly string[]) => db.query("UPDATE order_views SET revision = revision + 1 WHERE id = ANY($1::text[])", [some]);
        await bump(ids.slice(0, 3));
        await eventually(async () => expect(received).toContainEqual({ kind: "views", orderIds: expect.arrayContaining(ids.slice(0, 3)), restaurantIds: expect.any(Array) }));
        expect(received.filter((change) => change.kind === "views" && change.orderIds.includes(ids[0]!))).toHaveLength(1);
        await bump(ids);
        await eventually(async () => expect(received).toContainEqual({ kind: "everything" }));
        await stop();
      });
    });
  });
}

describe("view change notifications", () => {
  it("reads the trigger's payload, and '*' or anything else as everything", () => {
    expect(parseViewChange('{"o":["a","b"],"r":["r1"]}')).toEqual({ kind: "views", orderIds: ["a", "b"], restaurantIds: ["r1"] });
    expect(parseViewChange("*")).toEqual({ kind: "everything" });
    expect(parseViewChange('{"o":[1],"r":[]}')).toEqual({ kind: "everything" });
  });
});

describe.skipIf(!TEST_DATABASE_URL)("view changes after the LISTEN connection is terminated (pg)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase("pg");
  });
  afterAll(async () => {
    await dropTestDatabase(db);
  });

  const listenerPid = async (): Promise<number | undefined> => {
    const rows = await db.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query ILIKE 'LISTEN%'",
      [`tiffin-listen:${db.schema}`],
    );
    return rows[0]?.pid;
  };

  it("listens again on a new connection, and later changes are announced", async () => {
    const uow = new PostgresUnitOfWork(db);
    const received: ViewChange[] = [];
    const stop = await new PostgresViewChanges(db).subscribe((change) => received.push(change));
    const first = await eventually(async () => {
      const pid = await listenerPid();
      expect(pid).toBeDefined();
      return pid!;
    });
    await db.query("SELECT pg_terminate_backend($1)", [first]);
    await eventually(async () => {
      const now = await listenerPid();
      expect(now).toBeDefined();
      expect(now).not.toBe(first);
    }, 10_000);
    const order = await seedOrder(uow);
    const view = sampleView(order);
    await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.views.saveView(view));
    await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.views.saveView({ ...view, status: "confirmed", revision: 2 }));
    await eventually(async () => expect(received.some((c) => c.kind === "views" && c.orderIds.includes(order.id))).toBe(true));
    await stop();
  });
});
