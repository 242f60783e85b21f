import { describe, expect, it } from "vitest";
import type { MenuDocument, MenuItemDocument } from "./menu.js";
import { MenuErrorCode } from "./menu.errors.js";
import { buildMenu } from "./menu-pricing.js";
import { type ItemStock, applyStock } from "./menu-stock.js";
import { money } from "./money.js";

const eur = (amount: number) => money(amount, "EUR");
const option = (id: string, delta = 0) => ({ id, name: id, priceDelta: eur(delta) });

const burger: MenuItemDocument = {
  id: "burger",
  name: "Burger",
  price: eur(900),
  available: true,
  optionGroups: [
    { id: "bun", name: "Bun", min: 1, max: 1, options: [option("brioche"), option("gluten-free", 100)] },
    { id: "extras", name: "Extras", min: 0, max: 2, options: [option("cheese", 100), option("bacon", 150)] },
  ],
};
const doc: MenuDocument = { restaurantId: "r1", currency: "EUR", categories: [{ id: "mains", name: "Mains", items: [burger] }], combos: [] };
const stock = (unavailableOptions: string[]): ItemStock[] => [{ itemId: "burger", available: true, portionsLeft: null, unavailableOptions }];
const optionsOf = (served: MenuDocument) => served.categories[0]!.items[0]!.optionGroups.flatMap((g) => g.options.map((o) => [o.id, o.available]));

describe("an option switched off by staff", () => {
  it("is served as unavailable and refused with MENU_OPTION_UNAVAILABLE, while the rest of the item still prices", () => {
    const served = applyStock(doc, stock(["bacon"]));
    expect(optionsOf(served)).toEqual([
      ["brioche", true],
      ["gluten-free", true],
      ["cheese", true],
      ["bacon", false],
    ]);
    const menu = buildMenu(served);
    expect(menu.price([{ itemId: "burger", quantity: 1, options: ["brioche", "bacon"] }])).toMatchObject({
      ok: false,
      error: { code: MenuErrorCode.OptionUnavailable, details: { line: 0, itemId: "burger", optionId: "bacon" } },
    });
    expect(menu.price([{ itemId: "burger", quantity: 2, options: ["brioche", "cheese"] }])).toMatchObject({ ok: true, value: { total: eur(2000) } });
  });

  it("makes the item unavailable when a required choice has too few options left", () => {
    const served = applyStock(doc, stock(["brioche", "gluten-free"]));
    expect(served.categories[0]!.items[0]).toMatchObject({ available: false, soldOut: false });
    expect(buildMenu(served).price([{ itemId: "burger", quantity: 1, options: ["brioche"] }])).toMatchObject({
      ok: false,
      error: { code: MenuErrorCode.ItemUnavailable },
    });
  });

  it("takes the published document's switch when the entry has no stock yet", () => {
    const published: MenuDocument = {
      ...doc,
      categories: [{ id: "mains", name: "Mains", items: [{ ...burger, optionGroups: [burger.optionGroups[0]!, { ...burger.optionGroups[1]!, options: [option("cheese", 100), { ...option("bacon", 150), available: false }] }] }] }],
    };
    expect(optionsOf(applyStock(published, []))).toContainEqual(["bacon", false]);
    expect(optionsOf(applyStock(published, stock([])))).toContainEqual(["bacon", true]);
  });
});
