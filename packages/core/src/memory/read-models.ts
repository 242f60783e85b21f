import { isTerminal } from "../domain/order.js";
import { type OrderView, type Page, type ReadModels, ViewRevisionConflictError } from "../ports/read-models.js";
import { copy } from "./in-memory-database.js";
import type { StoreContext } from "./store-context.js";
import { canSeeOrder, checkWrite } from "./visibility.js";

type Cursor = readonly [placedAt: string, id: string];

const encodeCursor = (view: OrderView): string =>
  Buffer.from(JSON.stringify([view.placedAt, view.id] satisfies Cursor)).toString("base64url");

function decodeCursor(cursor: string): Cursor {
  const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === "string")) {
    throw new Error("malformed history cursor");
  }
  return value as unknown as Cursor;
}

/** Newest first; the id breaks ties so paging is stable. */
function newestFirst(a: OrderView, b: OrderView): number {
  return Date.parse(b.placedAt) - Date.parse(a.placedAt) || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0);
}

/** The order read models in memory, filtered by the principal like the order store. */
export class InMemoryReadModels implements ReadModels {
  constructor(private readonly ctx: StoreContext) {}

  async getView(orderId: string): Promise<OrderView | null> {
    const view = this.ctx.txn.read("views").get(orderId);
    return view && canSeeOrder(this.ctx.principal, view) ? copy(view) : null;
  }

  async saveView(view: OrderView): Promise<void> {
    checkWrite(canSeeOrder(this.ctx.principal, view), "order_views", this.ctx.principal);
    const stored = this.ctx.txn.read("views").get(view.id);
    const fits = stored ? stored.revision === view.revision - 1 : view.revision === 1;
    if (!fits) throw new ViewRevisionConflictError(view.id);
    this.ctx.txn.write("views").set(view.id, copy(view));
  }

  async history(customerId: string, page: { limit: number; cursor?: string | null }): Promise<Page<OrderView>> {
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    const mine = this.visible()
      .filter((v) => v.customerId === customerId)
      .sort(newestFirst)
      .filter((v) => after === null || newestFirst({ ...v, placedAt: after[0], id: after[1] }, v) < 0);
    const items = mine.slice(0, page.limit);
    const last = items.at(-1);
    return { items: items.map(copy), nextCursor: mine.length > page.limit && last ? encodeCursor(last) : null };
  }

  async board(restaurantId: string): Promise<OrderView[]> {
    return this.visible()
      .filter((v) => v.restaurantId === restaurantId && !isTerminal(v.status))
      .sort((a, b) => newestFirst(b, a))
      .map(copy);
  }

  private visible(): OrderView[] {
    return [...this.ctx.txn.read("views").values()].filter((v) => canSeeOrder(this.ctx.principal, v));
  }
}
