import type { ItemStock, PortionNeed } from "../domain/menu-stock.js";
import { entryIds, publishedOptionSwitches, switchOptions } from "../domain/menu-stock.js";
import type { MenuDocument } from "../domain/menu.js";
import type { RestaurantProfile } from "../domain/restaurant.js";
import type { Catalog, CatalogHit, CatalogSearch, MenuStamp, PublishedMenu, Reservation, StockUpdate } from "../ports/catalog.js";
import { searchRestaurants } from "./catalog-search.js";
import { copy } from "./in-memory-database.js";
import type { StoreContext } from "./store-context.js";
import { canManageRestaurant, canSeeReservation, checkWrite } from "./visibility.js";

const stockKey = (restaurantId: string, itemId: string): string => `${restaurantId}\u0000${itemId}`;

/** Restaurants, menu versions and stock in memory: readable by everyone, written by their staff, admin and system. */
export class InMemoryCatalog implements Catalog {
  constructor(private readonly ctx: StoreContext) {}

  async restaurant(id: string): Promise<RestaurantProfile | null> {
    const row = this.ctx.txn.read("restaurants").get(id);
    return row ? copy(row) : null;
  }

  async saveRestaurant(restaurant: RestaurantProfile): Promise<void> {
    checkWrite(canManageRestaurant(this.ctx.principal, restaurant.id), "restaurants", this.ctx.principal);
    this.ctx.txn.write("restaurants").set(restaurant.id, copy(restaurant));
  }

  async search(search: CatalogSearch): Promise<CatalogHit[]> {
    const menus = this.ctx.txn.read("menus");
    return searchRestaurants(search, this.ctx.txn.read("restaurants").values(), (id) => menus.get(id)?.versions.at(-1)?.document);
  }

  async publishMenu(restaurantId: string, document: MenuDocument, at: string): Promise<PublishedMenu> {
    checkWrite(canManageRestaurant(this.ctx.principal, restaurantId), "menus", this.ctx.principal);
    if (!this.ctx.txn.read("restaurants").has(restaurantId)) throw new Error(`no restaurant ${restaurantId} to publish a menu for`);
    const head = this.ctx.txn.read("menus").get(restaurantId);
    const published: PublishedMenu = { restaurantId, version: (head?.versions.length ?? 0) + 1, document: copy(document), publishedAt: at };
    this.ctx.txn.write("menus").set(restaurantId, { versions: [...(head?.versions ?? []), published], revision: 0 });
    const stock = this.ctx.txn.write("stock");
    const kept = new Map([...document.categories.flatMap((c) => c.items), ...document.combos].map((e) => [e.id, e.available]));
    for (const [key, row] of stock) if (row.restaurantId === restaurantId && !kept.has(row.itemId)) stock.delete(key);
    const optionsOff = publishedOptionSwitches(document);
    for (const itemId of entryIds(document)) {
      const previous = stock.get(stockKey(restaurantId, itemId));
      const unavailableOptions = optionsOff.get(itemId) ?? [];
      stock.set(stockKey(restaurantId, itemId), { restaurantId, itemId, available: kept.get(itemId) ?? true, portionsLeft: previous?.portionsLeft ?? null, unavailableOptions });
    }
    return copy(published);
  }

  async menu(restaurantId: string, version?: number): Promise<PublishedMenu | null> {
    const versions = this.ctx.txn.read("menus").get(restaurantId)?.versions ?? [];
    const found = version === undefined ? versions.at(-1) : versions.find((m) => m.version === version);
    return found ? copy(found) : null;
  }

  async menuStamp(restaurantId: string): Promise<MenuStamp | null> {
    const head = this.ctx.txn.read("menus").get(restaurantId);
    return head ? { version: head.versions.length, revision: head.revision } : null;
  }

  async stock(restaurantId: string): Promise<ItemStock[]> {
    return [...this.ctx.txn.read("stock").values()]
      .filter((s) => s.restaurantId === restaurantId)
      .map(({ itemId, available, portionsLeft, unavailableOptions }) => ({ itemId, available, portionsLeft, unavailableOptions: [...unavailableOptions] }));
  }

  async setStock(restaurantId: string, itemId: string, change: StockUpdate): Promise<ItemStock | null> {
    checkWrite(canManageRestaurant(this.ctx.principal, restaurantId), "menu_stock", this.ctx.principal);
    const row = this.ctx.txn.read("stock").get(stockKey(restaurantId, itemId));
    if (!row) return null;
    const next = {
      ...row,
      ...(change.available === undefined ? {} : { available: change.available }),
      ...(change.portions === undefined ? {} : { portionsLeft: change.portions }),
      ...(change.options === undefined ? {} : { unavailableOptions: switchOptions(row.unavailableOptions, change.options) }),
    };
    this.ctx.txn.write("stock").set(stockKey(restaurantId, itemId), next);
    this.bumpRevision(restaurantId);
    return { itemId, available: next.available, portionsLeft: next.portionsLeft, unavailableOptions: [...next.unavailableOptions] };
  }

  async reservePortions(reservation: { orderId: string; restaurantId: string; customerId: string; needs: readonly PortionNeed[] }): Promise<Reservation> {
    const { orderId, restaurantId, customerId } = reservation;
    const stock = this.ctx.txn.read("stock");
    const limited = reservation.needs.filter((n) => (stock.get(stockKey(restaurantId, n.itemId))?.portionsLeft ?? null) !== null);
    for (const need of limited) {
      const left = stock.get(stockKey(restaurantId, need.itemId))?.portionsLeft ?? 0;
      if (left < need.quantity) return { ok: false, soldOutItemId: need.itemId };
    }
    if (limited.length === 0) return { ok: true };
    for (const need of limited) this.addPortions(restaurantId, need.itemId, -need.quantity);
    checkWrite(canSeeReservation(this.ctx.principal, { restaurantId, customerId }), "portion_reservations", this.ctx.principal);
    this.ctx.txn.write("reservations").set(orderId, { restaurantId, customerId, needs: copy(limited) });
    return { ok: true };
  }

  async releasePortions(orderId: string): Promise<void> {
    const held = this.ctx.txn.read("reservations").get(orderId);
    if (!held || !canSeeReservation(this.ctx.principal, held)) return;
    this.ctx.txn.write("reservations").delete(orderId);
    for (const need of held.needs) this.addPortions(held.restaurantId, need.itemId, need.quantity);
  }

  /** Moves an item's portions (if still limited), bumping the revision when it sells out or comes back. */
  private addPortions(restaurantId: string, itemId: string, delta: number): void {
    const row = this.ctx.txn.read("stock").get(stockKey(restaurantId, itemId));
    if (!row || row.portionsLeft === null) return;
    const portionsLeft = row.portionsLeft + delta;
    this.ctx.txn.write("stock").set(stockKey(restaurantId, itemId), { ...row, portionsLeft });
    if (row.portionsLeft === 0 || portionsLeft === 0) this.bumpRevision(restaurantId);
  }

  private bumpRevision(restaurantId: string): void {
    const head = this.ctx.txn.read("menus").get(restaurantId);
    if (head) this.ctx.txn.write("menus").set(restaurantId, { ...head, revision: head.revision + 1 });
  }
}
