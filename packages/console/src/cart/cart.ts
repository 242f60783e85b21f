import type { PlaceOrderLine } from "../api/client.js";
import type { Combo, Menu, MenuItem, Money } from "../api/types.js";

/** One line of the cart: an item with its chosen options, or a combo. */
export interface CartLine {
  readonly entryId: string;
  readonly name: string;
  readonly optionIds: readonly string[];
  readonly optionNames: readonly string[];
  readonly quantity: number;
}

/**
 * The customer's cart for one restaurant. `idempotencyKey` belongs to this exact content: a retried placement (a
 * timeout, a lost answer) sends the same key and gets the same order back, while any change to the cart draws a
 * new key, since the server refuses a key reused with another body.
 */
export interface Cart {
  readonly restaurantId: string;
  readonly menuVersion: number;
  readonly lines: readonly CartLine[];
  readonly idempotencyKey: string;
}

const newKey = (): string => crypto.randomUUID();

export const emptyCart = (restaurantId: string, menuVersion: number): Cart => ({ restaurantId, menuVersion, lines: [], idempotencyKey: newKey() });

const sameLine = (a: CartLine, entryId: string, optionIds: readonly string[]) =>
  a.entryId === entryId && a.optionIds.length === optionIds.length && [...a.optionIds].sort().join() === [...optionIds].sort().join();

/** Adds an entry (merging with an identical line), at most 99 of one line as the API allows. */
export function addToCart(cart: Cart, line: Omit<CartLine, "quantity">, quantity = 1): Cart {
  const existing = cart.lines.find((l) => sameLine(l, line.entryId, line.optionIds));
  const lines =
    existing === undefined
      ? [...cart.lines, { ...line, quantity: Math.min(quantity, 99) }]
      : cart.lines.map((l) => (l === existing ? { ...l, quantity: Math.min(l.quantity + quantity, 99) } : l));
  return { ...cart, lines, idempotencyKey: newKey() };
}

/** Sets a line's quantity; zero removes it. */
export function setQuantity(cart: Cart, index: number, quantity: number): Cart {
  const lines = cart.lines.flatMap((l, i) => (i !== index ? [l] : quantity <= 0 ? [] : [{ ...l, quantity: Math.min(quantity, 99) }]));
  return { ...cart, lines, idempotencyKey: newKey() };
}

/**
 * The cart after a placement attempt failed. The server remembers a refusal (4xx) under its key and answers it
 * again to the same key, so a refused cart draws a new key for the next try; after a lost answer (network error,
 * 5xx) the key stays, so trying again cannot place the order twice.
 */
export function afterFailedPlacement(cart: Cart, status: number): Cart {
  return status >= 400 && status < 500 ? { ...cart, idempotencyKey: newKey() } : cart;
}

/** The cart as the place-order body's `items`. */
export const orderItems = (cart: Cart): PlaceOrderLine[] =>
  cart.lines.map((l) => ({ itemId: l.entryId, quantity: l.quantity, ...(l.optionIds.length === 0 ? {} : { options: [...l.optionIds] }) }));

/** What is wrong with a choice of options for an item, group by group; empty when it can be added. */
export function optionProblems(item: MenuItem, chosen: readonly string[]): string[] {
  return item.optionGroups.flatMap((group) => {
    const picked = group.options.filter((o) => chosen.includes(o.id));
    if (picked.some((o) => !o.available)) return [`${group.name}: ${picked.filter((o) => !o.available).map((o) => o.name).join(", ")} is unavailable`];
    if (picked.length < group.min) return [`${group.name}: choose ${group.min === group.max ? group.min : `at least ${group.min}`}`];
    if (picked.length > group.max) return [`${group.name}: at most ${group.max}`];
    return [];
  });
}

const itemsOf = (menu: Menu): MenuItem[] => menu.categories.flatMap((c) => c.items);

function comboPrice(menu: Menu, combo: Combo): number {
  if (combo.pricing.kind === "fixed") return combo.pricing.price.amount;
  const parts = combo.itemIds.reduce((sum, id) => sum + (itemsOf(menu).find((i) => i.id === id)?.price.amount ?? 0), 0);
  return Math.max(parts - combo.pricing.off.amount, 0);
}

/** One unit of an entry at menu prices, or null when the menu no longer has it. */
export function unitEstimate(menu: Menu, entryId: string, optionIds: readonly string[]): number | null {
  const combo = menu.combos.find((c) => c.id === entryId);
  if (combo !== undefined) return comboPrice(menu, combo);
  const item = itemsOf(menu).find((i) => i.id === entryId);
  if (item === undefined) return null;
  const options = item.optionGroups.flatMap((g) => g.options).filter((o) => optionIds.includes(o.id));
  return item.price.amount + options.reduce((sum, o) => sum + o.priceDelta.amount, 0);
}

/**
 * The cart's total at the prices of the menu on screen. It is only an estimate: the server prices the order
 * when it is placed (the menu may have a newer version), and the console shows the server's total from then on.
 */
export function estimate(cart: Cart, menu: Menu): Money {
  const amount = cart.lines.reduce((sum, l) => sum + (unitEstimate(menu, l.entryId, l.optionIds) ?? 0) * l.quantity, 0);
  return { amount, currency: menu.currency };
}

/** Money as people read it: 12.50 EUR -> "€12.50". */
export function formatMoney(money: Money): string {
  try {
    return new Intl.NumberFormat("en-GB", { style: "currency", currency: money.currency }).format(money.amount / 100);
  } catch {
    return `${(money.amount / 100).toFixed(2)} ${money.currency}`;
  }
}
