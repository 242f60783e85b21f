import type { CloudEvent, Outbox, OutboxRecord, SetAsideRecord } from "@tiffin/core";
import type { SqlExecutor } from "../sql/database.js";
import { iso, json, num } from "./rows.js";

// Candidates come from the oldest unleased records only (a bounded scan in position order, not the whole backlog);
// the first record of a key met in that order is its oldest pending one.
// A record behind a set-aside one of its key is held (never claimed until that one is restored).
const NOT_HELD = "NOT EXISTS (SELECT 1 FROM outbox_set_aside s WHERE s.key = o.key AND s.position < o.position)";
const ACQUIRE = `
WITH oldest AS (
  SELECT o.key, o.position FROM outbox o
  WHERE NOT EXISTS (SELECT 1 FROM outbox_leases l WHERE l.key = o.key AND l.lease_until > clock_timestamp())
    AND ${NOT_HELD} AND ($4::text[] IS NULL OR o.key = ANY ($4::text[]))
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
 * Sent records are deleted; refused ones move to `outbox_set_aside` and hold their key (migration 0010).
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

  async claim(relayId: string, limit: number, leaseMs: number, options: { readonly keys?: readonly string[] } = {}): Promise<OutboxRecord[]> {
    const keys = options.keys === undefined ? null : [...options.keys];
    if (keys?.length === 0) return [];
    const acquired = (await this.tx.query<{ key: string }>(ACQUIRE, [relayId, limit, Math.ceil(leaseMs), keys])).map((r) => r.key);
    if (acquired.length === 0) return [];
    const rows = await this.tx.query<{ position: unknown; topic: string; key: string; message: CloudEvent }>(
      `SELECT position, topic, key, message FROM outbox o WHERE key = ANY ($1::text[]) AND ${NOT_HELD} ORDER BY position LIMIT $2`,
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

  async setAside(relayId: string, position: number, reason: string): Promise<void> {
    await this.tx.query(
      `WITH moved AS (
         DELETE FROM outbox WHERE position = $2 AND key IN (SELECT key FROM outbox_leases WHERE relay_id = $1)
         RETURNING position, topic, key, message, created_at),
       kept AS (
         INSERT INTO outbox_set_aside (position, topic, key, message, created_at, reason)
         SELECT position, topic, key, message, created_at, $3 FROM moved RETURNING key)
       DELETE FROM outbox_leases WHERE relay_id = $1 AND key IN (SELECT key FROM kept)`,
      [relayId, position, reason],
    );
  }

  async setAsideRecords(options: { readonly limit?: number } = {}): Promise<SetAsideRecord[]> {
    const rows = await this.tx.query<{ position: unknown; topic: string; key: string; message: CloudEvent; reason: string; set_aside_at: unknown }>(
      "SELECT position, topic, key, message, reason, set_aside_at FROM outbox_set_aside ORDER BY position LIMIT $1",
      [options.limit ?? 100],
    );
    return rows.map((r) => ({
      position: num(r.position),
      topic: r.topic,
      key: r.key,
      message: r.message,
      reason: r.reason,
      setAsideAt: iso(r.set_aside_at),
    }));
  }

  async restore(position: number): Promise<boolean> {
    const rows = await this.tx.query<{ key: string }>(
      `WITH back AS (DELETE FROM outbox_set_aside WHERE position = $1 RETURNING position, topic, key, message, created_at),
       restored AS (INSERT INTO outbox (position, topic, key, message, created_at) SELECT * FROM back RETURNING key)
       SELECT key, pg_notify($2, key) FROM restored`,
      [position, this.channel],
    );
    return rows.length > 0;
  }

  async pending(): Promise<number> {
    const rows = await this.tx.query<{ n: unknown }>("SELECT count(*) AS n FROM outbox");
    return num(rows[0]?.n);
  }
}
