import { InfrastructureErrorCode } from "@tiffin/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_URL, dropTestDatabase, openTestDatabase } from "../test-support/test-database.js";
import type { Database } from "./database.js";

/** What a managed Postgres failover, restart or maintenance does to every connection of a database. */
const terminate = (db: Database, pid: number) => db.query("SELECT pg_terminate_backend($1)", [pid]);

describe.skipIf(!TEST_DATABASE_URL)("a lost connection on a real server (TIFFIN_TEST_DATABASE_URL)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase("pg");
  });
  afterAll(async () => {
    if (db) await dropTestDatabase(db);
  });

  it("fails the transaction in flight with a transient error, and the next transaction works", async () => {
    const outcome = db.transaction(null, async (tx) => {
      const [row] = await tx.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      // Terminated between two statements: the checked-out connection errors while nobody is querying on it.
      await terminate(db, row!.pid);
      await new Promise((resolve) => setTimeout(resolve, 200));
      return tx.query("SELECT 1");
    });
    await expect(outcome).rejects.toMatchObject({ code: InfrastructureErrorCode.Unavailable, transient: true });
    expect(await db.query<{ one: number }>("SELECT 1 AS one")).toEqual([{ one: 1 }]);
  });

  it("fails a statement cut mid-flight with a transient error", async () => {
    const outcome = db.transaction(null, async (tx) => {
      const [row] = await tx.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      const slow = tx.query("SELECT pg_sleep(5)");
      // The cut may land while this callback still awaits the termination: handled here, asserted through `outcome`.
      slow.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await terminate(db, row!.pid);
      return slow;
    });
    await expect(outcome).rejects.toMatchObject({ code: InfrastructureErrorCode.Unavailable, transient: true });
    expect(await db.query<{ one: number }>("SELECT 1 AS one")).toEqual([{ one: 1 }]);
  });
});
