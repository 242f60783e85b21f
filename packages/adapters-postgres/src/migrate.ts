import { readFile, readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Database } from "./sql/database.js";

/** The shipped migrations folder: `../migrations` from both `src/` (tests) and `dist/` (built package). */
export const MIGRATIONS_DIR = fileURLToPath(new URL("../migrations/", import.meta.url));

// One lock for every schema: the role set-up in the first migration is cluster-wide.
const MIGRATION_LOCK = 7_361_902_211;

export interface MigrationResult {
  readonly applied: readonly string[];
}

/**
 * Applies the ordered `NNNN_name.sql` files that `schema_migrations` does not list yet, all in one
 * transaction under an advisory lock, so running it twice or from two processes at once is safe.
 */
export async function migrate(db: Database, dir: string = MIGRATIONS_DIR): Promise<MigrationResult> {
  const files = (await readdir(dir)).filter((name) => /^\d+_[\w-]+\.sql$/.test(name)).sort();
  const scripts = await Promise.all(files.map(async (name) => ({ name, sql: await readFile(`${dir}${name}`, "utf8") })));
  return db.transaction(null, async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await tx.exec(
      `CREATE SCHEMA IF NOT EXISTS "${db.schema.replace(/"/g, '""')}";
       CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = new Set((await tx.query<{ name: string }>("SELECT name FROM schema_migrations")).map((r) => r.name));
    const applied: string[] = [];
    for (const { name, sql } of scripts) {
      if (done.has(name)) continue;
      await tx.exec(sql);
      await tx.query("INSERT INTO schema_migrations (name) VALUES ($1)", [name]);
      applied.push(name);
    }
    return { applied };
  });
}
