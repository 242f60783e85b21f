import { randomInt } from "node:crypto";
import type { LatLng } from "../../domain/geo.js";
import type { MenuDocument } from "../../domain/menu.js";
import { type Order, type OrderChange, type OrderLine, placeOrder } from "../../domain/order.js";
import { type SagaState, startSaga } from "../../domain/payment-saga.js";
import { DEFAULT_PAYOUT_POLICY, splitPayout } from "../../domain/payment-saga-split.js";
import type { DomainError, Result } from "../../domain/result.js";
import type { MessageMeta } from "../../messaging/cloud-event.js";
import { ALWAYS_OPEN } from "../../domain/opening-hours.js";
import type { RestaurantProfile } from "../../domain/restaurant.js";
import type { Courier } from "../../ports/couriers.js";
import type { OrderView } from "../../ports/read-models.js";
import type { UnitOfWork } from "../../ports/unit-of-work.js";
import { asSystem, uid } from "./harness.js";

/** Metadata for events written by tests. */
export const TEST_META: MessageMeta = { source: "tiffin/test", correlationId: "test-correlation" };

/** A point somewhere between 50°S and 50°N, so tests that search by position rarely see each other's rows. */
export const randomPoint = (): LatLng => ({
  lat: randomInt(-50_000, 50_000) / 1000,
  lng: randomInt(-170_000, 170_000) / 1000,
});

/** Roughly `km` north of `point` (one degree of latitude is ~111.2 km). */
export const northOf = (point: LatLng, km: number): LatLng => ({ lat: point.lat + km / 111.2, lng: point.lng });

/** A restaurant open around the clock (UTC), taking orders. */
export const sampleRestaurant = (overrides: Partial<RestaurantProfile> = {}): RestaurantProfile => ({
  id: uid("restaurant"),
  name: "Sample Noodle Bar",
  cuisine: "thai",
  city: "berlin",
  location: { lat: 52.52, lng: 13.405 },
  timeZone: "UTC",
  hours: ALWAYS_OPEN,
  prepMinutes: 15,
  closedNow: false,
  deliveryRadiusKm: 10,
  ...overrides,
});

/** One category with an item that has an option group, one unavailable item, and a discounted combo. */
export const sampleMenu = (restaurantId: string, currency = "EUR"): MenuDocument => ({
  restaurantId,
  currency,
  categories: [
    {
      id: "mains",
      name: "Mains",
      items: [
        {
          id: "pad-thai",
          name: "Pad Thai",
          price: { amount: 1250, currency },
          available: true,
          optionGroups: [
            {
              id: "spice",
              name: "Spice",
              min: 0,
              max: 1,
              options: [
                { id: "mild", name: "Mild", priceDelta: { amount: 0, currency } },
                { id: "hot", name: "Hot", priceDelta: { amount: 50, currency } },
              ],
            },
          ],
        },
        { id: "green-curry", name: "Green Curry", price: { amount: 1400, currency }, available: false, optionGroups: [] },
        { id: "spring-rolls", name: "Spring Rolls", price: { amount: 600, currency }, available: true, optionGroups: [] },
      ],
    },
  ],
  combos: [
    {
      id: "lunch",
      name: "Lunch",
      itemIds: ["pad-thai", "spring-rolls"],
      available: true,
      pricing: { kind: "discount", off: { amount: 200, currency } },
    },
  ],
});

export const sampleCourier = (overrides: Partial<Courier> = {}): Courier => ({
  id: uid("courier"),
  name: "Sam Rider",
  city: "berlin",
  vehicle: "bicycle",
  speedKmh: 15,
  ratePerKm: { amount: 120, currency: "EUR" },
  available: true,
  active: true,
  position: null,
  positionAt: null,
  ...overrides,
});

const sampleLines = (currency: string): OrderLine[] => [
  {
    itemId: "pad-thai",
    name: "Pad Thai",
    quantity: 2,
    options: [],
    unitPrice: { amount: 1250, currency },
    lineTotal: { amount: 2500, currency },
  },
];

/** A placed order (version 1) and its `order.placed` event. */
export function samplePlacement(overrides: { id?: string; customerId?: string; restaurantId?: string; at?: string } = {}): OrderChange {
  return placeOrder({
    id: overrides.id ?? uid("order"),
    customerId: overrides.customerId ?? uid("customer"),
    restaurantId: overrides.restaurantId ?? uid("restaurant"),
    lines: sampleLines("EUR"),
    total: { amount: 2500, currency: "EUR" },
    menuVersion: 1,
    deliveryAddress: { lat: 52.5, lng: 13.4, line1: "Sample Street 1" },
    at: overrides.at ?? new Date().toISOString(),
  });
}

/** The read model of `order` as a projection would first save it (revision 1). */
export const sampleView = (order: Order, overrides: Partial<OrderView> = {}): OrderView => ({
  id: order.id,
  status: order.status,
  restaurantId: order.restaurantId,
  customerId: order.customerId,
  courierId: order.courierId,
  lines: order.lines,
  total: order.total,
  menuVersion: order.menuVersion,
  paymentStatus: "pending",
  timeline: [{ status: order.status, at: order.placedAt }],
  courierPosition: null,
  version: order.version,
  revision: 1,
  applied: [`${order.id}:${order.version}:0`],
  placedAt: order.placedAt,
  updatedAt: order.updatedAt,
  ...overrides,
});

/** The payment saga of `order` as it starts (version 1, charge in flight). */
export const sampleSaga = (order: Order, overrides: Partial<SagaState> = {}): SagaState => ({
  ...startSaga({
    type: "order.placed",
    orderId: order.id,
    customerId: order.customerId,
    restaurantId: order.restaurantId,
    amount: order.total,
    payouts: splitPayout(order.total, DEFAULT_PAYOUT_POLICY),
    at: order.placedAt,
    messageId: `${order.id}:1:0`,
  }),
  version: 1,
  ...overrides,
});

/** Saves a restaurant and publishes the sample menu (as system, version 1 for a new one); returns the restaurant. */
export async function seedRestaurant(
  uow: UnitOfWork,
  overrides: Partial<RestaurantProfile> = {},
  menu: (restaurantId: string) => MenuDocument = sampleMenu,
): Promise<RestaurantProfile> {
  const restaurant = sampleRestaurant(overrides);
  await asSystem(uow, async (tx) => {
    await tx.catalog.saveRestaurant(restaurant);
    await tx.catalog.publishMenu(restaurant.id, menu(restaurant.id), new Date().toISOString());
  });
  return restaurant;
}

/** Saves a courier (as system) and returns it. */
export async function seedCourier(uow: UnitOfWork, overrides: Partial<Courier> = {}): Promise<Courier> {
  const courier = sampleCourier(overrides);
  await asSystem(uow, (tx) => tx.couriers.upsert(courier));
  return courier;
}

/** Creates a placed order (as system), first creating its restaurant unless `restaurantId` names one. */
export async function seedOrder(
  uow: UnitOfWork,
  options: { restaurantId?: string; customerId?: string; at?: string } = {},
): Promise<Order> {
  const restaurantId = options.restaurantId ?? (await seedRestaurant(uow)).id;
  const change = samplePlacement({ ...options, restaurantId });
  await asSystem(uow, (tx) => tx.orders.create(change, TEST_META));
  return change.order;
}

/** Applies transitions to an order one update at a time (as system); throws if one is refused. */
export async function advanceOrder(
  uow: UnitOfWork,
  orderId: string,
  ...steps: ((order: Order) => Result<OrderChange, DomainError>)[]
): Promise<Order> {
  let order: Order | undefined;
  for (const step of steps) {
    const result = await asSystem(uow, (tx) => tx.orders.update(orderId, step, TEST_META));
    if (!result.ok) throw new Error(`cannot advance order ${orderId}: ${result.error.code}`);
    order = result.value;
  }
  if (!order) throw new Error("advanceOrder needs at least one step");
  return order;
}
