import { type Api, sleep } from "./api.js";

/** Carts the demo catalog prices without a required choice, one per demo restaurant. */
const CARTS = [
  { restaurantId: "r-curry-house", items: [{ itemId: "dal", quantity: 1 }], near: { lat: 52.5232, lng: 13.4115 } },
  { restaurantId: "r-pizza-nova", items: [{ itemId: "diavola", quantity: 2 }], near: { lat: 52.5145, lng: 13.3945 } },
  { restaurantId: "r-sushi-ko", items: [{ itemId: "veggie-roll", quantity: 1 }], near: { lat: 52.5301, lng: 13.3988 } },
] as const;

export interface PlacementStats {
  /** Orders the API confirmed (201, first answer or a replay of it). */
  placed: number;
  /** Attempts that got no answer or a 5xx and were retried with the same Idempotency-Key. */
  retries: number;
  /** Attempts answered as a replay of an earlier attempt under the same key. */
  replays: number;
  /** Keys that never got a 2xx within the bound, or got a 4xx. */
  failed: string[];
  /** Every order id any answer under each key named: exactly one per key when the API keeps its promise. */
  readonly idsByKey: Map<string, Set<string>>;
}

export interface PlacementPlan {
  readonly api: Api;
  readonly token: (customerId: string) => Promise<string>;
  readonly orders: number;
  readonly perSecond: number;
  /** Distinct customers the orders spread over. */
  readonly customers: number;
  /** A prefix so keys of different runs never meet. */
  readonly keyPrefix: string;
  /** How long one order's placement keeps retrying (the same key) while the API is down. */
  readonly withinMs: number;
}

/** Places `orders` orders at a steady rate, each retried under its own Idempotency-Key until the API answers. */
export async function placeOrders(plan: PlacementPlan): Promise<PlacementStats> {
  const stats: PlacementStats = { placed: 0, retries: 0, replays: 0, failed: [], idsByKey: new Map() };
  const pending: Promise<void>[] = [];
  const began = Date.now();
  for (let i = 0; i < plan.orders; i++) {
    const due = began + (i * 1000) / plan.perSecond;
    if (due > Date.now()) await sleep(due - Date.now());
    pending.push(placeOne(plan, i, stats));
  }
  await Promise.all(pending);
  return stats;
}

async function placeOne(plan: PlacementPlan, i: number, stats: PlacementStats): Promise<void> {
  const cart = CARTS[i % CARTS.length] ?? CARTS[0];
  const customer = `chaos-customer-${i % plan.customers}`;
  const key = `${plan.keyPrefix}-${i}`;
  const body = {
    restaurantId: cart.restaurantId,
    items: cart.items,
    deliveryAddress: { lat: cart.near.lat + ((i % 7) - 3) * 0.002, lng: cart.near.lng + ((i % 5) - 2) * 0.003, line1: `Chaosstraße ${i}` },
  };
  const ids = new Set<string>();
  stats.idsByKey.set(key, ids);
  const token = await plan.token(customer);
  const deadline = Date.now() + plan.withinMs;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    if (attempt > 0) {
      stats.retries += 1;
      // Backs off (with jitter) so a down API is not hammered by every waiting customer at once.
      await sleep(Math.min(200 * 2 ** attempt, 2000) * (0.5 + Math.random()));
    }
    const answer = await plan.api.request("POST", "/v1/orders", { token, body, headers: { "idempotency-key": key } }).catch(() => null);
    if (answer === null || answer.status >= 500) continue;
    if (answer.status === 201) {
      if (typeof answer.json?.id === "string") ids.add(answer.json.id as string);
      if (answer.headers.get("idempotent-replayed") === "true") stats.replays += 1;
      stats.placed += 1;
      return;
    }
    stats.failed.push(`${key}: ${answer.status} ${answer.json?.code ?? ""}`);
    return;
  }
  stats.failed.push(`${key}: no answer within ${plan.withinMs} ms`);
}
