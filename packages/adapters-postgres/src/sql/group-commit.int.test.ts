import type { Principal } from "@tiffin/core";
import { afterEach, describe, expect, it } from "vitest";
import { TEST_DATABASE_URL, dropTestDatabase, openTestDatabase } from "../test-support/test-database.js";
import { PostgresIdempotencyStore } from "../stores/idempotency-store.js";
import type { Database, SqlExecutor } from "./database.js";

const customer = (id: string): Principal => ({ role: "customer", id });
const claim = (tx: SqlExecutor, scope: string, key: string) =>
  new PostgresIdempotencyStore(tx).claim({ scope, key, requestHash: "h", response: { from: scope }, createdAt: "2026-01-01T00:00:00.000Z" });
const keysOf = async (db: Database) =>
  (await db.query<{ scope: string; key: string }>("SELECT scope, key FROM idempotency_keys ORDER BY scope, key")).map((r) => `${r.scope}/${r.key}`);
const txid = async (tx: SqlExecutor) => (await tx.query<{ id: string }>("SELECT txid_current()::text AS id"))[0]!.id;

describe.skipIf(!TEST_DATABASE_URL)("group commit of customers' transactions (TIFFIN_TEST_DATABASE_URL)", () => {
  let db: Database | undefined;
  afterEach(async () => {
    if (db) await dropTestDatabase(db);
    db = undefined;
  });

  it("lets concurrent customers share commits, each member running as its own principal", async () => {
    db = await openTestDatabase("pg", { maxConnections: 4 });
    const seen = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        db!.transaction(customer(`c${i}`), async (tx) => {
          const [row] = await tx.query<{ me: string; role: string }>("SELECT current_setting('app.principal_id') AS me, current_user AS role");
          return { i, me: row!.me, role: row!.role, tx: await txid(tx) };
        }),
      ),
    );
    expect(seen.map((s) => s.me)).toEqual(seen.map((s) => `c${s.i}`));
    expect(new Set(seen.map((s) => s.role))).toEqual(new Set(["tiffin_api"]));
    expect(new Set(seen.map((s) => s.tx)).size).toBeLessThan(24);
  });

  it("fails a member that throws alone: its writes are undone, the others of its group commit", async () => {
    db = await openTestDatabase("pg", { maxConnections: 2 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        db!.transaction(customer(`c${i}`), async (tx) => {
          await claim(tx, `c${i}`, "k");
          if (i === 3) throw new Error("pricing failed for c3");
          return txid(tx);
        }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
    expect(outcomes[3]).toMatchObject({ reason: { message: "pricing failed for c3" } });
    // Shared commits did happen (one slot: the first runs alone, the others queue into groups).
    expect(new Set(outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []))).size).toBeLessThan(7);
    expect(await keysOf(db)).toEqual(["c0/k", "c1/k", "c2/k", "c4/k", "c5/k", "c6/k", "c7/k"]);
  });

  it("keeps row-level security member by member: a later member of the group cannot see an earlier one's row", async () => {
    db = await openTestDatabase("pg", { maxConnections: 2 });
    const [, alice, bob] = await Promise.all([
      db.transaction(customer("first"), (tx) => txid(tx)),
      db.transaction(customer("alice"), async (tx) => ({ tx: await txid(tx), claim: await claim(tx, "alice", "k-1") })),
      db.transaction(customer("bob"), async (tx) => ({
        tx: await txid(tx),
        // Bob's statements run after Alice's insert, in the same database transaction.
        visible: (await tx.query<{ n: string }>("SELECT count(*)::text AS n FROM idempotency_keys")).map((r) => r.n),
      })),
    ]);
    expect(alice.tx).toBe(bob.tx);
    expect(alice.claim.outcome).toBe("claimed");
    expect(bob.visible).toEqual(["0"]);
  });

  it("claims one Idempotency-Key once among 30 concurrent requests of one customer, in and across groups", async () => {
    db = await openTestDatabase("pg", { maxConnections: 4 });
    const claims = await Promise.all(Array.from({ length: 30 }, () => db!.transaction(customer("alice"), (tx) => claim(tx, "alice", "same"))));
    expect(claims.filter((c) => c.outcome === "claimed")).toHaveLength(1);
    expect(claims.filter((c) => c.outcome === "existing")).toHaveLength(29);
    expect(await keysOf(db)).toEqual(["alice/same"]);
  });
});
