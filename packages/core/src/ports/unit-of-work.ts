import type { Catalog } from "./catalog.js";
import type { CourierDirectory, CourierLocator } from "./couriers.js";
import type { IdempotencyStore } from "./idempotency-store.js";
import type { Inbox } from "./inbox.js";
import type { OfferStore } from "./offer-store.js";
import type { OrderStore } from "./order-store.js";
import type { Outbox } from "./outbox.js";
import type { Principal } from "./principal.js";
import type { ReadModels } from "./read-models.js";
import type { SagaStore } from "./saga-store.js";
import type { Timers } from "./timers.js";

/** The stores of one transaction: everything written through them commits or rolls back together. */
export interface TransactionStores {
  readonly orders: OrderStore;
  readonly outbox: Outbox;
  readonly inbox: Inbox;
  readonly sagas: SagaStore;
  readonly idempotency: IdempotencyStore;
  readonly views: ReadModels;
  readonly offers: OfferStore;
  readonly timers: Timers;
  readonly catalog: Catalog;
  readonly couriers: CourierDirectory;
  readonly locator: CourierLocator;
}

/**
 * Runs work in one transaction as a principal, whose identity decides which rows are visible (row-level
 * security). If `fn` throws, nothing it wrote is kept. `fn` may be run more than once when the store
 * retries a serialization failure or deadlock, so it must not have side effects outside `tx`.
 */
export interface UnitOfWork {
  run<T>(principal: Principal, fn: (tx: TransactionStores) => Promise<T>): Promise<T>;
}
