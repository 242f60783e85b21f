import type { Principal } from "@tiffin/core";
import pg from "pg";
import { type Database, type Row, type SqlExecutor, principalSetup, sqlIdentifier } from "./database.js";
import { retryTransaction } from "./retry.js";
import { wrapSqlError } from "./sql-errors.js";
import { StatementNames } from "./statement-names.js";
import { GroupCommit } from "./group-commit.js";

export interface PgDatabaseConfig {
  readonly connectionString: string;
  /** Schema for every table (default `public`). */
  readonly schema?: string;
  /** Pool size (default 10). */
  readonly maxConnections?: number;
  /**
   * Customers' transactions share commits (see GroupCommit); default on. At most half the pool runs groups at
   * once, so the other transactions always find connections.
   */
  readonly groupCommit?: boolean;
}

/** Members of one commit group at most: each writing member takes a subtransaction id, and a transaction with
 * more than 64 of them makes every other session's snapshots slower. */
const MAX_GROUP_MEMBERS = 32;

/** A parameterised statement as pg's query config: named (prepared once per connection) when `names` allows. */
const statement = (names: StatementNames, text: string, params?: readonly unknown[]): pg.QueryConfig => {
  const name = params === undefined ? undefined : names.nameOf(text);
  return name === undefined ? { text, values: params as unknown[] | undefined } : { name, text, values: params as unknown[] };
};

/**
 * Statements on one checked-out connection. Once the connection is lost, every statement fails with the error
 * that lost it (e.g. 57P01 from a failover), which says "transient", rather than pg's "not queryable".
 */
const executor = (client: pg.ClientBase, lost: () => Error | undefined, names: StatementNames): SqlExecutor => {
  const run = async <R extends object>(text: string, params?: readonly unknown[]): Promise<R[]> => {
    const cut = lost();
    if (cut !== undefined) throw wrapSqlError(cut);
    try {
      return (await client.query<R>(statement(names, text, params))).rows;
    } catch (error) {
      throw wrapSqlError(lost() ?? error);
    }
  };
  return { query: run, exec: async (script: string) => void (await run(script)) };
};

/** The SQL layer over a `pg` Pool (a PostgreSQL server). */
export class PgDatabase implements Database {
  readonly driver = "pg";
  readonly schema: string;
  private readonly pool: pg.Pool;
  private readonly config: PgDatabaseConfig;
  private listener: Promise<pg.Client> | null = null;
  private closed = false;
  private readonly channels = new Map<string, Set<(payload: string) => void>>();
  private readonly names = new StatementNames();
  private readonly groups: GroupCommit | null;

  constructor(config: PgDatabaseConfig) {
    if (!config.connectionString) throw new Error("PgDatabase: connectionString is required (TIFFIN_DATABASE_URL)");
    this.config = config;
    this.schema = config.schema ?? "public";
    this.pool = new pg.Pool({
      connectionString: config.connectionString,
      max: config.maxConnections ?? 10,
      options: `-c search_path=${sqlIdentifier(this.schema)}`,
      // Names the connections (a URL's own application_name wins), so operators and tests can find them.
      application_name: `tiffin:${this.schema}`,
    });
    // An idle client that loses its connection must not crash the process; the pool replaces it.
    this.pool.on("error", () => undefined);
    this.groups =
      config.groupCommit === false
        ? null
        : new GroupCommit(
            { withTransaction: (body) => this.withTransaction("BEGIN", body), alone: (principal, fn) => this.alone(principal, fn) },
            { slots: Math.max(1, Math.floor((config.maxConnections ?? 10) / 2)), maxMembers: MAX_GROUP_MEMBERS },
          );
  }

  async query<R extends object = Row>(text: string, params?: readonly unknown[]): Promise<R[]> {
    try {
      return (await this.pool.query<R>(statement(this.names, text, params))).rows;
    } catch (error) {
      throw wrapSqlError(error);
    }
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(script).catch((error: unknown) => {
      throw wrapSqlError(error);
    });
  }

  transaction<T>(principal: Principal | null, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    // Customers' transactions are the busiest path (placements) and touch only their own rows: they share commits.
    if (principal?.role === "customer" && this.groups !== null) return this.groups.run(principal, fn);
    return principal === null ? retryTransaction(() => this.withTransaction("BEGIN", fn)) : this.alone(principal, fn);
  }

  private alone<T>(principal: Principal, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return retryTransaction(() => this.withTransaction(`BEGIN;\n${principalSetup(principal)}`, fn));
  }

  /** One attempt: `begin` (with the role and principal set-up, one round trip), `fn`, COMMIT; ROLLBACK when it throws. */
  private async withTransaction<T>(begin: string, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const { client, lost, checkIn } = await this.checkOut();
    const tx = executor(client, lost, this.names);
    let broken: Error | undefined;
    try {
      await tx.exec(begin);
      const result = await fn(tx);
      await tx.exec("COMMIT");
      return result;
    } catch (error) {
      if (lost() === undefined) {
        await client.query("ROLLBACK").catch((rollbackError: Error) => {
          broken = rollbackError;
        });
      }
      // On a lost connection the server rolled the transaction back; whatever fn made of that, the loss is the news.
      const cut = lost();
      throw cut === undefined ? error : wrapSqlError(cut);
    } finally {
      checkIn(lost() ?? broken);
    }
  }

  /**
   * Takes a client from the pool with an `error` listener of its own. The pool listens only on idle clients, and a
   * checked-out client whose server goes away (failover, pg_terminate_backend, a reset socket) emits `error`, which
   * would crash the process with nobody listening. The listener is attached in the pool's callback, not after an
   * `await`: the pool may hand over a client in the same tick as its socket delivers the server's goodbye.
   */
  private checkOut(): Promise<{ client: pg.PoolClient; lost: () => Error | undefined; checkIn: (error?: Error) => void }> {
    return new Promise((resolve, reject) => {
      this.pool.connect((error, client, release) => {
        if (error !== undefined || client === undefined) return reject(error ?? new Error("pool gave no client"));
        let lostWith: Error | undefined;
        const onError = (cause: Error): void => {
          lostWith ??= cause;
        };
        client.on("error", onError);
        resolve({
          client,
          lost: () => lostWith,
          checkIn: (releaseError) => {
            client.removeListener("error", onError);
            release(releaseError);
          },
        });
      });
    });
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    const client = await this.listenerClient();
    let handlers = this.channels.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.channels.set(channel, handlers);
      await client.query(`LISTEN ${sqlIdentifier(channel)}`);
    }
    handlers.add(onNotify);
    return async () => {
      handlers.delete(onNotify);
      if (handlers.size === 0 && this.channels.get(channel) === handlers) {
        this.channels.delete(channel);
        await client.query(`UNLISTEN ${sqlIdentifier(channel)}`).catch(() => undefined);
      }
    };
  }

  /**
   * One dedicated connection carries every LISTEN. If it drops, it is reopened after a pause with every channel
   * listened again; notifications in between are lost, which the consumers' poll covers.
   */
  private listenerClient(): Promise<pg.Client> {
    this.listener ??= (async () => {
      const client = new pg.Client({ connectionString: this.config.connectionString, application_name: `tiffin-listen:${this.schema}` });
      client.on("notification", (message) => {
        for (const handler of this.channels.get(message.channel) ?? []) handler(message.payload ?? "");
      });
      client.on("error", () => {
        this.listener = null;
        client.end().catch(() => undefined);
        if (!this.closed) setTimeout(() => void this.relisten(), 1_000).unref();
      });
      await client.connect();
      for (const channel of this.channels.keys()) await client.query(`LISTEN ${sqlIdentifier(channel)}`);
      return client;
    })();
    const opening = this.listener;
    opening.catch(() => {
      if (this.listener === opening) this.listener = null;
    });
    return opening;
  }

  private async relisten(): Promise<void> {
    if (this.closed || this.channels.size === 0) return;
    await this.listenerClient().catch(() => {
      if (!this.closed) setTimeout(() => void this.relisten(), 1_000).unref();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const listener = this.listener;
    this.listener = null;
    this.channels.clear();
    if (listener) await (await listener).end().catch(() => undefined);
    await this.pool.end();
  }
}
