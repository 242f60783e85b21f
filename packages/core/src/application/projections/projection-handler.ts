import type { Logger } from "../../ports/logger.js";
import type { TransactionStores } from "../../ports/unit-of-work.js";
import type { AnyDomainEvent } from "../../domain/events.js";
import type { CloudEvent } from "../../messaging/cloud-event.js";
import { applyToView, initialView } from "./order-view-projection.js";

/**
 * Keeps the order view current from every order event (subscription `projections`). The view is created with
 * the order, so a missing view only happens for an order placed by another writer; `order.placed` rebuilds it.
 */
export function projectOrderView(logger: Logger) {
  return async (tx: TransactionStores, event: AnyDomainEvent, message: CloudEvent): Promise<void> => {
    const view = await tx.views.getView(event.orderId);
    if (view === null) {
      if (event.type === "order.placed") await tx.views.saveView(initialView(event, message.id));
      else logger.warn("no view for event; skipped", { orderId: event.orderId, type: event.type, messageId: message.id });
      return;
    }
    const next = applyToView(view, event, message.id);
    if (next === null) return;
    await tx.views.saveView(next);
  };
}
