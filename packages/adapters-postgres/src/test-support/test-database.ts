import { randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { migrate } from "../migrate.js";
import type { Database } from "../sql/database.js";
import { PgDatabase } from "../sql/pg-database.js";
import { PgliteDatabase } from "../sql/pglite-database.js";

/** The real server the `pg` driver tests use; absent, those tests are reported as skipped. */
export const TEST_DATABASE_URL = process.env.TIFFIN_TEST_DATABASE_URL;

export type Driver = "pglite" | "pg";

/** Both drivers, with whether each can run here (PGlite always can). */
export const DRIVERS: readonly { readonly driver: Driver; readonly available: boolean }[] = [
  { driver: "pglite", available: true },
  { driver: "pg", available: TEST_DATABASE_URL !== undefined && TEST_DATABASE_URL !== "" },
];

let sharedPglite: Promise<PGlite> | null = null;

/** A fresh, migrated schema; PGlite shares one instance per test file because creating one takes seconds. */
export async function openTestDatabase(driver: Driver, options: { maxConnections?: number } = {}): Promise<Database> {
  const schema = `t_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  let db: Database;
  if (driver === "pglite") {
    sharedPglite ??= PGlite.create();
    db = PgliteDatabase.over(await sharedPglite, schema);
  } else {
    if (!TEST_DATABASE_URL) throw new Error("TIFFIN_TEST_DATABASE_URL is not set");
    db = new PgDatabase({ connectionString: TEST_DATABASE_URL, schema, maxConnections: options.maxConnections ?? 4 });
  }
  await migrate(db);
  return db;
}

/** Drops the schema (on the shared server, tests must leave nothing behind) and closes the database. */
export async function dropTestDatabase(db: Database): Promise<void> {
  await db.exec(`DROP SCHEMA IF EXISTS "${db.schema}" CASCADE`);
  await db.close();
}
