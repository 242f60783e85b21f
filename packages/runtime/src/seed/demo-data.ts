import { ALWAYS_OPEN, type MenuDocument, type NewRestaurant, type Principal, type Tiffin, type Vehicle, money } from "@tiffin/core";

const eur = (amount: number) => money(amount, "EUR");

/** The demo city centre (Berlin Mitte); every demo restaurant and courier is within 5 km of it. */
export const DEMO_CENTRE = { lat: 52.52, lng: 13.405 } as const;

/** Demo restaurants keep Berlin time and never close, so the demo works at any hour. */
const inBerlin = { city: "berlin", timeZone: "Europe/Berlin", hours: ALWAYS_OPEN, prepMinutes: 15 } as const;

const restaurants: readonly { restaurant: NewRestaurant & { id: string }; menu: MenuDocument }[] = [
  {
    restaurant: { ...inBerlin, id: "r-curry-house", name: "Curry House Mitte", cuisine: "indian", location: { lat: 52.5232, lng: 13.4115 } },
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
    restaurant: { ...inBerlin, id: "r-pizza-nova", name: "Pizza Nova", cuisine: "italian", location: { lat: 52.5145, lng: 13.3945 } },
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
    restaurant: { ...inBerlin, id: "r-sushi-ko", name: "Sushi Ko", cuisine: "japanese", location: { lat: 52.5301, lng: 13.3988 } },
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

const couriers: readonly { id: string; name: string; vehicle: Vehicle; ratePerKm: ReturnType<typeof eur>; position: { lat: number; lng: number } }[] = [
  { id: "c-anna", name: "Anna", vehicle: "bicycle", ratePerKm: eur(120), position: { lat: 52.521, lng: 13.407 } },
  { id: "c-ben", name: "Ben", vehicle: "scooter", ratePerKm: eur(150), position: { lat: 52.517, lng: 13.4 } },
  { id: "c-chen", name: "Chen", vehicle: "bicycle", ratePerKm: eur(100), position: { lat: 52.526, lng: 13.41 } },
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

/** Who seeds: an admin, through the same use cases as `POST /admin/restaurants` and `PUT .../menu`. */
const SEEDER: Principal = { role: "admin", id: "tiffin-seed" };

/** What a seed run did, for the CLI to print. */
export interface SeedReport {
  readonly restaurantsCreated: number;
  readonly menusPublished: number;
  readonly couriers: number;
}

function check<T>(what: string, answer: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!answer.ok) throw new Error(`seeding ${what} failed: ${answer.error.code} ${answer.error.message}`);
  return answer.value;
}

/**
 * Loads the demo catalog through the application's use cases, so it obeys every rule the API does. Idempotent:
 * an existing restaurant gets the demo profile again, a menu is published only where none is (a second run
 * publishes no new version), and demo couriers rejoin and go on shift at their demo positions.
 */
export async function seedDemoData(tiffin: Tiffin): Promise<SeedReport> {
  let restaurantsCreated = 0;
  let menusPublished = 0;
  for (const { restaurant, menu } of restaurants) {
    const created = await tiffin.send(SEEDER, { type: "CreateRestaurant", restaurant });
    if (created.ok) restaurantsCreated += 1;
    else if (created.error.code === "RESTAURANT_ALREADY_EXISTS") {
      const { id, ...change } = restaurant;
      check(`restaurant ${id}`, await tiffin.send(SEEDER, { type: "UpdateRestaurant", restaurantId: id, change }));
    } else check(`restaurant ${restaurant.id}`, created);
    const current = await tiffin.ask(SEEDER, { type: "Menu", restaurantId: restaurant.id });
    if (!current.ok) {
      check(`menu of ${restaurant.id}`, await tiffin.send(SEEDER, { type: "PublishMenu", restaurantId: restaurant.id, menu }));
      menusPublished += 1;
    }
  }
  for (const { id, position, ...profile } of couriers) {
    const courier: Principal = { role: "courier", id };
    check(`courier ${id}`, await tiffin.send(courier, { type: "JoinAsCourier", profile: { ...profile, city: "berlin" } }));
    check(`courier ${id}`, await tiffin.send(courier, { type: "UpdateCourierLocation", ...position }));
    check(`courier ${id}`, await tiffin.send(courier, { type: "SetCourierAvailability", available: true }));
  }
  return { restaurantsCreated, menusPublished, couriers: couriers.length };
}
