import type { CloudEvent } from "../../messaging/cloud-event.js";
import type { MessageHandler } from "../../ports/messaging.js";
import { SYSTEM_PRINCIPAL } from "../../ports/principal.js";
import type { RestaurantGateway } from "../../ports/restaurant-gateway.js";
import { domainEventOf } from "../common/inbox-consumer.js";
import { retryOnConflict } from "../common/transaction.js";
import { type UseCaseContext, workerMeta } from "../common/use-case-context.js";
import { applyKitchenDecision } from "./kitchen-transitions.js";

/** The consumer name (inbox) and subscription of the kitchen worker. */
export const KITCHEN_CONSUMER = "kitchen";

/** The one event type the kitchen consumer reacts to. */
export const KITCHEN_EVENT_TYPES = ["payment.captured"] as const;

/**
 * On `payment.captured`, asks the restaurant to take the order. The gateway is called outside the transaction
 * (it is idempotent per order, and a transaction may be retried); its answer, and the inbox row, commit together.
 */
export function kitchenConsumer(ctx: UseCaseContext, kitchen: RestaurantGateway): MessageHandler {
  return async (message: CloudEvent) => {
    const event = domainEventOf(message);
    if (event === null || event.type !== "payment.captured") return;
    const order = await ctx.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.load(event.orderId));
    if (order === null || order.status !== "placed") {
      // Cancelled meanwhile, or already decided by an earlier delivery of this message: nothing to ask.
      ctx.logger.debug("kitchen skips an order no longer waiting for it", { orderId: event.orderId, status: order?.status ?? null });
      return;
    }
    const decision = await kitchen.requestConfirmation(order);
    await retryOnConflict(() =>
      ctx.uow.run(SYSTEM_PRINCIPAL, async (tx) => {
        if (!(await tx.inbox.record(KITCHEN_CONSUMER, message.id))) return;
        await applyKitchenDecision(tx, ctx, order.id, decision, workerMeta(order.id, message.id));
      }),
    );
  };
}
