import type { Clock, Principal, StoreClock, TransactionStores, UnitOfWork } from "@tiffin/core";
import { outboxChannel } from "./sql/channels.js";
import type { Database, SqlExecutor } from "./sql/database.js";
import { PostgresCatalog } from "./stores/catalog-store.js";
import { PostgresCouriers } from "./stores/courier-store.js";
import { PostgresIdempotencyStore } from "./stores/idempotency-store.js";
import { PostgresInbox } from "./stores/inbox-store.js";
import { PostgresOfferStore } from "./stores/offer-store.js";
import { PostgresOrderStore } from "./stores/order-store.js";
import { PostgresOutbox } from "./stores/outbox-store.js";
import { PostgresReadModels } from "./stores/read-models.js";
import { PostgresSagaStore } from "./stores/saga-store.js";
import { PostgresTimers } from "./stores/timers-store.js";

/** The database server's clock; `clock_timestamp()` rather than `now()`, which stands still for a transaction. */
const serverClock = (tx: SqlExecutor): StoreClock => ({
  now: async () => {
    const [row] = await tx.query<{ now: Date | string }>("SELECT clock_timestamp() AS now");
    return new Date(row!.now);
  },
});

/** Every store bound to one transaction; `clock` replaces the server's clock (tests that move time). */
export function transactionStores(tx: SqlExecutor, schema: string, clock?: Clock): TransactionStores {
  const outbox = new PostgresOutbox(tx, outboxChannel(schema));
  const couriers = new PostgresCouriers(tx);
  return {
    clock: clock === undefined ? serverClock(tx) : { now: () => Promise.resolve(clock.now()) },
    orders: new PostgresOrderStore(tx, outbox),
    outbox,
    inbox: new PostgresInbox(tx),
    sagas: new PostgresSagaStore(tx),
    idempotency: new PostgresIdempotencyStore(tx),
    views: new PostgresReadModels(tx),
    offers: new PostgresOfferStore(tx),
    timers: new PostgresTimers(tx),
    catalog: new PostgresCatalog(tx),
    couriers,
    locator: couriers,
  };
}

/**
 * The UnitOfWork over either driver: one database transaction per `run`, as the principal's database role with
 * its identity set for row-level security; retried on serialization failures and deadlocks.
 */
export class PostgresUnitOfWork implements UnitOfWork {
  /** `options.clock` stands in for the server's clock, for tests that move time; production leaves it out. */
  constructor(
    private readonly db: Database,
    private readonly options: { readonly clock?: Clock } = {},
  ) {}

  run<T>(principal: Principal, fn: (tx: TransactionStores) => Promise<T>): Promise<T> {
    return this.db.transaction(principal, (tx) => fn(transactionStores(tx, this.db.schema, this.options.clock)));
  }
}
