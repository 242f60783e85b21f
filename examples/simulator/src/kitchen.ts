import { hasCode } from "./api-client.js";
import type { OrderView, Page, Restaurant } from "./api-types.js";
import { type World, sleep } from "./world.js";

type KitchenAction = "accept" | "reject" | "ready";

/** Answers meaning someone else already moved the order (an auto kitchen, a cancellation): nothing to do. */
const MOVED_ON = ["ORDER_INVALID_TRANSITION", "ORDER_NOT_PAID", "NOT_FOUND"];

/** What the staff do next with an order on their board, if anything. */
export function nextAction(view: Pick<OrderView, "status" | "paymentStatus">, rejects: boolean): KitchenAction | null {
  if (view.status === "placed") return view.paymentStatus === "captured" ? (rejects ? "reject" : "accept") : null;
  if (view.status === "confirmed" || view.status === "preparing") return "ready";
  return null;
}

/**
 * The staff of one restaurant, working from its live board (GET /v1/restaurants/:id/board): they accept a paid
 * order after `acceptDelayMs` (or reject a share of them) and mark it ready `prepMs` after they first saw it cooking.
 */
export async function runKitchen(world: World, restaurant: Restaurant, signal: AbortSignal): Promise<void> {
  const { config, random } = world;
  const staff = await world.api("restaurant", `staff-${restaurant.id}`, restaurant.id);
  const due = new Map<string, number>();
  const rejects = new Map<string, boolean>();
  while (!signal.aborted) {
    await world.guard(`kitchen ${restaurant.name}`, async () => {
      const board = await staff.get<Page<OrderView>>(`/v1/restaurants/${restaurant.id}/board`);
      const now = Date.now();
      const onBoard = new Set<string>();
      for (const order of board.items) {
        if (!rejects.has(order.id)) rejects.set(order.id, random() < config.rejectRate);
        const action = nextAction(order, rejects.get(order.id)!);
        if (action === null) continue;
        const key = `${order.id}:${action}`;
        onBoard.add(key);
        const at = due.get(key) ?? now + (action === "ready" ? config.prepMs : config.acceptDelayMs);
        due.set(key, at);
        if (at > now) continue;
        try {
          await staff.post(`/v1/restaurants/${restaurant.id}/orders/${order.id}/${action}`);
          if (action === "reject") world.reporter.line(`kitchen ${restaurant.name} rejected ${world.label(order.id)}`);
        } catch (error) {
          if (!hasCode(error, ...MOVED_ON)) throw error;
        }
        due.delete(key);
      }
      for (const key of due.keys()) if (!onBoard.has(key)) due.delete(key);
    });
    await sleep(config.pollMs, signal);
  }
}
