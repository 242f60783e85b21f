import type { AnyDomainEvent } from "../../domain/events.js";
import type { OrderStatus } from "../../domain/order.js";
import type { OrderView, PaymentStatus } from "../../ports/read-models.js";

/** Lifecycle rank: a view's status only moves to a higher rank, so a late or replayed event never rewinds it. */
const STATUS_RANK: Record<OrderStatus, number> = {
  placed: 0,
  confirmed: 1,
  preparing: 2,
  ready: 3,
  picked_up: 4,
  delivered: 5,
  // Terminal and only reachable before pickup, so it outranks every status it can follow.
  cancelled: 6,
};

/** Payment status rank, same rule: refunds and failures are final; captured precedes payouts. */
const PAYMENT_RANK: Record<PaymentStatus, number> = {
  pending: 0,
  captured: 1,
  declined: 1,
  paid_out: 2,
  refunded: 3,
  refund_failed: 3,
};

const STATUS_OF_EVENT: Partial<Record<AnyDomainEvent["type"], OrderStatus>> = {
  "order.placed": "placed",
  "order.confirmed": "confirmed",
  "order.preparing": "preparing",
  "order.ready": "ready",
  "order.picked_up": "picked_up",
  "order.delivered": "delivered",
  "order.cancelled": "cancelled",
};

/** Events the order store writes, whose ids carry the order version (`orderEventId`). */
const ORDER_STORE_EVENTS = new Set<string>([...Object.keys(STATUS_OF_EVENT), "courier.assigned", "courier.unassigned"]);

const ORDER_EVENT_ID = /:(\d+):(\d+)$/;

/** The order version an event id names (`orderEventId` format), or null for events not written by the order store. */
export function versionOfEventId(messageId: string): number | null {
  const match = ORDER_EVENT_ID.exec(messageId);
  return match ? Number(match[1]) : null;
}

/** The initial view of a just-placed order, with the placing event already applied. */
export function initialView(event: Extract<AnyDomainEvent, { type: "order.placed" }>, messageId: string): OrderView {
  return {
    id: event.orderId,
    status: "placed",
    restaurantId: event.data.restaurantId,
    customerId: event.data.customerId,
    courierId: null,
    lines: event.data.lines,
    total: event.data.total,
    menuVersion: event.data.menuVersion,
    paymentStatus: "pending",
    timeline: [{ status: "placed", at: event.at }],
    courierPosition: null,
    cancellationReason: null,
    version: 1,
    revision: 1,
    applied: [messageId],
    placedAt: event.at,
    updatedAt: event.at,
  };
}

/** The path every delivered order takes; reaching one of these statuses means every earlier one was reached. */
const LIFECYCLE: readonly OrderStatus[] = ["placed", "confirmed", "preparing", "ready", "picked_up", "delivered"];

/**
 * The timeline with `status` reached at `at`. Events can be applied out of order (two events of one change, e.g.
 * confirmed and preparing, may arrive either way round on a broker without ordering), so a status on the lifecycle
 * also fills in the earlier ones it implies, stamped with its own time until their own events bring theirs (the
 * earliest time wins). A reader of the timeline therefore never sees a gap that fills in behind a later status.
 */
function withStatus(view: OrderView, status: OrderStatus, at: string): Partial<OrderView> {
  const reached = status === "cancelled" ? [status] : LIFECYCLE.slice(0, LIFECYCLE.indexOf(status) + 1);
  const timeline = [...view.timeline];
  for (const step of reached) {
    const index = timeline.findIndex((t) => t.status === step);
    if (index === -1) timeline.push({ status: step, at });
    else if (step === status && at < (timeline[index]?.at ?? at)) timeline[index] = { status: step, at };
  }
  timeline.sort((a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status]);
  const forward = STATUS_RANK[status] > STATUS_RANK[view.status];
  return { timeline, ...(forward ? { status } : {}) };
}

function withPayment(view: OrderView, status: PaymentStatus): Partial<OrderView> {
  return PAYMENT_RANK[status] > PAYMENT_RANK[view.paymentStatus] ? { paymentStatus: status } : {};
}

function changes(view: OrderView, event: AnyDomainEvent): Partial<OrderView> {
  switch (event.type) {
    case "courier.assigned":
    case "order.picked_up":
    case "order.delivered": {
      const status = STATUS_OF_EVENT[event.type];
      return { courierId: view.courierId ?? event.data.courierId, ...(status ? withStatus(view, status, event.at) : {}) };
    }
    case "courier.unassigned":
      return view.courierId === event.data.courierId ? { courierId: null, courierPosition: null } : {};
    case "payment.captured":
      return withPayment(view, "captured");
    case "payment.declined":
      return withPayment(view, "declined");
    case "payment.refunded":
      return withPayment(view, "refunded");
    case "payout.paid":
      return event.data.party === "courier" ? withPayment(view, "paid_out") : {};
    case "saga.failed":
      return withPayment(view, "refund_failed");
    case "order.cancelled":
      return { cancellationReason: event.data.reason, ...withStatus(view, "cancelled", event.at) };
    default: {
      const status = STATUS_OF_EVENT[event.type];
      return status ? withStatus(view, status, event.at) : {};
    }
  }
}

/**
 * Applies one event to a view: idempotent (an id in `applied` changes nothing) and order-tolerant (statuses and
 * payment statuses only move forward by rank; the timeline keeps one entry per status, in lifecycle order).
 * Returns null when the event was already applied; otherwise the view with `revision + 1`, ready for `saveView`.
 */
export function applyToView(view: OrderView, event: AnyDomainEvent, messageId: string): OrderView | null {
  if (view.applied.includes(messageId)) return null;
  const version = versionOfEventId(messageId);
  return {
    ...view,
    ...changes(view, event),
    version: version !== null && ORDER_STORE_EVENTS.has(event.type) ? Math.max(view.version, version) : view.version,
    revision: view.revision + 1,
    applied: [...view.applied, messageId],
    updatedAt: event.at > view.updatedAt ? event.at : view.updatedAt,
  };
}
