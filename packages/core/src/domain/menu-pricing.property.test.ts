import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CartLine, ComboDocument, MenuDocument, MenuItemDocument } from "./menu.js";
import { MenuErrorCode } from "./menu.errors.js";
import { buildMenu } from "./menu-pricing.js";
import { money } from "./money.js";

const eur = (amount: number) => money(amount, "EUR");

const groupShape = fc
  .array(fc.integer({ min: -300, max: 500 }), { minLength: 1, maxLength: 4 })
  .chain((deltas) =>
    fc
      .integer({ min: 0, max: deltas.length })
      .chain((min) => fc.integer({ min, max: deltas.length }).map((max) => ({ deltas, min, max }))),
  );
const mostlyAvailable = fc.integer({ min: 0, max: 9 }).map((n) => n > 0);
const itemShape = fc.record({ base: fc.nat(5000), available: mostlyAvailable, groups: fc.array(groupShape, { maxLength: 3 }) });
const comboShape = fc.record({
  picks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
  available: mostlyAvailable,
  pricing: fc.oneof(
    fc.record({ kind: fc.constant("fixed" as const), amount: fc.nat(5000) }),
    fc.record({ kind: fc.constant("discount" as const), basisPoints: fc.integer({ min: 0, max: 10_000 }) }),
  ),
});

type GroupShape = { deltas: number[]; min: number; max: number };

function itemDocument(id: string, base: number, groups: readonly GroupShape[], available: boolean): MenuItemDocument {
  return {
    id,
    name: id,
    price: eur(base),
    available,
    optionGroups: groups.map((g, gi) => ({
      id: `${id}-g${gi}`,
      name: `group ${gi}`,
      min: g.min,
      max: g.max,
      options: g.deltas.map((d, oi) => ({ id: `${id}-g${gi}-o${oi}`, name: `option ${oi}`, priceDelta: eur(d) })),
    })),
  };
}

/** A random valid menu: ids unique by construction, base prices lifted so no discounting option can go below zero. */
const menuDocument: fc.Arbitrary<MenuDocument> = fc
  .record({
    categories: fc.array(fc.array(itemShape, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }),
    combos: fc.array(comboShape, { maxLength: 3 }),
  })
  .map(({ categories, combos }) => {
    const categoryDocs = categories.map((items, c) => ({
      id: `cat-${c}`,
      name: `Category ${c}`,
      items: items.map((shape, i) => {
        const discounts = shape.groups.flatMap((g) => g.deltas).reduce((total, d) => total + Math.min(d, 0), 0);
        return itemDocument(`item-${c}-${i}`, shape.base - discounts, shape.groups, shape.available);
      }),
    }));
    const comboable = categoryDocs.flatMap((c) => c.items).filter((item) => item.optionGroups.every((g) => g.min === 0));
    const comboDocs = comboable.length === 0 ? [] : combos.map((shape, k): ComboDocument => {
      const parts = shape.picks.map((p) => comboable[p % comboable.length]!);
      const whole = parts.reduce((total, part) => total + part.price.amount, 0);
      return {
        id: `combo-${k}`,
        name: `combo ${k}`,
        itemIds: parts.map((p) => p.id),
        available: shape.available,
        pricing:
          shape.pricing.kind === "fixed"
            ? { kind: "fixed", price: eur(shape.pricing.amount) }
            : { kind: "discount", off: eur(Math.floor((whole * shape.pricing.basisPoints) / 10_000)) },
      };
    });
    return { restaurantId: "r", currency: "EUR", categories: categoryDocs, combos: comboDocs };
  });

const itemsOf = (doc: MenuDocument) => doc.categories.flatMap((c) => c.items);

/** The unit price written out from the document alone, as the customer would add it up. */
function expectedUnit(doc: MenuDocument, line: CartLine): number {
  const items = new Map(itemsOf(doc).map((i) => [i.id, i]));
  const item = items.get(line.itemId);
  if (item) {
    const deltas = new Map(item.optionGroups.flatMap((g) => g.options).map((o) => [o.id, o.priceDelta.amount]));
    return (line.options ?? []).reduce((total, id) => total + deltas.get(id)!, item.price.amount);
  }
  const combo = doc.combos.find((c) => c.id === line.itemId)!;
  if (combo.pricing.kind === "fixed") return combo.pricing.price.amount;
  return combo.itemIds.reduce((total, id) => total + items.get(id)!.price.amount, 0) - combo.pricing.off.amount;
}

/** A line the menu must accept: an available entry, a quantity in range, a selection within every group's bounds. */
function validLine(doc: MenuDocument): fc.Arbitrary<CartLine> | null {
  const items = itemsOf(doc).filter((i) => i.available);
  const available = new Set(items.map((i) => i.id));
  const combos = doc.combos.filter((c) => c.available && c.itemIds.every((id) => available.has(id)));
  const quantity = fc.integer({ min: 1, max: 99 });
  const choices: fc.Arbitrary<CartLine>[] = [
    ...items.map((item) =>
      fc
        .tuple(quantity, ...item.optionGroups.map((g) => fc.subarray(g.options.map((o) => o.id), { minLength: g.min, maxLength: g.max })))
        .chain(([q, ...picked]) => {
          const all = picked.flat();
          return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }).map((options) => ({ itemId: item.id, quantity: q, options }));
        }),
    ),
    ...combos.map((combo) => quantity.map((q) => ({ itemId: combo.id, quantity: q }))),
  ];
  return choices.length === 0 ? null : fc.oneof(...choices);
}

const menuAndValidCart = menuDocument.chain((doc) => {
  const line = validLine(doc);
  return fc.tuple(fc.constant(doc), line === null ? fc.constant([]) : fc.array(line, { minLength: 1, maxLength: 6 }));
});

/** Any cart at all: mostly valid lines, mixed with unknown ids, stray options and quantities out of range. */
const menuAndAnyCart = menuDocument.chain((doc) => {
  const ids = [...itemsOf(doc).map((i) => i.id), ...doc.combos.map((c) => c.id), "ghost", "cat-0"];
  const optionIds = [...itemsOf(doc).flatMap((i) => i.optionGroups.flatMap((g) => g.options.map((o) => o.id))), "ghost-opt"];
  const stray: fc.Arbitrary<CartLine> = fc.record(
    {
      itemId: fc.constantFrom(...ids),
      quantity: fc.oneof(fc.integer({ min: -2, max: 102 }), fc.double()),
      options: fc.array(fc.constantFrom(...optionIds), { maxLength: 5 }),
    },
    { requiredKeys: ["itemId", "quantity"] },
  );
  const valid = validLine(doc);
  const line = valid === null ? stray : fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: stray, weight: 1 });
  return fc.tuple(fc.constant(doc), fc.array(line, { maxLength: 4 }));
});

/** The cheapest selection of one group, by trying every subset of its options. */
function cheapestByBruteForce(group: GroupShape): number {
  let best = Infinity;
  for (let mask = 0; mask < 1 << group.deltas.length; mask++) {
    const picked = group.deltas.filter((_, i) => mask & (1 << i));
    if (picked.length >= group.min && picked.length <= group.max) best = Math.min(best, picked.reduce((a, b) => a + b, 0));
  }
  return best;
}

describe("menu pricing properties", () => {
  it("accepts an item exactly when no valid selection of its options prices it below zero", () => {
    const shape = fc.record({ base: fc.nat(1500), groups: fc.array(groupShape, { maxLength: 3 }) });
    fc.assert(
      fc.property(shape, ({ base, groups }) => {
        const lowest = groups.reduce((total, g) => total + cheapestByBruteForce(g), base);
        const item = itemDocument("i", base, groups, true);
        const doc: MenuDocument = { restaurantId: "r", currency: "EUR", combos: [], categories: [{ id: "c", name: "c", items: [item] }] };
        let code: unknown = null;
        try {
          buildMenu(doc);
        } catch (e) {
          code = (e as { code?: unknown }).code;
        }
        expect(code).toBe(lowest < 0 ? MenuErrorCode.Invalid : null);
      }),
      { numRuns: 500 },
    );
  });

  it("a priced cart equals the sum of its parts and is never negative", () => {
    fc.assert(
      fc.property(menuAndValidCart, ([doc, cart]) => {
        fc.pre(cart.length > 0);
        const result = buildMenu(doc).price(cart);
        if (!result.ok) throw new Error(`a valid cart was refused: ${JSON.stringify(result.error)}`);
        const { lines, total } = result.value;
        expect(lines.map((l) => [l.itemId, l.quantity])).toEqual(cart.map((l) => [l.itemId, l.quantity]));
        lines.forEach((line, i) => {
          expect(line.unitPrice).toEqual(eur(expectedUnit(doc, cart[i]!)));
          expect(line.lineTotal).toEqual(eur(line.unitPrice.amount * line.quantity));
          expect(line.lineTotal.amount).toBeGreaterThanOrEqual(0);
        });
        expect(total).toEqual(eur(lines.reduce((t, l) => t + l.lineTotal.amount, 0)));
        expect(total.amount).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  it("any cart either prices to a non-negative sum of its lines or fails with a pricing code, never a throw", () => {
    const codes: string[] = Object.values(MenuErrorCode).filter((c) => c !== MenuErrorCode.Invalid);
    fc.assert(
      fc.property(menuAndAnyCart, ([doc, cart]) => {
        const result = buildMenu(doc).price(cart);
        if (!result.ok) {
          expect(codes).toContain(result.error.code);
          return;
        }
        const sum = result.value.lines.reduce((t, l) => t + l.lineTotal.amount, 0);
        expect(result.value.total).toEqual(eur(sum));
        expect(result.value.lines.every((l) => l.lineTotal.amount >= 0 && l.quantity >= 1 && l.quantity <= 99)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
