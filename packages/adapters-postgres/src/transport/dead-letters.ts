import { type DeadLetter, type DeadLetters, type EncodedMessage, type QueueDepth, decodeCloudEvent } from "@tiffin/core";
import { busChannel } from "../sql/channels.js";
import type { Database } from "../sql/database.js";
import { iso, num } from "../stores/rows.js";
import { BUS_SQL } from "./bus-sql.js";

interface DeadLetterRow {
  id: unknown;
  subscription: string;
  attributes: Record<string, string>;
  body: string;
  reason: string;
  attempts: number;
  dead_lettered_at: unknown;
}

function toDeadLetter(r: DeadLetterRow): DeadLetter {
  const raw: EncodedMessage = { attributes: r.attributes, body: r.body };
  let message: DeadLetter["message"] = null;
  try {
    message = decodeCloudEvent(raw);
  } catch {
    // Unparseable messages are dead letters too; `raw` keeps what arrived.
  }
  return {
    id: String(r.id),
    subscription: r.subscription,
    message,
    raw,
    reason: r.reason,
    attempts: num(r.attempts),
    deadLetteredAt: iso(r.dead_lettered_at),
  };
}

/** The transport's dead-letter queues (one per subscription, in `bus_dead_letters`) and queue depth. */
export class PostgresDeadLetters implements DeadLetters, QueueDepth {
  constructor(private readonly db: Database) {}

  async list(subscription: string, options: { limit?: number } = {}): Promise<DeadLetter[]> {
    const rows = await this.db.query<DeadLetterRow>(BUS_SQL.listDeadLetters, [subscription, options.limit ?? 100]);
    return rows.map(toDeadLetter);
  }

  async replay(deadLetterId: string): Promise<boolean> {
    if (!/^\d{1,18}$/.test(deadLetterId)) return false;
    const requeued = await this.db.query(BUS_SQL.replay, [deadLetterId, busChannel(this.db.schema)]);
    return requeued.length > 0;
  }

  async depth(subscription: string): Promise<number> {
    const rows = await this.db.query<{ n: unknown }>(BUS_SQL.depth, [subscription]);
    return num(rows[0]?.n);
  }
}
