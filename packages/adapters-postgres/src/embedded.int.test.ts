import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SYSTEM_PRINCIPAL } from "@tiffin/core";
import { TEST_META, samplePlacement, takeOutbox, uid, waitFor } from "@tiffin/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { migrate } from "./migrate.js";
import { openDatabase } from "./open-database.js";
import { onOutboxAppend } from "./outbox-wakeups.js";
import { outboxChannel } from "./sql/channels.js";
import type { Database } from "./sql/database.js";
import { DRIVERS, dropTestDatabase, openTestDatabase } from "./test-support/test-database.js";
import { PostgresUnitOfWork } from "./unit-of-work.js";

describe("embedded PGlite on a data folder", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("keeps committed orders across a close and reopen of the folder", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "tiffin-pglite-"));
    dirs.push(dataDir);
    const change = samplePlacement();
    const first = await openDatabase({ dataDir });
    await migrate(first);
    await new PostgresUnitOfWork(first).run(SYSTEM_PRINCIPAL, (tx) => tx.orders.create(change, TEST_META));
    await first.close();

    const reopened = await openDatabase({ dataDir });
    expect((await migrate(reopened)).applied).toEqual([]);
    expect(await new PostgresUnitOfWork(reopened).run(SYSTEM_PRINCIPAL, (tx) => tx.orders.load(change.order.id))).toEqual(change.order);
    // Statements outside a transaction run straight on the instance in the default schema.
    expect(await reopened.query<{ n: number }>("SELECT count(*)::int AS n FROM orders")).toEqual([{ n: 1 }]);
    await reopened.close();
  });
});

for (const { driver, available } of DRIVERS) {
  describe.skipIf(!available)(`outbox wake-ups (${driver})`, () => {
    let db: Database | undefined;
    afterAll(async () => {
      if (db) await dropTestDatabase(db);
    });

    it("wakes relays when a commit makes the outbox non-empty, not on rollback nor while it is already pending", async () => {
      db = await openTestDatabase(driver);
      const uow = new PostgresUnitOfWork(db);
      const woken: string[] = [];
      // The payload (the first appended key) tells which commit woke the relay.
      const stop = await db.listen(outboxChannel(db.schema), (key) => void woken.push(key));
      let wakes = 0;
      const stopWakes = await onOutboxAppend(db, () => void (wakes += 1));
      await uow
        .run(SYSTEM_PRINCIPAL, async (tx) => {
          await tx.orders.create(samplePlacement(), TEST_META);
          throw new Error("rolled back");
        })
        .catch(() => undefined);
      // A customer cannot read the outbox (row-level security), yet its order still wakes the idle relay.
      const mine = samplePlacement({ customerId: uid("customer") });
      await uow.run({ role: "customer", id: mine.order.customerId }, (tx) => tx.orders.create(mine, TEST_META));
      await waitFor(() => woken.length >= 1, { what: "a wake-up for the first pending record" });
      const second = samplePlacement();
      await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.create(second, TEST_META));
      await takeOutbox(uow, [mine.order.id, second.order.id]);
      const third = samplePlacement();
      await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.create(third, TEST_META));
      // Notifications arrive in commit order, so once the third's is here every earlier one is too.
      await waitFor(() => woken.includes(third.order.id), { what: "a wake-up after the outbox was drained" });
      expect(woken).toEqual([mine.order.id, third.order.id]);
      await waitFor(() => wakes === 2, { what: "onOutboxAppend to see both wake-ups" });
      await stopWakes();
      await stop();
    });
  });
}

describe("PGlite's one connection", () => {
  it("refuses a database call from inside a transaction instead of waiting for it forever", async () => {
    const db = await openTestDatabase("pglite");
    const nested = db.transaction(null, async () => db.query("SELECT 1"));
    await expect(nested).rejects.toThrow(/inside a transaction/);
    expect(await db.query<{ one: number }>("SELECT 1 AS one")).toEqual([{ one: 1 }]);
    await dropTestDatabase(db);
  });
});
