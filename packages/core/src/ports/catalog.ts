import type { LatLng } from "../domain/geo.js";
import type { MenuDocument } from "../domain/menu.js";
import type { ItemStock, PortionNeed } from "../domain/menu-stock.js";
import type { RestaurantProfile } from "../domain/restaurant.js";

/** A restaurant as listed to customers: its profile and whether it takes orders now. */
export interface Restaurant extends RestaurantProfile {
  readonly open: boolean;
}

/** A published menu version. Versions of a restaurant count 1, 2, 3... and are never changed or removed. */
export interface PublishedMenu {
  readonly restaurantId: string;
  readonly version: number;
  readonly document: MenuDocument;
  readonly publishedAt: string;
}

/**
 * What identifies the menu a customer sees now: the published version and a revision that grows whenever
 * staff switch an entry's availability or portions, or an item sells out or comes back. Equal stamps mean an
 * equal served menu, so they make an ETag and a cache key; reading one is a single-row lookup.
 */
export interface MenuStamp {
  readonly version: number;
  readonly revision: number;
}

/** A restaurant search (one page, best first). */
export interface CatalogSearch {
  readonly point: LatLng;
  readonly radiusKm: number;
  /** Words that must each start a word of the name, the cuisine or a dish name. */
  readonly query?: string;
  /** Only restaurants open at this instant (on their own clock) and not paused. */
  readonly openAt?: Date;
  readonly limit: number;
}

/** A search hit: the profile, its distance, and the text score (0 without a query). */
export type CatalogHit = RestaurantProfile & { readonly distanceKm: number; readonly textScore: number };

/** What staff change on one entry's stock; absent fields stay as they are. */
export interface StockUpdate {
  readonly available?: boolean;
  readonly portions?: number | null;
  readonly options?: Readonly<Record<string, boolean>>;
}

/** Where placing an order failed to reserve: the first item short of portions. */
export type Reservation = { readonly ok: true } | { readonly ok: false; readonly soldOutItemId: string };

/**
 * Restaurants, their menu versions and the live stock of their items. Profiles and menus are readable by every
 * principal; a restaurant's staff change their own restaurant, admins and the system any. Row visibility is
 * the store's (row-level security), so a forbidden write throws rather than silently doing nothing.
 */
export interface Catalog {
  restaurant(id: string): Promise<RestaurantProfile | null>;

  /** Creates or replaces a restaurant profile (menus and stock are untouched). */
  saveRestaurant(restaurant: RestaurantProfile): Promise<void>;

  /**
   * Restaurants within `radiusKm` of `point`. Without a query: nearest first. With one: only those matching
   * every word, best first by `textScore / (1 + distanceKm)`, where a name match scores above a cuisine match
   * and a cuisine match above a dish match. Ties break by distance, then id.
   */
  search(search: CatalogSearch): Promise<CatalogHit[]>;

  /**
   * Publishes `document` as the restaurant's next version (1 for the first) and returns it. The stock of
   * entries that remain keeps its portions and takes the document's availability; new entries start
   * unlimited; entries gone from the menu lose their stock. Concurrent publications get distinct versions.
   */
  publishMenu(restaurantId: string, document: MenuDocument, at: string): Promise<PublishedMenu>;

  /** The current version, or a given one; null when there is none. */
  menu(restaurantId: string, version?: number): Promise<PublishedMenu | null>;

  /** The current menu's stamp, or null when nothing is published. */
  menuStamp(restaurantId: string): Promise<MenuStamp | null>;

  /** Stock of every entry of the current menu. */
  stock(restaurantId: string): Promise<ItemStock[]>;

  /**
   * Changes an entry's availability, portions (`portions: null` is unlimited) and/or the switches of single
   * options (`options: { [optionId]: available }`; callers check the ids) and bumps the revision. Returns the
   * new stock, or null when the current menu has no such entry.
   */
  setStock(restaurantId: string, itemId: string, change: StockUpdate): Promise<ItemStock | null>;

  /**
   * Takes portions for an order, all or nothing: every limited item must have at least the quantity left, else
   * nothing changes and the first short item (in `needs` order) is named. Takes each item's row lock, so of
   * concurrent reservations exactly as many succeed as there are portions, and portions never go below zero.
   * Callers pass `needs` sorted by item id. Unlimited items are not recorded.
   */
  reservePortions(reservation: {
    readonly orderId: string;
    readonly restaurantId: string;
    readonly customerId: string;
    readonly needs: readonly PortionNeed[];
  }): Promise<Reservation>;

  /** Gives an order's reserved portions back; a second call, or one for an order with none, does nothing. */
  releasePortions(orderId: string): Promise<void>;
}
