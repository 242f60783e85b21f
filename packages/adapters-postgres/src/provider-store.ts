import type { LedgerEntry, ProviderRecord, ProviderStore } from "@tiffin/core";
import type { Database } from "./sql/database.js";
import { json } from "./stores/rows.js";

/**
 * The simulated providers' durable memory in its own table. Each call is its own autocommit statement on the
 * owner connection, apart from Tiffin's transactions, so a rolled-back saga step never erases a movement.
 * The primary key makes the first writer of a key win; a loser's insert waits for it and then reads its record.
 */
export class PostgresProviderStore implements ProviderStore {
  constructor(private readonly db: Database) {}

  async putIfAbsent(record: ProviderRecord): Promise<ProviderRecord> {
    const inserted = await this.db.query<{ record: ProviderRecord }>(
      `INSERT INTO provider_records (idempotency_key, order_id, record, has_entry) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING record`,
      [record.idempotencyKey, record.orderId, json(record), record.entry !== null],
    );
    if (inserted[0]) return inserted[0].record;
    const existing = await this.get(record.idempotencyKey);
    if (!existing) throw new Error(`provider record ${record.idempotencyKey} vanished`);
    return existing;
  }

  async get(idempotencyKey: string): Promise<ProviderRecord | null> {
    const rows = await this.db.query<{ record: ProviderRecord }>("SELECT record FROM provider_records WHERE idempotency_key = $1", [
      idempotencyKey,
    ]);
    return rows[0]?.record ?? null;
  }

  async entries(orderId: string): Promise<LedgerEntry[]> {
    const rows = await this.db.query<{ entry: LedgerEntry }>(
      "SELECT record->'entry' AS entry FROM provider_records WHERE order_id = $1 AND has_entry ORDER BY seq",
      [orderId],
    );
    return rows.map((r) => r.entry);
  }
}
