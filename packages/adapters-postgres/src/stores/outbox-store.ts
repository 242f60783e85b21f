import type { CloudEvent, Outbox, OutboxRecord } from "@tiffin/core";
import type { SqlExecutor } from "../sql/database.js";
import { json, num } from "./rows.js";

// Candidates come from the oldest unleased records only (a bounded scan in position order, not the whole backlog);
// the first record of a key met in that order is its oldest pending one.
const ACQUIRE = `
WITH oldest AS (
  SELECT o.key, o.position FROM outbox o
  WHERE NOT EXISTS (SELECT 1 FROM outbox_leases l WHERE l.key = o.key AND l.lease_until > clock_timestamp())
  ORDER BY o.position LIMIT $2 * 10
), candidates AS (
  SELECT key, min(position) AS first FROM oldest GROUP BY key ORDER BY first LIMIT $2
)
INSERT INTO outbox_leases (key, relay_id, lease_until)
SELECT key, $1, clock_timestamp() + $3::int * interval '1 millisecond' FROM candidates
ON CONFLICT (key) DO UPDATE SET relay_id = excluded.relay_id, lease_until = excluded.lease_until
  WHERE outbox_leases.lease_until <= clock_timestamp()
RETURNING key`;

/**
 * The transactional outbox. A relay claims whole ordering keys with a lease row per key (`outbox_leases`);
 * acquiring a lease is an upsert that only wins over an expired lease, so concurrent relays never share a key.
 * Sent records are deleted.
 */
export class PostgresOutbox implements Outbox {
  constructor(
    private readonly tx: SqlExecutor,
    private readonly channel: string,
  ) {}

  async append(topic: string, messages: readonly CloudEvent[]): Promise<void> {
    if (messages.length === 0) return;
    const rows = messages.map((message) => ({ key: message.subject ?? message.id, message }));
    // outbox_idle() reads the statement's snapshot, from before this insert: only the first append into an
    // empty outbox notifies (see migration 0006), so concurrent commits are not serialized by NOTIFY.
    await this.tx.query(
      `WITH added AS (
         INSERT INTO outbox (topic, key, message)
         SELECT $1, r.value->>'key', r.value->'message' FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS r(value, n)
         ORDER BY r.n RETURNING 1)
       SELECT pg_notify($3, $4) FROM (SELECT 1 FROM added LIMIT 1) AS once WHERE outbox_idle()`,
      [topic, json(rows), this.channel, rows[0]?.key ?? ""],
    );
  }

  async claim(relayId: string, limit: number, leaseMs: number): Promise<OutboxRecord[]> {
    const acquired = (await this.tx.query<{ key: string }>(ACQUIRE, [relayId, limit, Math.ceil(leaseMs)])).map((r) => r.key);
    if (acquired.length === 0) return [];
    const rows = await this.tx.query<{ position: unknown; topic: string; key: string; message: CloudEvent }>(
      "SELECT position, topic, key, message FROM outbox WHERE key = ANY ($1::text[]) ORDER BY position LIMIT $2",
      [acquired, limit],
    );
    // Keys whose records all fell past the limit are given back at once rather than held until the lease ends.
    const returned = new Set(rows.map((r) => r.key));
    const unused = acquired.filter((key) => !returned.has(key));
    if (unused.length > 0) {
      await this.tx.query("DELETE FROM outbox_leases WHERE relay_id = $1 AND key = ANY ($2::text[])", [relayId, unused]);
    }
    return rows.map((r) => ({ position: num(r.position), topic: r.topic, key: r.key, message: r.message }));
  }

  async markSent(relayId: string, positions: readonly number[]): Promise<void> {
    if (positions.length === 0) return;
    await this.tx.query(
      `WITH sent AS (
         DELETE FROM outbox WHERE position = ANY($2::bigint[])
           AND key IN (SELECT key FROM outbox_leases WHERE relay_id = $1) RETURNING key)
       DELETE FROM outbox_leases WHERE relay_id = $1 AND key IN (SELECT key FROM sent)`,
      [relayId, positions],
    );
  }

  async release(relayId: string, positions: readonly number[]): Promise<void> {
    if (positions.length === 0) return;
    await this.tx.query(
      `DELETE FROM outbox_leases WHERE relay_id = $1
         AND key IN (SELECT key FROM outbox WHERE position = ANY($2::bigint[]))`,
      [relayId, positions],
    );
  }

  async pending(): Promise<number> {
    const rows = await this.tx.query<{ n: unknown }>("SELECT count(*) AS n FROM outbox");
    return num(rows[0]?.n);
  }
}
