import type { CartLine, MenuDocument } from "./menu.js";
import { Combo, type MenuEntry, MenuItem } from "./menu-composite.js";
import {
  MAX_QUANTITY,
  MIN_QUANTITY,
  MenuInvalidError,
  type MenuError,
  cartEmpty,
  itemSoldOut,
  itemUnavailable,
  itemUnknown,
  quantityOutOfRange,
} from "./menu.errors.js";
import { type Money, add, multiply, zero } from "./money.js";
import type { OrderLine } from "./order.js";
import { type Result, err, ok } from "./result.js";

/** A cart priced by the server: one order line per cart line, and their sum. */
export interface PricedCart {
  readonly lines: OrderLine[];
  readonly total: Money;
}

/** A validated menu: the root of the Composite that prices carts. */
export interface Menu {
  readonly restaurantId: string;
  readonly currency: string;
  /** An item or combo by id, or undefined. */
  entry(id: string): MenuEntry | undefined;
  /**
   * Prices every line (quantity 1..99, known and available ids, valid options) or returns the first failure,
   * with `details.line` its index. Never returns a negative line or total.
   */
  price(cart: readonly CartLine[]): Result<PricedCart, MenuError>;
}

const CURRENCY = /^[A-Z]{3}$/;

function claim(ids: Set<string>, id: unknown, kind: string): void {
  if (typeof id !== "string" || id === "") throw new MenuInvalidError(`a ${kind} has no id`, { kind });
  if (ids.has(id)) throw new MenuInvalidError(`duplicate ${kind} id ${id}`, { kind, id });
  ids.add(id);
}

/**
 * Validates a menu document and builds its Composite. Throws `MenuInvalidError` (code MENU_INVALID) when ids
 * repeat (items and combos share one namespace, since a cart line names either), a group has min > max, a price
 * is negative, fractional or in another currency, or a combo names an unknown item or discounts below zero.
 */
export function buildMenu(doc: MenuDocument): Menu {
  const { currency } = doc;
  if (typeof currency !== "string" || !CURRENCY.test(currency)) {
    throw new MenuInvalidError(`menu currency must be an ISO 4217 code, got ${String(currency)}`, { currency });
  }
  const categoryIds = new Set<string>();
  const entryIds = new Set<string>();
  const entries = new Map<string, MenuEntry>();
  const items = new Map<string, MenuItem>();
  for (const category of doc.categories) {
    claim(categoryIds, category.id, "category");
    for (const itemDoc of category.items) {
      claim(entryIds, itemDoc.id, "item");
      const item = new MenuItem(itemDoc, currency);
      items.set(item.id, item);
      entries.set(item.id, item);
    }
  }
  for (const comboDoc of doc.combos) {
    claim(entryIds, comboDoc.id, "combo");
    const parts = comboDoc.itemIds.map((id) => {
      const item = items.get(id);
      if (!item) {
        const details = { comboId: comboDoc.id, itemId: id };
        throw new MenuInvalidError(`combo ${comboDoc.id} names unknown item ${id}`, details);
      }
      return item;
    });
    entries.set(comboDoc.id, new Combo(comboDoc, parts, currency));
  }
  const soldOut = new Set([...doc.categories.flatMap((c) => c.items), ...doc.combos].filter((e) => e.soldOut === true).map((e) => e.id));
  return new PricingMenu(doc.restaurantId, currency, entries, soldOut);
}

class PricingMenu implements Menu {
  constructor(
    readonly restaurantId: string,
    readonly currency: string,
    private readonly entries: ReadonlyMap<string, MenuEntry>,
    private readonly soldOut: ReadonlySet<string>,
  ) {}

  entry(id: string): MenuEntry | undefined {
    return this.entries.get(id);
  }

  price(cart: readonly CartLine[]): Result<PricedCart, MenuError> {
    if (cart.length === 0) return err(cartEmpty());
    const lines: OrderLine[] = [];
    let total = zero(this.currency);
    for (const [index, cartLine] of cart.entries()) {
      const priced = this.priceLine(cartLine, index);
      if (!priced.ok) return priced;
      lines.push(priced.value);
      total = add(total, priced.value.lineTotal);
    }
    return ok({ lines, total });
  }

  private priceLine({ itemId, quantity, options = [] }: CartLine, index: number): Result<OrderLine, MenuError> {
    if (!Number.isInteger(quantity) || quantity < MIN_QUANTITY || quantity > MAX_QUANTITY) {
      return err(quantityOutOfRange(index, itemId, quantity));
    }
    const entry = this.entries.get(itemId);
    if (!entry) return err(itemUnknown(index, itemId));
    const unavailable = entry.unavailablePart();
    if (unavailable !== null) {
      return err(this.soldOut.has(unavailable) ? itemSoldOut(index, itemId, unavailable) : itemUnavailable(index, itemId, unavailable));
    }
    const unit = entry.priceUnit(options, index);
    if (!unit.ok) return unit;
    const { unitPrice, options: chosen } = unit.value;
    const lineTotal = multiply(unitPrice, quantity);
    return ok({ itemId, name: entry.name, quantity, options: chosen, unitPrice, lineTotal });
  }
}
