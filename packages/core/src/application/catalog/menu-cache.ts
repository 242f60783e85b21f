import type { MenuDocument } from "../../domain/menu.js";
import { type Menu, buildMenu } from "../../domain/menu-pricing.js";
import { applyStock } from "../../domain/menu-stock.js";
import type { MenuStamp } from "../../ports/catalog.js";
import type { TransactionStores } from "../../ports/unit-of-work.js";

/** The menu as served now: the published version with stock applied, its Composite, and its ETag. */
export interface ServedMenu {
  readonly restaurantId: string;
  readonly version: number;
  /** Strong validator of the served document: changes exactly when the stamp does. */
  readonly etag: string;
  readonly document: MenuDocument;
  readonly pricing: Menu;
  /**
   * Items with a portion count at this stamp. Setting or lifting a count changes the stamp, so an item not in here
   * is unlimited for whoever read this stamp, and a placement needs no stock row lock for it.
   */
  readonly limitedItems: ReadonlySet<string>;
}

const etagOf = (restaurantId: string, stamp: MenuStamp): string => `"${encodeURIComponent(restaurantId)}.${stamp.version}.${stamp.revision}"`;

/**
 * Served menus by restaurant, reused while the catalog's stamp (version, revision) is unchanged. Every use
 * reads the stamp in the caller's transaction first, a one-row lookup, so a publication or a stock change made
 * through any instance is seen by the next request here: no timer, no invalidation message to lose.
 */
export class MenuCache {
  private readonly entries = new Map<string, { readonly stamp: MenuStamp; readonly menu: ServedMenu }>();

  constructor(private readonly capacity = 1_000) {}

  /** The current served menu, or null when the restaurant has published none. */
  async current(tx: TransactionStores, restaurantId: string): Promise<ServedMenu | null> {
    const stamp = await tx.catalog.menuStamp(restaurantId);
    if (stamp === null) return null;
    const cached = this.entries.get(restaurantId);
    if (cached && cached.stamp.version === stamp.version && cached.stamp.revision === stamp.revision) return cached.menu;
    // The stamp is read first, so what is cached under it is never older than it.
    const published = await tx.catalog.menu(restaurantId, stamp.version);
    if (published === null) return null;
    const stock = await tx.catalog.stock(restaurantId);
    const document = applyStock({ ...published.document, restaurantId }, stock);
    const limitedItems = new Set(stock.filter((s) => s.portionsLeft !== null).map((s) => s.itemId));
    const menu: ServedMenu = { restaurantId, version: published.version, etag: etagOf(restaurantId, stamp), document, pricing: buildMenu(document), limitedItems };
    this.entries.delete(restaurantId);
    this.entries.set(restaurantId, { stamp, menu });
    // Maps iterate in insertion order, so the first key is the least recently loaded.
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return menu;
  }
}
