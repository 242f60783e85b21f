import type { LatLng } from "../domain/geo.js";
import type { Money } from "../domain/money.js";
import type { CancelReason, OrderLine, OrderStatus } from "../domain/order.js";

/** Payment status shown to users, derived from saga events. */
export type PaymentStatus = "pending" | "captured" | "declined" | "refunded" | "refund_failed" | "paid_out";

/** The order read model, kept current by the projections. */
export interface OrderView {
  readonly id: string;
  readonly status: OrderStatus;
  readonly restaurantId: string;
  readonly customerId: string;
  readonly courierId: string | null;
  readonly lines: readonly OrderLine[];
  readonly total: Money;
  /** The menu version the order was priced against. */
  readonly menuVersion: number;
  readonly paymentStatus: PaymentStatus;
  readonly timeline: readonly { readonly status: OrderStatus; readonly at: string }[];
  /**
   * Where the assigned courier is: filled in when the view is read (from the positions store) while the order is
   * on its way, null once it is delivered or cancelled. Stored views keep null.
   */
  readonly courierPosition: LatLng | null;
  /** Why a cancelled order was cancelled; null otherwise. Absent in views stored before it existed. */
  readonly cancellationReason?: CancelReason | null;
  /**
   * The W3C trace id of the request that placed the order, to find the order's whole trace (API, relay, every
   * consumer) in the tracing backend. Set when the view is first saved inside an active trace; absent otherwise.
   */
  readonly traceId?: string;
  /** The order aggregate version this view reflects. */
  readonly version: number;
  /** Incremented by every save; `saveView` compares it (optimistic concurrency between projection workers). */
  readonly revision: number;
  /** Message ids already applied, so a redelivered or late event changes nothing. */
  readonly applied: readonly string[];
  readonly placedAt: string;
  readonly updatedAt: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/** Thrown by `saveView` when another writer saved the view first. */
export class ViewRevisionConflictError extends Error {
  override readonly name = "ViewRevisionConflictError";
  readonly code = "VIEW_REVISION_CONFLICT";
  readonly transient = true;
  constructor(readonly orderId: string) {
    super(`order view ${orderId} changed concurrently`);
  }
}

/**
 * Read models for queries. Visibility follows the transaction's principal: a customer sees only their
 * orders, restaurant staff only their restaurant's, a courier only orders assigned to them.
 */
export interface ReadModels {
  /** The view, or null when absent or not visible to the principal. */
  getView(orderId: string): Promise<OrderView | null>;

  /**
   * Inserts (revision 1, no stored view) or replaces the view when the stored revision is `view.revision - 1`;
   * throws ViewRevisionConflictError otherwise.
   */
  saveView(view: OrderView): Promise<void>;

  /** A customer's orders, newest first; `cursor` is the previous page's `nextCursor`. */
  history(customerId: string, page: { limit: number; cursor?: string | null }): Promise<Page<OrderView>>;

  /** A restaurant's orders that are neither delivered nor cancelled, oldest first. */
  board(restaurantId: string): Promise<OrderView[]>;
}
