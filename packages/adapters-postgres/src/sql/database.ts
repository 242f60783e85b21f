import type { Principal } from "@tiffin/core";

/** A row as a driver returns it; stores map rows to port types themselves. */
export type Row = Record<string, unknown>;

/** Runs SQL on one connection (inside a transaction) or on any pooled connection (outside one). */
export interface SqlExecutor {
  /** One statement with `$n` parameters; returns its rows. */
  query<R extends object = Row>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Several statements without parameters (migrations, transaction set-up). */
  exec(script: string): Promise<void>;
}

/**
 * The SQL layer both drivers implement (`pg` against a server, PGlite embedded). Same SQL, same semantics.
 * `transaction` commits when `fn` resolves and rolls back when it throws; on a serialization failure or
 * deadlock it runs `fn` again, up to a bounded number of attempts, so `fn` must only touch `tx`.
 */
export interface Database extends SqlExecutor {
  readonly driver: "pg" | "pglite";
  /** The schema every table lives in (search_path); also scopes advisory locks and notification channels. */
  readonly schema: string;
  /**
   * Runs `fn` in one transaction. With a principal, the transaction takes the API or worker role with
   * `SET LOCAL ROLE` and the principal with `set_config(..., true)`, so row-level security applies; with
   * `null` it runs as the connecting (owner) role, for migrations and the message transport.
   */
  transaction<T>(principal: Principal | null, fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Calls `onNotify` for every NOTIFY on `channel` (a lowercase identifier) until the returned function runs. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Database role names the migrations create; the principal decides which one a transaction takes. */
export const DB_ROLES = { api: "tiffin_api", worker: "tiffin_worker" } as const;

/** Quotes a string as an SQL literal (standard_conforming_strings on), for the parameterless set-up script. */
export function sqlLiteral(value: string): string {
  if (value.includes("\0")) throw new Error("NUL byte in SQL literal");
  const quoted = `'${value.replace(/'/g, "''")}'`;
  return value.includes("\\") ? ` E${quoted.replace(/\\/g, "\\\\")}` : quoted;
}

/** Quotes an identifier (schema, channel) for SQL. */
export const sqlIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The statements that start a transaction as `principal`: role first, then the principal settings. */
export function principalSetup(principal: Principal): string {
  const role = principal.role === "system" ? DB_ROLES.worker : DB_ROLES.api;
  return [
    `SET LOCAL ROLE ${role}`,
    `SELECT set_config('app.principal_role', ${sqlLiteral(principal.role)}, true),` +
      ` set_config('app.principal_id', ${sqlLiteral(principal.id)}, true),` +
      ` set_config('app.restaurant_id', ${sqlLiteral(principal.restaurantId ?? "")}, true)`,
  ].join(";\n");
}
