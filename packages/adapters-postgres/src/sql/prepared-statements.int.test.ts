import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_URL, dropTestDatabase, openTestDatabase } from "../test-support/test-database.js";
import type { Database } from "./database.js";
import { StatementNames } from "./statement-names.js";

describe("statement names", () => {
  it("gives one text one name, and runs texts past the capacity unnamed", () => {
    const names = new StatementNames(2);
    const a = names.nameOf("SELECT $1");
    expect(names.nameOf("SELECT $1")).toBe(a);
    expect(names.nameOf("SELECT $1, $2")).not.toBe(a);
    expect(names.nameOf("SELECT $1, $2, $3")).toBeUndefined();
    expect(names.nameOf("SELECT $1")).toBe(a);
  });
});

describe.skipIf(!TEST_DATABASE_URL)("prepared statements on a real server (TIFFIN_TEST_DATABASE_URL)", () => {
  let db: Database;
  beforeAll(async () => {
    // One connection, so every statement below runs on the connection that prepared it.
    db = await openTestDatabase("pg", { maxConnections: 1 });
  });
  afterAll(async () => {
    if (db) await dropTestDatabase(db);
  });

  it("prepares a parameterised statement once per connection and reuses it, with the parameters of each call", async () => {
    const text = "SELECT $1::int + 1 AS next";
    const seen = await db.transaction(null, async (tx) => {
      const first = await tx.query<{ next: number }>(text, [1]);
      const second = await tx.query<{ next: number }>(text, [41]);
      const prepared = await tx.query<{ statement: string }>("SELECT statement FROM pg_prepared_statements WHERE statement = $1", [text]);
      return { answers: [first[0]?.next, second[0]?.next], prepared: prepared.length };
    });
    expect(seen).toEqual({ answers: [2, 42], prepared: 1 });
  });

  it("keeps row-level security per transaction: a prepared statement planned as one principal answers another with their rows", async () => {
    const count = (id: string) =>
      db.transaction({ role: "customer", id }, async (tx) => (await tx.query<{ n: string }>("SELECT count(*) AS n FROM orders WHERE customer_id = $1 OR true", [id]))[0]?.n);
    await db.transaction(null, (tx) =>
      tx.query(
        `INSERT INTO orders (id, customer_id, restaurant_id, courier_id, status, version, data)
         VALUES ('ps-o1', 'ps-alice', 'r1', NULL, 'placed', 1, '{}'::jsonb), ('ps-o2', 'ps-bob', 'r1', NULL, 'placed', 1, '{}'::jsonb)`,
      ),
    );
    // The same text runs prepared for both customers; each sees only their own order.
    expect([await count("ps-alice"), await count("ps-bob"), await count("ps-carol")]).toEqual(["1", "1", "0"]);
  });
});
