import type { Money, OrderStatus, OrderView } from "./api-types.js";

/** An order the simulation placed, as its customer last saw it. */
export interface TrackedOrder {
  /** 1, 2, 3... in the order they were placed: easier to follow in the output than ids. */
  readonly number: number;
  readonly id: string;
  readonly customerId: string;
  readonly restaurantName: string;
  readonly total: Money;
  /** Wall-clock milliseconds. */
  readonly placedAt: number;
  status: OrderStatus;
  paymentStatus: string;
  courierId: string | null;
  finishedAt: number | null;
}

/** Final statuses: nothing changes an order's status after these. */
export const isFinished = (status: OrderStatus): boolean => status === "delivered" || status === "cancelled";

/**
 * Whether the money of a finished order has settled too, so its customer can stop watching: a delivered order is
 * paid out; a cancelled one was declined, refunded, or never charged.
 */
export function isSettled(view: Pick<OrderView, "status" | "paymentStatus">): boolean {
  if (view.status === "delivered") return view.paymentStatus === "paid_out";
  if (view.status === "cancelled") return view.paymentStatus !== "captured";
  return false;
}

export const formatMoney = (money: Money): string => `${money.currency} ${(money.amount / 100).toFixed(2)}`;

/**
 * What changed since the customer last looked, as output lines: one per status change (skipped intermediate
 * states are named too), a courier assignment, a payment status change. Updates `order` to the new view.
 */
export function observe(order: TrackedOrder, view: OrderView, now: number): string[] {
  const lines: string[] = [];
  const label = `order #${order.number}`;
  if (view.status !== order.status) {
    // The timeline holds every status, even ones passed between two looks (confirmed and preparing come together).
    const seen = view.timeline.map((t) => t.status);
    const from = seen.lastIndexOf(order.status);
    const path = from >= 0 ? seen.slice(from) : [order.status, view.status];
    for (let i = 1; i < path.length; i += 1) lines.push(`${label} ${path[i - 1]} -> ${path[i]}`);
  }
  if (view.courierId !== null && view.courierId !== order.courierId) lines.push(`${label} courier ${view.courierId} assigned`);
  if (view.paymentStatus !== order.paymentStatus) lines.push(`${label} payment ${order.paymentStatus} -> ${view.paymentStatus}`);
  if (isFinished(view.status) && order.finishedAt === null) order.finishedAt = now;
  order.status = view.status;
  order.paymentStatus = view.paymentStatus;
  order.courierId = view.courierId;
  return lines;
}
