import type { Order } from "../domain/order.js";

/** The kitchen's answer to a paid order. */
export type KitchenDecision =
  | { readonly decision: "pending" }
  | { readonly decision: "accepted"; readonly readyInMs: number }
  | { readonly decision: "rejected"; readonly reason: string };

/**
 * Asks the restaurant to take a paid order. `manual` answers `pending` (staff decide through the API);
 * an automatic kitchen answers at once. Must be idempotent per order id.
 */
export interface RestaurantGateway {
  requestConfirmation(order: Order): Promise<KitchenDecision>;
}
