import { describe, expect, it } from "vitest";
import type { ComboDocument, MenuDocument, MenuItemDocument, OptionGroupDocument } from "./menu.js";
import { MenuErrorCode, MenuInvalidError } from "./menu.errors.js";
import { buildMenu } from "./menu-pricing.js";
import { money } from "./money.js";

const eur = (amount: number) => money(amount, "EUR");

const group = (id: string, min: number, max: number, options: [string, number][]): OptionGroupDocument => ({
  id,
  name: id,
  min,
  max,
  options: options.map(([optionId, delta]) => ({ id: optionId, name: optionId, priceDelta: eur(delta) })),
});

const item = (id: string, price: number, optionGroups: OptionGroupDocument[] = [], available = true): MenuItemDocument => ({
  id,
  name: `The ${id}`,
  price: eur(price),
  available,
  optionGroups,
});

const combo = (id: string, itemIds: string[], pricing: ComboDocument["pricing"], available = true): ComboDocument => ({
  id,
  name: `Combo ${id}`,
  itemIds,
  available,
  pricing,
});

const burger = item("burger", 900, [
  group("size", 1, 1, [["regular", 0], ["large", 200]]),
  group("extras", 0, 2, [["cheese", 100], ["bacon", 150], ["pickles", 30]]),
]);

const doc = (overrides: Partial<MenuDocument> = {}): MenuDocument => ({
  restaurantId: "r1",
  currency: "EUR",
  categories: [
    { id: "mains", name: "Mains", items: [burger, item("salad", 700, [group("trim", 0, 1, [["no-croutons", -50]])])] },
    { id: "sides", name: "Sides", items: [item("fries", 350), item("cola", 250), item("shake", 400, [], false)] },
  ],
  combos: [
    combo("snack", ["fries", "cola"], { kind: "fixed", price: eur(500) }),
    combo("lunch", ["salad", "fries", "cola"], { kind: "discount", off: eur(200) }),
    combo("retired", ["fries", "cola"], { kind: "fixed", price: eur(450) }, false),
    combo("shake-deal", ["fries", "shake"], { kind: "fixed", price: eur(600) }),
  ],
  ...overrides,
});

const menu = buildMenu(doc());

describe("pricing a cart", () => {
  it("prices an item with its options, in menu order, times the quantity", () => {
    const result = menu.price([{ itemId: "burger", quantity: 2, options: ["bacon", "large", "cheese"] }]);
    expect(result).toEqual({
      ok: true,
      value: {
        lines: [
          {
            itemId: "burger",
            name: "The burger",
            quantity: 2,
            options: [
              { id: "large", name: "large", priceDelta: eur(200) },
              { id: "cheese", name: "cheese", priceDelta: eur(100) },
              { id: "bacon", name: "bacon", priceDelta: eur(150) },
            ],
            unitPrice: eur(1350),
            lineTotal: eur(2700),
          },
        ],
        total: eur(2700),
      },
    });
  });

  it("applies a negative option delta", () => {
    const result = menu.price([{ itemId: "salad", quantity: 1, options: ["no-croutons"] }]);
    expect(result.ok && result.value.total).toEqual(eur(650));
  });

  it("prices combos at their fixed price or their items' base prices less the discount", () => {
    const result = menu.price([
      { itemId: "snack", quantity: 3 },
      { itemId: "lunch", quantity: 1, options: [] },
    ]);
    expect(result.ok && result.value.lines.map((l) => [l.itemId, l.unitPrice.amount, l.lineTotal.amount])).toEqual([
      ["snack", 500, 1500],
      ["lunch", 1100, 1100],
    ]);
    expect(result.ok && result.value.total).toEqual(eur(2600));
  });

  it("keeps one line per cart line, in cart order, and totals them", () => {
    const result = menu.price([
      { itemId: "fries", quantity: 1 },
      { itemId: "burger", quantity: 1, options: ["regular"] },
      { itemId: "fries", quantity: 99 },
    ]);
    expect(result.ok && result.value.lines.map((l) => l.lineTotal.amount)).toEqual([350, 900, 34650]);
    expect(result.ok && result.value.total).toEqual(eur(35900));
  });

  it("refuses an empty cart", () => {
    expect(menu.price([])).toMatchObject({ ok: false, error: { code: MenuErrorCode.CartEmpty } });
  });

  it.each([0, -1, 100, 1.5, Number.NaN])("refuses quantity %s", (quantity) => {
    expect(menu.price([{ itemId: "fries", quantity }])).toMatchObject({
      ok: false,
      error: { code: MenuErrorCode.QuantityOutOfRange, details: { line: 0, itemId: "fries", min: 1, max: 99 } },
    });
  });

  it.each(["pizza", "mains", "cheese", "constructor"])("refuses the unknown id %s", (itemId) => {
    expect(menu.price([{ itemId, quantity: 1 }])).toMatchObject({
      ok: false,
      error: { code: MenuErrorCode.ItemUnknown, details: { itemId } },
    });
  });

  it.each([
    ["shake", "shake"],
    ["retired", "retired"],
    ["shake-deal", "shake"],
  ])("refuses %s while %s is unavailable", (itemId, unavailableItemId) => {
    expect(menu.price([{ itemId, quantity: 1 }])).toMatchObject({
      ok: false,
      error: { code: MenuErrorCode.ItemUnavailable, details: { itemId, unavailableItemId } },
    });
  });

  it.each([
    ["an option of another item", "burger", ["regular", "no-croutons"], "no-croutons"],
    ["a repeated option", "burger", ["regular", "cheese", "cheese"], "cheese"],
    ["a group id instead of an option", "burger", ["size"], "size"],
    ["any option on a combo", "snack", ["cheese"], "cheese"],
  ])("refuses %s with MENU_OPTION_INVALID", (_, itemId, options, optionId) => {
    expect(menu.price([{ itemId, quantity: 1, options }])).toMatchObject({
      ok: false,
      error: { code: MenuErrorCode.OptionInvalid, details: { itemId, optionId } },
    });
  });

  it.each([
    ["too few in a required group", [], "size", 0],
    ["two sizes", ["regular", "large"], "size", 2],
    ["three extras past max 2", ["regular", "cheese", "bacon", "pickles"], "extras", 3],
  ])("refuses %s with MENU_SELECTION_OUT_OF_RANGE", (_, options, groupId, selected) => {
    expect(menu.price([{ itemId: "burger", quantity: 1, options }])).toMatchObject({
      ok: false,
      error: { code: MenuErrorCode.SelectionOutOfRange, details: { itemId: "burger", groupId, selected } },
    });
  });

  it("reports the first failing line by index", () => {
    const result = menu.price([
      { itemId: "fries", quantity: 1 },
      { itemId: "burger", quantity: 1 },
      { itemId: "pizza", quantity: 1 },
    ]);
    expect(result).toMatchObject({ ok: false, error: { code: MenuErrorCode.SelectionOutOfRange, details: { line: 1 } } });
  });
});

function invalid(build: () => unknown): { code: string; details: unknown } | undefined {
  try {
    build();
  } catch (e) {
    if (e instanceof MenuInvalidError) return { code: e.code, details: e.details };
    throw e;
  }
  return undefined;
}

describe("building a menu", () => {
  const withItems = (...items: MenuItemDocument[]) => doc({ categories: [{ id: "c", name: "c", items }], combos: [] });

  it("exposes its entries with their base price", () => {
    expect(menu.entry("lunch")?.basePrice).toEqual(eur(1100));
    expect(menu.entry("burger")?.basePrice).toEqual(eur(900));
    expect(menu.entry("nope")).toBeUndefined();
  });

  it.each<[string, () => MenuDocument, Record<string, unknown>]>([
    ["a repeated item id", () => withItems(item("a", 1), item("a", 2)), { kind: "item", id: "a" }],
    ["an item id reused across categories", () => doc({ categories: [...doc().categories, { id: "x", name: "x", items: [item("fries", 1)] }] }), { id: "fries" }],
    ["a combo id equal to an item id", () => doc({ combos: [combo("fries", ["cola"], { kind: "fixed", price: eur(1) })] }), { kind: "combo", id: "fries" }],
    ["a repeated category id", () => doc({ categories: [doc().categories[0]!, { id: "mains", name: "again", items: [] }] }), { kind: "category" }],
    ["a repeated group", () => withItems(item("a", 1, [group("g", 0, 1, [["x", 0]]), group("g", 0, 1, [["y", 0]])])), { groupId: "g" }],
    ["a repeated option within an item", () => withItems(item("a", 1, [group("g", 0, 1, [["x", 0]]), group("h", 0, 1, [["x", 0]])])), { optionId: "x" }],
    ["min above max", () => withItems(item("a", 1, [group("g", 2, 1, [["x", 0], ["y", 0]])])), { groupId: "g" }],
    ["a negative min", () => withItems(item("a", 1, [group("g", -1, 1, [["x", 0]])])), { groupId: "g" }],
    ["min above the number of options", () => withItems(item("a", 1, [group("g", 2, 2, [["x", 0]])])), { groupId: "g" }],
    ["a negative price", () => withItems(item("a", -1)), { where: "price of a" }],
    ["a fractional price (as JSON may carry)", () => withItems({ ...item("a", 1), price: { amount: 1.5, currency: "EUR" } }), { where: "price of a" }],
    ["a price in another currency", () => withItems({ ...item("a", 1), price: money(1, "USD") }), { where: "price of a" }],
    ["a delta in another currency", () => withItems(item("a", 100, [{ ...group("g", 0, 1, []), options: [{ id: "x", name: "x", priceDelta: money(1, "USD") }] }])), {}],
    ["discounting options that price below zero", () => withItems(item("a", 100, [group("g", 1, 2, [["x", -60], ["y", -50], ["z", 10]])])), { itemId: "a" }],
    ["a malformed menu currency", () => doc({ currency: "euro" }), { currency: "euro" }],
    ["a combo of an unknown item", () => doc({ combos: [combo("k", ["fries", "pizza"], { kind: "fixed", price: eur(1) })] }), { itemId: "pizza" }],
    ["a combo of no items", () => doc({ combos: [combo("k", [], { kind: "fixed", price: eur(1) })] }), { comboId: "k" }],
    ["a combo discount above its items' sum", () => doc({ combos: [combo("k", ["fries", "cola"], { kind: "discount", off: eur(601) })] }), { comboId: "k" }],
    ["a negative combo discount", () => doc({ combos: [combo("k", ["fries"], { kind: "discount", off: eur(-1) })] }), {}],
    ["a combo with an item that requires a choice", () => doc({ combos: [combo("k", ["burger"], { kind: "fixed", price: eur(1) })] }), { itemId: "burger" }],
  ])("refuses %s with MENU_INVALID", (_, make, details) => {
    expect(invalid(() => buildMenu(make()))).toEqual({ code: MenuErrorCode.Invalid, details: expect.objectContaining(details) });
  });

  it("accepts a discount equal to the sum, pricing the combo at zero", () => {
    const free = buildMenu(doc({ combos: [combo("k", ["fries", "cola"], { kind: "discount", off: eur(600) })] }));
    expect(free.price([{ itemId: "k", quantity: 2 }])).toMatchObject({ ok: true, value: { total: eur(0) } });
  });
});
