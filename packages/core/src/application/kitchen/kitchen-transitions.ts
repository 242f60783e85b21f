import { type OrderError, invalidTransition } from "../../domain/order.errors.js";
import { type Order, type OrderChange, cancel, confirm, markReady, startPreparing } from "../../domain/order.js";
import { type Result, err, ok } from "../../domain/result.js";
import type { MessageMeta } from "../../messaging/cloud-event.js";
import type { KitchenDecision } from "../../ports/restaurant-gateway.js";
import type { TransactionStores } from "../../ports/unit-of-work.js";
import type { Timer } from "../../ports/timers.js";
import { type UseCaseContext, workerMeta } from "../common/use-case-context.js";
import type { TimerHandler } from "../timers/timer-poller.js";

/** Timer kind that marks an automatically accepted order ready after its prep time. */
export const KITCHEN_READY_TIMER = "kitchen.ready";

/** Timer kind that rejects a paid order staff left unanswered for `kitchenAcceptTimeoutMs`. */
export const KITCHEN_TIMEOUT_TIMER = "kitchen.timeout";

/**
 * A restaurant accepting an order confirms it and starts preparing it in one change (events `order.confirmed`
 * then `order.preparing`, one version step): the lifecycle keeps both states, but no actor sits between
 * them, so a kitchen that accepts is cooking. Dispatch starts on `order.confirmed`, in parallel with the cooking.
 */
export function acceptAndPrepare(order: Order, at: string): Result<OrderChange, OrderError> {
  const confirmed = confirm(order, at);
  if (!confirmed.ok) return confirmed;
  const preparing = startPreparing(confirmed.value.order, at);
  if (!preparing.ok) return preparing;
  return ok({
    order: { ...preparing.value.order, version: order.version + 1 },
    events: [...confirmed.value.events, ...preparing.value.events],
  });
}

/**
 * Applies a kitchen's answer inside the caller's transaction: accepted confirms and prepares the order and
 * schedules `kitchen.ready` after the prep time; rejected cancels it (`restaurant_rejected`, the saga refunds);
 * pending waits for staff, at most `kitchenAcceptTimeoutMs` (then `kitchen.timeout` rejects it). An order that moved
 * on meanwhile (e.g. the customer cancelled) is left as it is.
 */
export async function applyKitchenDecision(
  tx: TransactionStores,
  ctx: UseCaseContext,
  orderId: string,
  decision: KitchenDecision,
  meta: MessageMeta,
): Promise<void> {
  const at = await tx.clock.now();
  if (decision.decision === "pending") {
    await tx.timers.schedule({
      id: ctx.ids.next(),
      kind: KITCHEN_TIMEOUT_TIMER,
      key: `${KITCHEN_TIMEOUT_TIMER}:${orderId}`,
      dueAt: new Date(at.getTime() + ctx.config.kitchenAcceptTimeoutMs).toISOString(),
      payload: { orderId },
    });
    return;
  }
  const result =
    decision.decision === "accepted"
      ? await tx.orders.update(orderId, (o) => acceptAndPrepare(o, at.toISOString()), meta)
      : await tx.orders.update(orderId, (o) => cancel(o, "restaurant_rejected", at.toISOString()), meta);
  if (!result.ok) {
    ctx.logger.info("kitchen decision no longer applies", { orderId, decision: decision.decision, code: result.error.code });
    return;
  }
  if (decision.decision === "accepted") {
    await tx.timers.schedule({
      id: ctx.ids.next(),
      kind: KITCHEN_READY_TIMER,
      key: `${KITCHEN_READY_TIMER}:${orderId}`,
      dueAt: new Date(at.getTime() + Math.max(0, decision.readyInMs)).toISOString(),
      payload: { orderId },
    });
  }
}

/** Fires `kitchen.timeout`: an order still waiting for the restaurant is rejected (and so refunded). */
export async function kitchenTimeout(tx: TransactionStores, ctx: UseCaseContext, orderId: string, meta: MessageMeta): Promise<void> {
  const at = (await tx.clock.now()).toISOString();
  const result = await tx.orders.update(
    orderId,
    (o) => (o.status === "placed" ? cancel(o, "restaurant_rejected", at) : err(invalidTransition(o.id, o.status, "time out"))),
    meta,
  );
  if (result.ok) ctx.logger.warn("restaurant did not answer; order rejected", { orderId });
}

/** Fires `kitchen.ready`: the food is ready unless the order moved on. */
export async function kitchenReady(tx: TransactionStores, ctx: UseCaseContext, orderId: string, meta: MessageMeta): Promise<void> {
  const at = (await tx.clock.now()).toISOString();
  const result = await tx.orders.update(orderId, (o) => markReady(o, at), meta);
  if (!result.ok) ctx.logger.info("kitchen.ready no longer applies", { orderId, code: result.error.code });
}

/** Timer handlers of the kitchen, by kind. */
export function kitchenTimerHandlers(ctx: UseCaseContext): Record<string, TimerHandler> {
  const orderOf = (timer: Timer): string => String(timer.payload.orderId);
  return {
    [KITCHEN_READY_TIMER]: (tx, timer) => kitchenReady(tx, ctx, orderOf(timer), workerMeta(orderOf(timer), timer.id)),
    [KITCHEN_TIMEOUT_TIMER]: (tx, timer) => kitchenTimeout(tx, ctx, orderOf(timer), workerMeta(orderOf(timer), timer.id)),
  };
}
