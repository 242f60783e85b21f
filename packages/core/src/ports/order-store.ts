import type { OrderErrorCode } from "../domain/order.errors.js";
import type { Order, OrderChange, OrderStatus } from "../domain/order.js";
import type { DomainError, Result } from "../domain/result.js";
import type { MessageMeta } from "../messaging/cloud-event.js";

/** Thrown by `OrderStore.update` when another writer saved the order first; the caller may reload and retry. */
export class OrderVersionConflictError extends Error {
  override readonly name = "OrderVersionConflictError";
  readonly code: typeof OrderErrorCode.VersionConflict = "ORDER_VERSION_CONFLICT";
  readonly transient = true;
  constructor(
    readonly orderId: string,
    readonly expectedVersion: number,
  ) {
    super(`order ${orderId} changed since version ${expectedVersion}`);
  }
}

/** Thrown by `OrderStore.create` when an order with the id already exists. */
export class OrderAlreadyExistsError extends Error {
  override readonly name = "OrderAlreadyExistsError";
  readonly code: typeof OrderErrorCode.AlreadyExists = "ORDER_ALREADY_EXISTS";
  readonly transient = false;
  constructor(readonly orderId: string) {
    super(`order ${orderId} already exists`);
  }
}

/**
 * The order aggregate's store. Every write also appends the change's events to the outbox in the same
 * transaction, with ids `orderEventId(orderId, newVersion, index)`, so a state change is never
 * published without being saved, nor saved without being published.
 */
export interface OrderStore {
  /** The order, or null when it does not exist or the principal may not see it. */
  load(orderId: string): Promise<Order | null>;

  /**
   * Inserts a new order (version 1) and its events. Throws `ORDER_ALREADY_EXISTS` (as a DomainError-coded
   * Error) when the id is taken.
   */
  create(change: OrderChange, meta: MessageMeta): Promise<void>;

  /**
   * Loads the order, applies `fn`, and saves the result with compare-and-set on `version` (the stored version
   * must still be `change.order.version - 1`, the version the change was computed from), plus the events,
   * atomically. Returns `ORDER_NOT_FOUND` when there is no such order and `fn`'s own error unchanged.
   * Throws `OrderVersionConflictError` when the stored version moved between load and save; nothing is written.
   * `fn` must be pure: it may run again when the caller retries.
   */
  /**
   * Orders in `status` whose `updatedAt` is before `updatedBefore`, in id order after `afterId` (a page of at most
   * `limit`), for sweeps that compare orders with the state around them. Only the system principal needs it.
   */
  stale(filter: { readonly status: OrderStatus; readonly updatedBefore: Date; readonly limit: number; readonly afterId?: string }): Promise<Order[]>;

  update<E extends DomainError>(
    orderId: string,
    fn: (order: Order) => Result<OrderChange, E>,
    meta: MessageMeta,
  ): Promise<Result<Order, E | DomainError<"ORDER_NOT_FOUND">>>;
}
