import { type Courier, type MenuDocument, type Restaurant, SYSTEM_PRINCIPAL, type UnitOfWork, money } from "@tiffin/core";

const eur = (amount: number) => money(amount, "EUR");

/** The demo city centre (Berlin Mitte); every demo restaurant and courier is within 5 km of it. */
export const DEMO_CENTRE = { lat: 52.52, lng: 13.405 } as const;

const restaurants: readonly { restaurant: Restaurant; menu: MenuDocument }[] = [
  {
    restaurant: { id: "r-curry-house", name: "Curry House Mitte", cuisine: "indian", city: "berlin", location: { lat: 52.5232, lng: 13.4115 }, open: true },
    menu: {
      restaurantId: "r-curry-house",
      currency: "EUR",
      categories: [
        {
          id: "mains",
          name: "Mains",
          items: [
            {
              id: "butter-chicken",
              name: "Butter Chicken",
              price: eur(1250),
              available: true,
              optionGroups: [
                { id: "spice", name: "Spice level", min: 1, max: 1, options: [{ id: "mild", name: "Mild", priceDelta: eur(0) }, { id: "hot", name: "Hot", priceDelta: eur(0) }] },
                { id: "extras", name: "Extras", min: 0, max: 2, options: [{ id: "naan", name: "Garlic naan", priceDelta: eur(250) }, { id: "raita", name: "Raita", priceDelta: eur(150) }] },
              ],
            },
            { id: "dal", name: "Dal Tadka", price: eur(950), available: true, optionGroups: [] },
          ],
        },
        { id: "drinks", name: "Drinks", items: [{ id: "lassi", name: "Mango Lassi", price: eur(400), available: true, optionGroups: [] }] },
      ],
      combos: [{ id: "curry-combo", name: "Curry + Lassi", itemIds: ["dal", "lassi"], available: true, pricing: { kind: "discount", off: eur(150) } }],
    },
  },
  {
    restaurant: { id: "r-pizza-nova", name: "Pizza Nova", cuisine: "italian", city: "berlin", location: { lat: 52.5145, lng: 13.3945 }, open: true },
    menu: {
      restaurantId: "r-pizza-nova",
      currency: "EUR",
      categories: [
        {
          id: "pizza",
          name: "Pizza",
          items: [
            {
              id: "margherita",
              name: "Margherita",
              price: eur(900),
              available: true,
              optionGroups: [{ id: "size", name: "Size", min: 1, max: 1, options: [{ id: "small", name: "26 cm", priceDelta: eur(0) }, { id: "large", name: "32 cm", priceDelta: eur(300) }] }],
            },
            { id: "diavola", name: "Diavola", price: eur(1150), available: true, optionGroups: [] },
          ],
        },
        { id: "sides", name: "Sides", items: [{ id: "tiramisu", name: "Tiramisu", price: eur(550), available: true, optionGroups: [] }] },
      ],
      combos: [{ id: "pizza-night", name: "Diavola + Tiramisu", itemIds: ["diavola", "tiramisu"], available: true, pricing: { kind: "fixed", price: eur(1500) } }],
    },
  },
  {
    restaurant: { id: "r-sushi-ko", name: "Sushi Ko", cuisine: "japanese", city: "berlin", location: { lat: 52.5301, lng: 13.3988 }, open: true },
    menu: {
      restaurantId: "r-sushi-ko",
      currency: "EUR",
      categories: [
        {
          id: "rolls",
          name: "Rolls",
          items: [
            { id: "salmon-roll", name: "Salmon Roll (8)", price: eur(1080), available: true, optionGroups: [{ id: "sauce", name: "Sauce", min: 0, max: 1, options: [{ id: "spicy-mayo", name: "Spicy mayo", priceDelta: eur(80) }] }] },
            { id: "veggie-roll", name: "Veggie Roll (8)", price: eur(850), available: true, optionGroups: [] },
          ],
        },
      ],
      combos: [],
    },
  },
];

const couriers: readonly Courier[] = [
  { id: "c-anna", name: "Anna", city: "berlin", speedKmh: 18, ratePerKm: eur(120), available: true, position: { lat: 52.521, lng: 13.407 }, positionAt: null },
  { id: "c-ben", name: "Ben", city: "berlin", speedKmh: 25, ratePerKm: eur(150), available: true, position: { lat: 52.517, lng: 13.4 }, positionAt: null },
  { id: "c-chen", name: "Chen", city: "berlin", speedKmh: 15, ratePerKm: eur(100), available: true, position: { lat: 52.526, lng: 13.41 }, positionAt: null },
];

/** Ids a newcomer uses in the printed curl lines. */
export const DEMO_IDS = {
  restaurant: "r-curry-house",
  item: "butter-chicken",
  options: ["hot", "naan"],
  customer: "cust-demo",
  courier: "c-anna",
  couriers: couriers.map((c) => c.id),
  restaurants: restaurants.map((r) => r.restaurant.id),
} as const;

/** Seeds demo restaurants (composite menus) and couriers; idempotent (upserts). */
export async function seedDemoData(uow: UnitOfWork, at: Date = new Date()): Promise<void> {
  await uow.run(SYSTEM_PRINCIPAL, async (tx) => {
    for (const { restaurant, menu } of restaurants) await tx.catalog.upsert(restaurant, menu);
    for (const courier of couriers) await tx.couriers.upsert({ ...courier, positionAt: at.toISOString() });
  });
}
