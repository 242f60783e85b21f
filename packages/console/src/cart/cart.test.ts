import { describe, expect, it } from "vitest";
import type { Menu } from "../api/types.js";
import { addToCart, afterFailedPlacement, emptyCart, estimate, formatMoney, optionProblems, orderItems, setQuantity } from "./cart.js";

const eur = (amount: number) => ({ amount, currency: "EUR" });
const MENU: Menu = {
  restaurantId: "r-1",
  version: 3,
  currency: "EUR",
  categories: [
    {
      id: "mains",
      name: "Mains",
      items: [
        {
          id: "curry",
          name: "Curry",
          price: eur(1250),
          available: true,
          soldOut: false,
          optionGroups: [
            { id: "spice", name: "Spice", min: 1, max: 1, options: [{ id: "mild", name: "Mild", priceDelta: eur(0), available: true }, { id: "hot", name: "Hot", priceDelta: eur(0), available: false }] },
            { id: "extras", name: "Extras", min: 0, max: 2, options: [{ id: "naan", name: "Naan", priceDelta: eur(250), available: true }, { id: "raita", name: "Raita", priceDelta: eur(150), available: true }, { id: "rice", name: "Rice", priceDelta: eur(200), available: true }] },
          ],
        },
        { id: "dal", name: "Dal", price: eur(950), available: true, soldOut: false, optionGroups: [] },
        { id: "lassi", name: "Lassi", price: eur(400), available: true, soldOut: false, optionGroups: [] },
      ],
    },
  ],
  combos: [
    { id: "deal", name: "Dal + Lassi", itemIds: ["dal", "lassi"], available: true, soldOut: false, pricing: { kind: "discount", off: eur(150) } },
    { id: "fixed", name: "Fixed", itemIds: ["dal"], available: true, soldOut: false, pricing: { kind: "fixed", price: eur(700) } },
  ],
};
const curry = (optionIds: string[]) => ({ entryId: "curry", name: "Curry", optionIds, optionNames: [] });

describe("the cart", () => {
  it("merges identical lines (options in any order) and keeps different choices apart", () => {
    let cart = emptyCart("r-1", 3);
    cart = addToCart(cart, curry(["mild", "naan"]));
    cart = addToCart(cart, curry(["naan", "mild"]));
    cart = addToCart(cart, curry(["mild"]));
    cart = addToCart(cart, { entryId: "deal", name: "Dal + Lassi", optionIds: [], optionNames: [] });
    expect(orderItems(cart)).toEqual([
      { itemId: "curry", quantity: 2, options: ["mild", "naan"] },
      { itemId: "curry", quantity: 1, options: ["mild"] },
      { itemId: "deal", quantity: 1 },
    ]);
  });

  it("estimates items with option deltas and combos (discounted and fixed) at the menu's prices", () => {
    let cart = addToCart(emptyCart("r-1", 3), curry(["mild", "naan"]), 2);
    cart = addToCart(cart, { entryId: "deal", name: "Dal + Lassi", optionIds: [], optionNames: [] });
    cart = addToCart(cart, { entryId: "fixed", name: "Fixed", optionIds: [], optionNames: [] });
    // 2 x (12.50 + 2.50) + (9.50 + 4.00 - 1.50) + 7.00
    expect(estimate(cart, MENU)).toEqual(eur(4900));
    expect(formatMoney(estimate(cart, MENU))).toBe("€49.00");
  });

  it("changes quantities within the API's bounds; zero removes the line", () => {
    let cart = addToCart(emptyCart("r-1", 3), curry(["mild"]), 120);
    expect(cart.lines[0]?.quantity).toBe(99);
    cart = setQuantity(cart, 0, 5);
    expect(cart.lines[0]?.quantity).toBe(5);
    expect(setQuantity(cart, 0, 0).lines).toEqual([]);
  });

  it("names what a choice of options breaks, group by group", () => {
    const item = MENU.categories[0]!.items[0]!;
    expect(optionProblems(item, [])).toEqual(["Spice: choose 1"]);
    expect(optionProblems(item, ["hot"])).toEqual(["Spice: Hot is unavailable"]);
    expect(optionProblems(item, ["mild", "naan", "raita", "rice"])).toEqual(["Extras: at most 2"]);
    expect(optionProblems(item, ["mild", "naan"])).toEqual([]);
  });
});

describe("the cart's idempotency key", () => {
  it("stays the same for a retry of the same cart after a lost answer, so the order is placed once", () => {
    const cart = addToCart(emptyCart("r-1", 3), curry(["mild"]));
    expect(afterFailedPlacement(cart, 0).idempotencyKey).toBe(cart.idempotencyKey);
    expect(afterFailedPlacement(cart, 503).idempotencyKey).toBe(cart.idempotencyKey);
  });

  it("is new after any change to the cart, and after a refusal the server would otherwise repeat", () => {
    const cart = addToCart(emptyCart("r-1", 3), curry(["mild"]));
    expect(setQuantity(cart, 0, 2).idempotencyKey).not.toBe(cart.idempotencyKey);
    expect(addToCart(cart, curry(["mild"])).idempotencyKey).not.toBe(cart.idempotencyKey);
    expect(afterFailedPlacement(cart, 409).idempotencyKey).not.toBe(cart.idempotencyKey);
  });
});
