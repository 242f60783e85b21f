import type { Inbox } from "@tiffin/core";
import type { SqlExecutor } from "../sql/database.js";

/** Processed message ids per consumer; the primary key makes concurrent records of one id yield one winner. */
export class PostgresInbox implements Inbox {
  constructor(private readonly tx: SqlExecutor) {}

  async record(consumer: string, messageId: string): Promise<boolean> {
    const rows = await this.tx.query(
      "INSERT INTO inbox (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1 AS recorded",
      [consumer, messageId],
    );
    return rows.length === 1;
  }
}
