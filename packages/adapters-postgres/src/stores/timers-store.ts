import type { Timer, Timers } from "@tiffin/core";
import type { SqlExecutor } from "../sql/database.js";
import { iso, json } from "./rows.js";

interface TimerRow {
  id: string;
  kind: string;
  key: string;
  due_at: unknown;
  payload: Record<string, unknown>;
}

const toTimer = (r: TimerRow): Timer => ({ id: r.id, kind: r.kind, key: r.key, dueAt: iso(r.due_at), payload: r.payload });

/** Durable timers. Claims lease due rows with SKIP LOCKED, so competing pollers get disjoint sets. */
export class PostgresTimers implements Timers {
  constructor(private readonly tx: SqlExecutor) {}

  async schedule(timer: Timer): Promise<void> {
    await this.tx.query(
      `INSERT INTO timers (id, kind, key, due_at, payload) VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT DO NOTHING`,
      [timer.id, timer.kind, timer.key, timer.dueAt, json(timer.payload)],
    );
  }

  async hasPending(keyPrefix: string): Promise<boolean> {
    // A range on the unique key's index rather than LIKE, which would need the C collation to use it.
    const rows = await this.tx.query("SELECT 1 FROM timers WHERE key >= $1 AND left(key, length($1)) = $1 LIMIT 1", [keyPrefix]);
    return rows.length > 0;
  }

  async cancel(key: string): Promise<void> {
    await this.tx.query("DELETE FROM timers WHERE key = $1", [key]);
  }

  async claimDue(owner: string, now: Date, limit: number, leaseMs: number): Promise<Timer[]> {
    const rows = await this.tx.query<TimerRow>(
      `WITH due AS (
         SELECT id FROM timers WHERE due_at <= $2 AND (lease_until IS NULL OR lease_until <= $2)
         ORDER BY due_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
       UPDATE timers t SET lease_owner = $1, lease_until = $2::timestamptz + $4::int * interval '1 millisecond'
       FROM due WHERE t.id = due.id
       RETURNING t.id, t.kind, t.key, t.due_at, t.payload`,
      [owner, now.toISOString(), limit, Math.ceil(leaseMs)],
    );
    return rows.map(toTimer).sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
  }

  async complete(owner: string, timerId: string): Promise<void> {
    await this.tx.query("DELETE FROM timers WHERE id = $1 AND lease_owner = $2", [timerId, owner]);
  }
}
