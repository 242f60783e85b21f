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

/**
 * The database's clock, read inside a transaction. Durable time decisions (is an offer still live, is a timer due,
 * has a saga step stalled) are made on it, and the times they compare with are written from it, so processes whose
 * own clocks disagree still agree on them.
 */
export interface StoreClock {
  /** The database's current time (Postgres: `clock_timestamp()`; the in-memory adapter: its own clock). */
  now(): Promise<Date>;
}

/** The stores of one transaction: everything written through them commits or rolls back together. */
export interface TransactionStores {
  readonly clock: StoreClock;
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
