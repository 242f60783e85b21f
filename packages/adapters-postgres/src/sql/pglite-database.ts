import { AsyncLocalStorage } from "node:async_hooks";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import type { Principal } from "@tiffin/core";
import { type Database, type Row, type SqlExecutor, principalSetup, sqlIdentifier } from "./database.js";
import { retryTransaction } from "./retry.js";
import { wrapSqlError } from "./sql-errors.js";

export interface PgliteDatabaseConfig {
  /** Data folder; absent: in memory. */
  readonly dataDir?: string;
  /** Schema for every table (default `public`); several schemas can share one instance (tests). */
  readonly schema?: string;
}

type Queryable = Pick<Transaction, "query" | "exec">;

/** Set while a transaction's callback runs, to catch a call that would wait for PGlite's lock forever. */
const insideTransaction = new AsyncLocalStorage<true>();

function refuseNested(): void {
  if (insideTransaction.getStore()) {
    throw new Error("PGlite: a database call inside a transaction would wait for that transaction forever; use its executor");
  }
}

const executor = (target: Queryable): SqlExecutor => ({
  query: async <R extends object>(text: string, params?: readonly unknown[]) =>
    (await target.query<R>(text, params as unknown[] | undefined)).rows,
  exec: async (script: string) => {
    await target.exec(script);
  },
});

/**
 * The SQL layer over PGlite in process. PGlite is one connection: its own mutex runs one transaction or query
 * at a time, so transactions are serialized in arrival order and never see each other half-done. The search
 * path is set inside every transaction (`SET LOCAL`) because the one session is shared by every schema's user.
 */
export class PgliteDatabase implements Database {
  readonly driver = "pglite";
  readonly schema: string;
  private readonly searchPath: string;

  private constructor(
    private readonly db: PGlite,
    schema: string,
    private readonly owned: boolean,
  ) {
    this.schema = schema;
    this.searchPath = `SET LOCAL search_path TO ${sqlIdentifier(schema)}`;
  }

  /** Opens (creating when needed) the data folder, or an in-memory database when `dataDir` is absent. */
  static async open(config: PgliteDatabaseConfig = {}): Promise<PgliteDatabase> {
    const db = await PGlite.create(config.dataDir);
    return new PgliteDatabase(db, config.schema ?? "public", true);
  }

  /** Uses an already open PGlite for another schema; `close` then leaves the instance open. */
  static over(db: PGlite, schema: string): PgliteDatabase {
    return new PgliteDatabase(db, schema, false);
  }

  async query<R extends object = Row>(text: string, params?: readonly unknown[]): Promise<R[]> {
    refuseNested();
    try {
      if (this.schema === "public") return await executor(this.db).query<R>(text, params);
      // Statements outside a transaction still need this schema's search path.
      return await this.db.transaction(async (tx) => {
        await tx.exec(this.searchPath);
        return executor(tx).query<R>(text, params);
      });
    } catch (error) {
      throw wrapSqlError(error);
    }
  }

  async exec(script: string): Promise<void> {
    refuseNested();
    await this.db
      .transaction(async (tx) => {
        await tx.exec(`${this.searchPath};\n${script}`);
      })
      .catch((error: unknown) => {
        throw wrapSqlError(error);
      });
  }

  async transaction<T>(principal: Principal | null, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    refuseNested();
    return retryTransaction(() =>
      this.db.transaction(async (tx) => {
        await tx.exec(principal ? `${this.searchPath};\n${principalSetup(principal)}` : this.searchPath);
        return insideTransaction.run(true, () => fn(executor(tx)));
      }),
    );
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    // PGlite sends the channel name unquoted, so it must be a plain lowercase identifier.
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`PGlite channel must be a lowercase identifier: ${channel}`);
    // A notification may be dispatched while a transaction's callback is awaiting; its handler is not part of it.
    const unlisten = await this.db.listen(channel, (payload) => insideTransaction.exit(() => onNotify(payload)));
    return () => unlisten();
  }

  async close(): Promise<void> {
    if (this.owned) await this.db.close();
  }
}
