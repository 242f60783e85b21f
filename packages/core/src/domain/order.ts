import { type DeliveryAddress, type DomainEvent, type EventType, domainEvent } from "./events.js";
import type { Money } from "./money.js";
import { type OrderError, OrderErrorCode, invalidTransition } from "./order.errors.js";
import { type Result, domainError, err, ok } from "./result.js";

/** Lifecycle of an order. The courier is an attribute, not a status. */
export type OrderStatus = "placed" | "confirmed" | "preparing" | "ready" | "picked_up" | "delivered" | "cancelled";

export const ORDER_STATUSES = [
  "placed",
  "confirmed",
  "preparing",
  "ready",
  "picked_up",
  "delivered",
  "cancelled",
] as const satisfies readonly OrderStatus[];

/** Why an order can be cancelled. */
export const CANCEL_REASONS = ["customer_cancelled", "payment_declined", "restaurant_rejected", "no_courier"] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

export const CANCELLABLE_FROM: readonly OrderStatus[] = ["placed", "confirmed", "preparing"];

/** One priced line of an order, frozen at placement. */
export interface OrderLine {
  readonly itemId: string;
  readonly name: string;
  readonly quantity: number;
  readonly options: readonly { readonly id: string; readonly name: string; readonly priceDelta: Money }[];
  readonly unitPrice: Money;
  readonly lineTotal: Money;
}

/** The order aggregate. Immutable: every transition returns a new value with `version + 1`. */
export interface Order {
  readonly id: string;
  readonly customerId: string;
  readonly restaurantId: string;
  readonly lines: readonly OrderLine[];
  readonly total: Money;
  /** The menu version the lines were priced against; a later publication never changes them. */
  readonly menuVersion: number;
  readonly deliveryAddress: DeliveryAddress;
  readonly status: OrderStatus;
  readonly courierId: string | null;
  readonly cancelReason: CancelReason | null;
  readonly version: number;
  readonly placedAt: string;
  readonly updatedAt: string;
  /** When the food was ready; absent before (and on orders stored before it was kept). */
  readonly readyAt?: string;
}

/** A new order state and the events that explain the change. */
export interface OrderChange {
  readonly order: Order;
  readonly events: readonly DomainEvent[];
}

export interface PlaceOrder {
  readonly id: string;
  readonly customerId: string;
  readonly restaurantId: string;
  readonly lines: readonly OrderLine[];
  readonly total: Money;
  readonly menuVersion: number;
  readonly deliveryAddress: DeliveryAddress;
  readonly at: string;
}

/** Creates an order in `placed` with version 1 and its `order.placed` event. */
export function placeOrder(cmd: PlaceOrder): OrderChange {
  const order: Order = {
    id: cmd.id,
    customerId: cmd.customerId,
    restaurantId: cmd.restaurantId,
    lines: cmd.lines,
    total: cmd.total,
    menuVersion: cmd.menuVersion,
    deliveryAddress: cmd.deliveryAddress,
    status: "placed",
    courierId: null,
    cancelReason: null,
    version: 1,
    placedAt: cmd.at,
    updatedAt: cmd.at,
  };
  const event = domainEvent("order.placed", cmd.id, cmd.at, {
    customerId: cmd.customerId,
    restaurantId: cmd.restaurantId,
    lines: [...cmd.lines],
    total: cmd.total,
    menuVersion: cmd.menuVersion,
    deliveryAddress: cmd.deliveryAddress,
  });
  return { order, events: [event] };
}

type OrderResult = Result<OrderChange, OrderError>;

function move<T extends EventType>(
  order: Order,
  allowed: readonly OrderStatus[],
  action: string,
  to: OrderStatus,
  at: string,
  eventType: T,
  data: DomainEvent<T>["data"],
  patch: Partial<Order> = {},
): OrderResult {
  if (!allowed.includes(order.status)) return err(invalidTransition(order.id, order.status, action));
  const next: Order = { ...order, ...patch, status: to, version: order.version + 1, updatedAt: at };
  return ok({ order: next, events: [domainEvent(eventType, order.id, at, data)] });
}

/** The restaurant accepted the order. */
export const confirm = (order: Order, at: string): OrderResult =>
  move(order, ["placed"], "confirm", "confirmed", at, "order.confirmed", { restaurantId: order.restaurantId });

/** The kitchen started cooking. */
export const startPreparing = (order: Order, at: string): OrderResult =>
  move(order, ["confirmed"], "start preparing", "preparing", at, "order.preparing", {
    restaurantId: order.restaurantId,
  });

/** The food is ready for pickup. */
export const markReady = (order: Order, at: string): OrderResult =>
  move(order, ["preparing"], "mark ready", "ready", at, "order.ready", { restaurantId: order.restaurantId }, { readyAt: at });

/** Sets the courier once, from an accepted offer; the status does not change. */
export function assignCourier(order: Order, courierId: string, offerId: string, at: string): OrderResult {
  if (!["confirmed", "preparing", "ready"].includes(order.status)) {
    return err(invalidTransition(order.id, order.status, "assign a courier"));
  }
  if (order.courierId !== null) {
    return err(
      domainError(OrderErrorCode.CourierAlreadySet, `order ${order.id} already has courier ${order.courierId}`, {
        orderId: order.id,
        courierId: order.courierId,
      }),
    );
  }
  const next: Order = { ...order, courierId, version: order.version + 1, updatedAt: at };
  return ok({ order: next, events: [domainEvent("courier.assigned", order.id, at, { courierId, offerId })] });
}

/** Takes the order from a courier who did not pick it up in time, so it can be offered again. */
export function releaseCourier(order: Order, courierId: string, at: string): OrderResult {
  if (!["confirmed", "preparing", "ready"].includes(order.status) || order.courierId !== courierId) {
    return err(invalidTransition(order.id, order.status, `release courier ${courierId}`));
  }
  const next: Order = { ...order, courierId: null, version: order.version + 1, updatedAt: at };
  return ok({ order: next, events: [domainEvent("courier.unassigned", order.id, at, { courierId })] });
}

/**
 * Ends a ready order that no courier took: the only cancellation once the food is made, always `no_courier`; the
 * payment saga then refunds the customer and still pays the restaurant for the food.
 */
export function abandonUnclaimed(order: Order, at: string): OrderResult {
  if (order.courierId !== null) return err(invalidTransition(order.id, `assigned to ${order.courierId}`, "abandon unclaimed"));
  return move(order, ["ready"], "abandon unclaimed", "cancelled", at, "order.cancelled", { reason: "no_courier", from: "ready" }, {
    cancelReason: "no_courier",
  });
}

function byAssignedCourier(order: Order, courierId: string, action: string): OrderError | null {
  return order.courierId === courierId ? null : invalidTransition(order.id, `not assigned to ${courierId}`, action);
}

/** The assigned courier collected the food. */
export function pickUp(order: Order, courierId: string, at: string): OrderResult {
  const denied = byAssignedCourier(order, courierId, "pick up");
  if (denied) return err(denied);
  return move(order, ["ready"], "pick up", "picked_up", at, "order.picked_up", { courierId });
}

/** The assigned courier handed the food over. */
export function deliver(order: Order, courierId: string, at: string): OrderResult {
  const denied = byAssignedCourier(order, courierId, "deliver");
  if (denied) return err(denied);
  return move(order, ["picked_up"], "deliver", "delivered", at, "order.delivered", { courierId });
}

/** Cancels from an early state with a reason. */
export const cancel = (order: Order, reason: CancelReason, at: string): OrderResult =>
  move(order, CANCELLABLE_FROM, "cancel", "cancelled", at, "order.cancelled", { reason, from: order.status }, {
    cancelReason: reason,
  });

/** The statuses an order never leaves. */
export const TERMINAL_STATUSES: readonly OrderStatus[] = ["delivered", "cancelled"];

export const isTerminal = (status: OrderStatus): boolean => TERMINAL_STATUSES.includes(status);
