import type { ViewChange, ViewChangeFeed } from "@tiffin/core";
import { viewsChannel } from "./sql/channels.js";
import type { Database } from "./sql/database.js";

/** Reads a notification of migration 0018's trigger; anything unexpected counts as "everything changed". */
export function parseViewChange(payload: string): ViewChange {
  try {
    const { o, r } = JSON.parse(payload) as { o?: unknown; r?: unknown };
    const strings = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === "string");
    if (strings(o) && strings(r)) return { kind: "views", orderIds: o, restaurantIds: r };
  } catch {
    // '*' (the list did not fit one notification) and anything malformed fall through.
  }
  return { kind: "everything" };
}

/**
 * View changes through LISTEN on the database's one listening connection (`Database.listen`, which reopens it and
 * listens again after it drops; what was notified in between is lost, which the readers' safety poll covers).
 * PGlite delivers the same notifications in process.
 */
export class PostgresViewChanges implements ViewChangeFeed {
  constructor(private readonly db: Database) {}

  subscribe(onChange: (change: ViewChange) => void): Promise<() => Promise<void>> {
    return this.db.listen(viewsChannel(this.db.schema), (payload) => onChange(parseViewChange(payload)));
  }

  async revisions(orderIds: readonly string[]): Promise<ReadonlyMap<string, number>> {
    if (orderIds.length === 0) return new Map();
    // As the owner role (no row-level security): revisions only tell a reader which views to read as its principal.
    const rows = await this.db.query<{ id: string; revision: number }>("SELECT id, revision FROM order_views WHERE id = ANY($1::text[])", [orderIds]);
    return new Map(rows.map((row) => [row.id, row.revision]));
  }
}
