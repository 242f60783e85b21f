import type { CartLine, MenuDocument, MenuItemDocument, OptionDocument } from "./menu.js";

/** The live state of one item or combo of a published menu: staff's availability switch and portions left. */
export interface ItemStock {
  readonly itemId: string;
  readonly available: boolean;
  /** Portions left for the day; null is unlimited. Only items (not combos) have portions. */
  readonly portionsLeft: number | null;
  /** Ids of this item's options that staff switched off, sorted (always empty for a combo). */
  readonly unavailableOptions: readonly string[];
}

/** Portions of one item a cart takes. */
export interface PortionNeed {
  readonly itemId: string;
  readonly quantity: number;
}

const soldOut = (stock: ItemStock | undefined): boolean => stock?.portionsLeft === 0;

/** An item's option groups with each option's live switch: the stock row's, else the published document's. */
function withOptionSwitches(item: MenuItemDocument, stock: ItemStock | undefined): MenuItemDocument["optionGroups"] {
  const off = (option: OptionDocument) => (stock ? stock.unavailableOptions.includes(option.id) : option.available === false);
  return item.optionGroups.map((group) => ({ ...group, options: group.options.map((o) => ({ ...o, available: !off(o) })) }));
}

/** Whether every group that requires a choice still has enough options switched on. */
const choosable = (groups: MenuItemDocument["optionGroups"]): boolean =>
  groups.every((g) => g.options.filter((o) => o.available !== false).length >= g.min);

/**
 * The menu as customers see it and as it prices now: each entry's `available` is the staff's switch (the
 * published document's value when no stock row exists) and false when sold out, which `soldOut` tells apart.
 * Each option carries its own switch; an item whose required choice has too few options left is unavailable.
 * A combo is sold out when one of its items is.
 */
export function applyStock(doc: MenuDocument, stock: readonly ItemStock[]): MenuDocument {
  const byId = new Map(stock.map((s) => [s.itemId, s]));
  const itemSoldOut = new Set<string>();
  const categories = doc.categories.map((category) => ({
    ...category,
    items: category.items.map((item) => {
      const state = byId.get(item.id);
      const out = soldOut(state);
      if (out) itemSoldOut.add(item.id);
      const optionGroups = withOptionSwitches(item, state);
      return { ...item, optionGroups, available: (state?.available ?? item.available) && !out && choosable(optionGroups), soldOut: out };
    }),
  }));
  const combos = doc.combos.map((combo) => {
    const out = combo.itemIds.some((id) => itemSoldOut.has(id));
    return { ...combo, available: (byId.get(combo.id)?.available ?? combo.available) && !out, soldOut: out };
  });
  return { ...doc, categories, combos };
}

/**
 * The portions a cart takes, per item, combos expanded into their items and repeated items summed, sorted by
 * item id so concurrent reservations lock stock rows in one order (no deadlocks). Unknown ids are skipped:
 * pricing has refused them already.
 */
export function portionsNeeded(doc: MenuDocument, cart: readonly CartLine[]): PortionNeed[] {
  const combos = new Map(doc.combos.map((c) => [c.id, c.itemIds]));
  const items = new Set(doc.categories.flatMap((c) => c.items.map((i) => i.id)));
  const need = new Map<string, number>();
  for (const line of cart) {
    const parts = combos.get(line.itemId) ?? (items.has(line.itemId) ? [line.itemId] : []);
    for (const itemId of parts) need.set(itemId, (need.get(itemId) ?? 0) + line.quantity);
  }
  return [...need.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([itemId, quantity]) => ({ itemId, quantity }));
}

/** An item's switched-off option ids after `changes` (`{ [optionId]: available }`), sorted. */
export function switchOptions(off: readonly string[], changes: Readonly<Record<string, boolean>>): string[] {
  const next = new Set(off);
  for (const [optionId, available] of Object.entries(changes)) {
    if (available) next.delete(optionId);
    else next.add(optionId);
  }
  return [...next].sort();
}

/** Ids of the options a document publishes as switched off, per item (the stock a publication starts from). */
export const publishedOptionSwitches = (doc: MenuDocument): Map<string, string[]> =>
  new Map(
    doc.categories.flatMap((c) =>
      c.items.map((i) => [i.id, i.optionGroups.flatMap((g) => g.options.filter((o) => o.available === false).map((o) => o.id)).sort()] as const),
    ),
  );

/** Ids of every item and combo of a menu document (the rows a publication keeps stock for). */
export const entryIds = (doc: MenuDocument): string[] => [...doc.categories.flatMap((c) => c.items.map((i) => i.id)), ...doc.combos.map((c) => c.id)];
