import { type OrderView, type Page, type ReadModels, TERMINAL_STATUSES, ViewRevisionConflictError } from "@tiffin/core";
import type { SqlExecutor } from "../sql/database.js";
import { json } from "./rows.js";

const encodeCursor = (view: OrderView): string => Buffer.from(JSON.stringify([view.placedAt, view.id])).toString("base64url");

function decodeCursor(cursor: string): [string, string] | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [placedAt, id] = value as unknown[];
    return typeof placedAt === "string" && typeof id === "string" ? [placedAt, id] : null;
  } catch {
    return null;
  }
}

/** Order views as JSON documents; row-level security decides which rows each principal's queries see. */
export class PostgresReadModels implements ReadModels {
  constructor(private readonly tx: SqlExecutor) {}

  async getView(orderId: string): Promise<OrderView | null> {
    const rows = await this.tx.query<{ view: OrderView }>("SELECT view FROM order_views WHERE id = $1", [orderId]);
    return rows[0]?.view ?? null;
  }

  async saveView(view: OrderView): Promise<void> {
    const params = [view.id, view.customerId, view.restaurantId, view.courierId, view.status, view.placedAt, view.revision, json(view)];
    const saved =
      view.revision === 1
        ? await this.tx.query(
            `INSERT INTO order_views (id, customer_id, restaurant_id, courier_id, status, placed_at, revision, view)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) ON CONFLICT (id) DO NOTHING RETURNING 1`,
            params,
          )
        : await this.tx.query(
            `UPDATE order_views SET customer_id = $2, restaurant_id = $3, courier_id = $4, status = $5, placed_at = $6,
               revision = $7, view = $8::jsonb
             WHERE id = $1 AND revision = $7 - 1 RETURNING 1`,
            params,
          );
    if (saved.length === 0) throw new ViewRevisionConflictError(view.id);
  }

  async history(customerId: string, page: { limit: number; cursor?: string | null }): Promise<Page<OrderView>> {
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    const rows = await this.tx.query<{ view: OrderView }>(
      `SELECT view FROM order_views WHERE customer_id = $1
         AND ($2::timestamptz IS NULL OR (placed_at, id) < ($2::timestamptz, $3::text))
       ORDER BY placed_at DESC, id DESC LIMIT $4`,
      [customerId, after?.[0] ?? null, after?.[1] ?? null, page.limit + 1],
    );
    const items = rows.slice(0, page.limit).map((r) => r.view);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor(last) : null };
  }

  async board(restaurantId: string): Promise<OrderView[]> {
    const rows = await this.tx.query<{ view: OrderView }>(
      `SELECT view FROM order_views WHERE restaurant_id = $1 AND status <> ALL($2::text[])
       ORDER BY placed_at, id`,
      [restaurantId, TERMINAL_STATUSES],
    );
    return rows.map((r) => r.view);
  }
}
