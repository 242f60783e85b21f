import { randomUUID } from "node:crypto";
import { ApiError, type TiffinApi } from "./api-client.js";
import type { Menu, OrderView, Page, Restaurant } from "./api-types.js";
import { chooseOrder, randomInt } from "./menu-selection.js";
import { pointNear } from "./route.js";
import { type TrackedOrder, formatMoney, isFinished, isSettled, observe } from "./tracked-order.js";
import { type World, sleep } from "./world.js";

/** After an order is finished, how long its customer keeps watching for the money to settle. */
const SETTLE_GRACE_MS = 15_000;

/** POST /v1/orders, retried with the same Idempotency-Key when the answer is lost (a network error or a 5xx). */
async function postOrder(api: TiffinApi, body: unknown, key: string, attempts = 3): Promise<{ view: OrderView; replayed: boolean }> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const response = await api.request<OrderView>("POST", "/v1/orders", { body, headers: { "idempotency-key": key } });
      return { view: response.body, replayed: response.headers.get("idempotent-replayed") === "true" };
    } catch (error) {
      const retryable = !(error instanceof ApiError) || error.status >= 500;
      if (!retryable || attempt >= attempts) throw error;
    }
  }
}

/** A customer browses restaurants near home, reads a menu, and places an order. Null when nothing is orderable. */
export async function placeOrder(world: World, customerId: string, number: number): Promise<TrackedOrder | null> {
  const { config, random, reporter } = world;
  const api = await world.api("customer", customerId);
  const home = pointNear(config.centre, 2, random);
  const nearby = await api.get<Page<Restaurant>>(`/v1/restaurants?lat=${home.lat}&lng=${home.lng}&radius_km=${config.radiusKm}`);
  if (nearby.items.length === 0) {
    reporter.warn(`${customerId} found no open restaurant within ${config.radiusKm} km of ${home.lat},${home.lng}`);
    return null;
  }
  const restaurant = nearby.items[randomInt(random, 0, nearby.items.length - 1)]!;
  if (!world.restaurants.has(restaurant.id)) world.restaurants.set(restaurant.id, restaurant);
  const menu = await api.get<Menu>(`/v1/restaurants/${restaurant.id}/menu`);
  const items = chooseOrder(menu, random);
  if (items === null) return null;
  const body = { restaurantId: restaurant.id, items, deliveryAddress: { ...home, line1: `Simulated Street ${number}` } };
  const { view, replayed } = await postOrder(api, body, randomUUID());
  world.addresses.set(view.id, home);
  const order: TrackedOrder = {
    number,
    id: view.id,
    customerId,
    restaurantName: restaurant.name,
    total: view.total,
    placedAt: Date.now(),
    status: view.status,
    paymentStatus: view.paymentStatus,
    courierId: view.courierId,
    finishedAt: null,
  };
  world.orders.push(order);
  const count = items.reduce((sum, item) => sum + item.quantity, 0);
  reporter.line(
    `order #${number} placed by ${customerId} at ${restaurant.name}: ${count} item${count === 1 ? "" : "s"}, ${formatMoney(view.total)}` +
      ` (${view.id}${replayed ? ", replayed" : ""})`,
  );
  return order;
}

/** The customer watches their order (GET /v1/orders/:id) until it is finished and its money settled. */
export async function watchOrder(world: World, order: TrackedOrder): Promise<void> {
  const api = await world.api("customer", order.customerId);
  while (!world.deadline.aborted) {
    await world.guard(`order #${order.number}`, async () => {
      const view = await api.get<OrderView>(`/v1/orders/${order.id}`);
      world.reporter.lines(observe(order, view, Date.now()));
    });
    const settled = isSettled(order) || (isFinished(order.status) && Date.now() - order.finishedAt! > SETTLE_GRACE_MS);
    if (settled) return;
    await sleep(world.config.pollMs, world.deadline);
  }
}

/** One customer: orders, watches the order to the end, pauses a little, and orders again while orders remain. */
export async function runCustomer(world: World, customerId: string, onPlaced: (order: TrackedOrder) => void): Promise<void> {
  for (let number = world.nextOrderNumber(); number !== null; number = world.nextOrderNumber()) {
    const order = await world.guard(customerId, () => placeOrder(world, customerId, number));
    if (order) {
      onPlaced(order);
      await watchOrder(world, order);
    }
    await sleep(randomInt(world.random, 200, 1000), world.deadline);
  }
}
