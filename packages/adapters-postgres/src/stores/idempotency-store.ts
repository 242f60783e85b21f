import type { IdempotencyClaim, IdempotencyRecord, IdempotencyStore } from "@tiffin/core";
import type { SqlExecutor } from "../sql/database.js";
import { iso, json } from "./rows.js";

/**
 * HTTP idempotency keys. The insert waits for a concurrent claim of the same key to commit (primary key), so
 * a loser reads the winner's committed record with its next statement.
 */
export class PostgresIdempotencyStore implements IdempotencyStore {
  constructor(private readonly tx: SqlExecutor) {}

  async claim(record: IdempotencyRecord): Promise<IdempotencyClaim> {
    const inserted = await this.tx.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, response, created_at) VALUES ($1, $2, $3, $4::jsonb, $5)
       ON CONFLICT (scope, key) DO NOTHING RETURNING 1`,
      [record.scope, record.key, record.requestHash, json(record.response ?? null), record.createdAt],
    );
    if (inserted.length === 1) return { outcome: "claimed" };
    const rows = await this.tx.query<{ request_hash: string; response: unknown; created_at: unknown }>(
      "SELECT request_hash, response, created_at FROM idempotency_keys WHERE scope = $1 AND key = $2",
      [record.scope, record.key],
    );
    const row = rows[0];
    if (!row) throw new Error(`idempotency key ${record.scope}/${record.key} is held by another principal`);
    return {
      outcome: "existing",
      record: { scope: record.scope, key: record.key, requestHash: row.request_hash, response: row.response, createdAt: iso(row.created_at) },
    };
  }
}
