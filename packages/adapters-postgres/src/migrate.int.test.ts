import { randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR, migrate } from "./migrate.js";
import type { Database } from "./sql/database.js";
import { PgDatabase } from "./sql/pg-database.js";
import { PgliteDatabase } from "./sql/pglite-database.js";
import { DRIVERS, TEST_DATABASE_URL, dropTestDatabase } from "./test-support/test-database.js";

const TENANT_TABLES = ["orders", "order_views", "offers", "sagas", "outbox", "inbox", "idempotency_keys", "timers", "restaurants", "menu_versions", "menu_stock", "portion_reservations", "couriers", "courier_locations"];

let pglite: Promise<PGlite> | undefined;
/** Two handles on one schema, as two processes starting at once would have. */
async function twoHandles(driver: "pg" | "pglite"): Promise<[Database, Database]> {
  const schema = `m_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  if (driver === "pg") {
    const open = () => new PgDatabase({ connectionString: TEST_DATABASE_URL ?? "", schema, maxConnections: 2 });
    return [open(), open()];
  }
  pglite ??= PGlite.create();
  const db = await pglite;
  return [PgliteDatabase.over(db, schema), PgliteDatabase.over(db, schema)];
}

describe("migrations folder", () => {
  it("resolves next to src/ and dist/ alike (../migrations from the module)", () => {
    expect(MIGRATIONS_DIR.endsWith("/adapters-postgres/migrations/")).toBe(true);
  });
});

for (const { driver, available } of DRIVERS) {
  describe.skipIf(!available)(`migrate (${driver})`, () => {
    const opened: Database[] = [];
    afterAll(async () => {
      const [first, ...rest] = opened;
      await Promise.all(rest.map((db) => db.close()));
      if (first) await dropTestDatabase(first);
    });

    it("two processes migrating one schema at once apply each migration exactly once; a rerun applies nothing", async () => {
      const [a, b] = await twoHandles(driver);
      opened.push(a, b);
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      const applied = [...ra.applied, ...rb.applied].sort();
      expect(applied.length).toBeGreaterThan(0);
      expect(new Set(applied).size).toBe(applied.length);
      expect((await migrate(a)).applied).toEqual([]);
      const rows = await a.query<{ name: string }>("SELECT name FROM schema_migrations ORDER BY name");
      expect(rows.map((r) => r.name)).toEqual(applied);
    });

    it("creates the API role without BYPASSRLS and forces row-level security on every tenant table", async () => {
      const [db] = opened as [Database];
      const roles = await db.query<{ rolname: string; rolbypassrls: boolean; rolcanlogin: boolean }>(
        "SELECT rolname, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname IN ('tiffin_api', 'tiffin_worker') ORDER BY rolname",
      );
      expect(roles).toEqual([
        { rolname: "tiffin_api", rolbypassrls: false, rolcanlogin: false },
        { rolname: "tiffin_worker", rolbypassrls: false, rolcanlogin: false },
      ]);
      const tables = await db.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
        `SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class
         WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' AND relname = ANY ($1::text[]) ORDER BY relname`,
        [TENANT_TABLES],
      );
      expect(tables).toEqual([...TENANT_TABLES].sort().map((relname) => ({ relname, relrowsecurity: true, relforcerowsecurity: true })));
    });
  });
}
