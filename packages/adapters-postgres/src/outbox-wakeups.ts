import { outboxChannel } from "./sql/channels.js";
import type { Database } from "./sql/database.js";

/**
 * Calls `wake` after each commit that appended to the outbox (the append's NOTIFY), so a relay publishes at once
 * instead of at its next poll, e.g. `onOutboxAppend(db, () => worker.wake())`. Resolves to the stop function.
 */
export const onOutboxAppend = (db: Database, wake: () => void): Promise<() => Promise<void>> =>
  db.listen(outboxChannel(db.schema), () => wake());
