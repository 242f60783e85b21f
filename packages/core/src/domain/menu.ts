import type { Money } from "./money.js";

/**
 * A restaurant's menu as stored and served. `buildMenu` turns this document
 * into the Composite that prices a selection.
 */
export interface MenuDocument {
  readonly restaurantId: string;
  readonly currency: string;
  readonly categories: readonly MenuCategoryDocument[];
  readonly combos: readonly ComboDocument[];
}

export interface MenuCategoryDocument {
  readonly id: string;
  readonly name: string;
  readonly items: readonly MenuItemDocument[];
}

export interface MenuItemDocument {
  readonly id: string;
  readonly name: string;
  readonly price: Money;
  readonly available: boolean;
  /** Set on a served menu when the day's portions are gone (then `available` is false too). */
  readonly soldOut?: boolean;
  readonly optionGroups: readonly OptionGroupDocument[];
}

export interface OptionGroupDocument {
  readonly id: string;
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly options: readonly OptionDocument[];
}

export interface OptionDocument {
  readonly id: string;
  readonly name: string;
  readonly priceDelta: Money;
  /** Staff's switch for this one option (absent: available); a served menu always sets it. */
  readonly available?: boolean;
}

/** A combo bundles items; it has its own price or a discount off the sum of its items' base prices. */
export interface ComboDocument {
  readonly id: string;
  readonly name: string;
  readonly itemIds: readonly string[];
  readonly available: boolean;
  /** Set on a served menu when one of its items is sold out. */
  readonly soldOut?: boolean;
  readonly pricing: { readonly kind: "fixed"; readonly price: Money } | { readonly kind: "discount"; readonly off: Money };
}

/** One cart line as the customer sends it: an item or combo id, a quantity and chosen option ids. */
export interface CartLine {
  readonly itemId: string;
  readonly quantity: number;
  readonly options?: readonly string[];
}
