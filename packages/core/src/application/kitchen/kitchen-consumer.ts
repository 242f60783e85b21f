import type { DomainEvent } from "../../domain/events.js";
import type { MessageHandler } from "../../ports/messaging.js";
import { SYSTEM_PRINCIPAL } from "../../ports/principal.js";
import type { KitchenDecision, RestaurantGateway } from "../../ports/restaurant-gateway.js";
import { gatewayConsumer } from "../common/consumer-shapes.js";
import { type UseCaseContext, workerMeta } from "../common/use-case-context.js";
import { applyKitchenDecision } from "./kitchen-transitions.js";

/** The consumer name (inbox) and subscription of the kitchen worker. */
export const KITCHEN_CONSUMER = "kitchen";

/** The one event type the kitchen consumer reacts to. */
export const KITCHEN_EVENT_TYPES = ["payment.captured"] as const;

/**
 * On `payment.captured`, asks the restaurant to take the order (the gateway consumer shape): the gateway is called
 * outside the transaction (it is idempotent per order, and a transaction may be retried); its answer, and the inbox
 * row, commit together.
 */
export function kitchenConsumer(ctx: UseCaseContext, kitchen: RestaurantGateway): MessageHandler {
  return gatewayConsumer<DomainEvent<"payment.captured">, { orderId: string; decision: KitchenDecision }>(ctx.uow, KITCHEN_CONSUMER, {
    eventTypes: KITCHEN_EVENT_TYPES,
    ask: async (event) => {
      const order = await ctx.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.load(event.orderId));
      if (order === null || order.status !== "placed") {
        // Cancelled meanwhile, or already decided by an earlier delivery of this message: nothing to ask.
        ctx.logger.debug("kitchen skips an order no longer waiting for it", { orderId: event.orderId, status: order?.status ?? null });
        return null;
      }
      return { orderId: order.id, decision: await kitchen.requestConfirmation(order) };
    },
    record: (tx, _event, { orderId, decision }, message) => applyKitchenDecision(tx, ctx, orderId, decision, workerMeta(orderId, message.id)),
  });
}
