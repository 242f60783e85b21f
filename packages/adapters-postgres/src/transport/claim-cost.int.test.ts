import { testEvent } from "@tiffin/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, SqlExecutor } from "../sql/database.js";
import { DRIVERS, dropTestDatabase, openTestDatabase } from "../test-support/test-database.js";
import { num } from "../stores/rows.js";
import { BUS_SQL } from "./bus-sql.js";
import { PostgresPublisher } from "./publisher.js";

const WAITING = 5_000;

for (const { driver, available } of DRIVERS) {
  describe.skipIf(!available)(`a claim's cost does not grow with the queue (${driver})`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await openTestDatabase(driver);
    });
    afterAll(async () => {
      if (db) await dropTestDatabase(db);
    });

    it(`takes the oldest messages of ${WAITING} waiting by reading a few pages, before statistics know the queue grew`, async () => {
      // Statistics taken while the queue was empty, as on a worker that just started: the state that made the planner
      // read and sort the whole subscription, checking the ordering key of every waiting message.
      await db.query(BUS_SQL.upsertSubscription, ["claims", "claims.topic", null, 5]);
      await db.exec("ANALYZE bus_messages");
      const publisher = new PostgresPublisher(db);
      const published = Array.from({ length: WAITING }, (_, n) => testEvent({ subject: `order-${n % 500}` }));
      for (let first = 0; first < WAITING; first += 500) await publisher.publish("claims.topic", published.slice(first, first + 500));

      // Buffers read from the table and its indexes, from this backend's counters: they move only within a transaction.
      const pagesRead = async (tx: SqlExecutor): Promise<number> => {
        const [read] = await tx.query<{ pages: unknown }>(
          `SELECT sum(pg_stat_get_xact_blocks_fetched(c.oid)) AS pages
           FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relname LIKE 'bus_messages%'`,
        );
        return num(read?.pages);
      };
      const { claimed, pages } = await db.transaction(null, async (tx) => {
        const before = await pagesRead(tx);
        const rows = await tx.query<{ id: unknown; attributes: Record<string, string> }>(BUS_SQL.claim, ["claims", 25, 30_000, []]);
        const after = await pagesRead(tx);
        rows.sort((a, b) => num(a.id) - num(b.id));
        return { claimed: rows.map((row) => row.attributes.id), pages: after - before };
      });

      expect(claimed).toEqual(published.slice(0, 25).map((event) => event.id));
      // Reading the whole subscription and checking every waiting message's ordering key took about 15,000 here.
      expect(pages).toBeLessThan(1_000);
    });
  });
}
