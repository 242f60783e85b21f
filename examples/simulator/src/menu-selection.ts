import type { Menu, MenuItem, OptionGroup, OrderItem } from "./api-types.js";

/** A whole number in [min, max], drawn from `random` (0..1). */
export const randomInt = (random: () => number, min: number, max: number): number =>
  min + Math.min(max - min, Math.floor(random() * (max - min + 1)));

/** `count` distinct elements of `values`, in a random order. */
function pickDistinct<T>(values: readonly T[], count: number, random: () => number): T[] {
  const pool = [...values];
  const picked: T[] = [];
  while (picked.length < count && pool.length > 0) picked.push(pool.splice(randomInt(random, 0, pool.length - 1), 1)[0]!);
  return picked;
}

/** Options for one group: between `min` and `max` of them (capped by how many exist), never the same twice. */
export function chooseOptions(group: OptionGroup, random: () => number): string[] {
  const max = Math.min(group.max, group.options.length);
  const min = Math.min(group.min, max);
  return pickDistinct(group.options, randomInt(random, min, max), random).map((option) => option.id);
}

/** Whether `options` satisfy every group's min/max and name only options of the item (what the server checks). */
export function satisfiesGroups(item: MenuItem, options: readonly string[]): boolean {
  const known = new Set(item.optionGroups.flatMap((g) => g.options.map((o) => o.id)));
  if (options.some((id) => !known.has(id)) || new Set(options).size !== options.length) return false;
  return item.optionGroups.every((group) => {
    const chosen = group.options.filter((o) => options.includes(o.id)).length;
    return chosen >= group.min && chosen <= group.max;
  });
}

/** Items a customer can order: available ones whose required options can all be met. */
export function orderableItems(menu: Menu): MenuItem[] {
  return menu.categories
    .flatMap((category) => category.items)
    .filter((item) => item.available && item.optionGroups.every((g) => g.min <= Math.min(g.max, g.options.length)));
}

/**
 * What a hungry customer picks: one to `maxLines` different orderable items, one or two of each, with options that
 * respect every group's min/max. Null when nothing on the menu can be ordered.
 */
export function chooseOrder(menu: Menu, random: () => number, maxLines = 2): OrderItem[] | null {
  const items = orderableItems(menu);
  if (items.length === 0) return null;
  const chosen = pickDistinct(items, randomInt(random, 1, Math.min(maxLines, items.length)), random);
  return chosen.map((item) => {
    const options = item.optionGroups.flatMap((group) => chooseOptions(group, random));
    return { itemId: item.id, quantity: randomInt(random, 1, 2), ...(options.length > 0 ? { options } : {}) };
  });
}
