import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Menu, MenuItem, OptionGroup } from "./api-types.js";
import { seededRandom } from "./config.js";
import { chooseOptions, chooseOrder, orderableItems, satisfiesGroups } from "./menu-selection.js";

const eur = (amount: number) => ({ amount, currency: "EUR" });

/** Option groups with 0..4 options and any min <= max, including max above the number of options. */
const group: fc.Arbitrary<OptionGroup> = fc
  .record({ id: fc.uuid(), count: fc.integer({ min: 0, max: 4 }), min: fc.integer({ min: 0, max: 3 }), extra: fc.integer({ min: 0, max: 3 }) })
  .map(({ id, count, min, extra }) => ({
    id,
    name: id,
    min,
    max: min + extra,
    options: Array.from({ length: count }, (_, i) => ({ id: `${id}-o${i}`, name: `o${i}`, priceDelta: eur(50 * i) })),
  }));

const item: fc.Arbitrary<MenuItem> = fc
  .record({ id: fc.uuid(), available: fc.boolean(), groups: fc.array(group, { maxLength: 3 }) })
  .map(({ id, available, groups }) => ({ id, name: id, price: eur(900), available, optionGroups: groups }));

const menuOf = (items: MenuItem[]): Menu => ({ restaurantId: "r", currency: "EUR", categories: [{ id: "c", name: "C", items }] });

describe("chooseOrder", () => {
  it("orders only available items, each with options that satisfy every group's min and max", () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 6 }), fc.integer(), (items, seed) => {
        const menu = menuOf(items);
        const order = chooseOrder(menu, seededRandom(seed));
        if (orderableItems(menu).length === 0) {
          expect(order).toBeNull();
          return;
        }
        expect(order).not.toBeNull();
        expect(order!.length).toBeGreaterThanOrEqual(1);
        expect(new Set(order!.map((line) => line.itemId)).size).toBe(order!.length);
        for (const line of order!) {
          const chosen = items.find((i) => i.id === line.itemId)!;
          expect(chosen.available).toBe(true);
          expect(line.quantity).toBeGreaterThanOrEqual(1);
          expect(satisfiesGroups(chosen, line.options ?? [])).toBe(true);
        }
      }),
    );
  });

  it("never orders an item whose required options cannot be met", () => {
    const impossible: MenuItem = {
      id: "x",
      name: "X",
      price: eur(100),
      available: true,
      optionGroups: [{ id: "g", name: "G", min: 2, max: 2, options: [{ id: "only", name: "Only", priceDelta: eur(0) }] }],
    };
    expect(chooseOrder(menuOf([impossible]), Math.random)).toBeNull();
  });
});

describe("chooseOptions", () => {
  it("picks exactly one of a required single choice, and none of an empty group", () => {
    const size: OptionGroup = { id: "size", name: "Size", min: 1, max: 1, options: [{ id: "s", name: "S", priceDelta: eur(0) }, { id: "l", name: "L", priceDelta: eur(300) }] };
    for (let seed = 0; seed < 20; seed += 1) expect(chooseOptions(size, seededRandom(seed))).toHaveLength(1);
    expect(chooseOptions({ ...size, min: 0, options: [] }, Math.random)).toEqual([]);
  });
});
