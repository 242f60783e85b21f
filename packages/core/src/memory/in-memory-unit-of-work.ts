import { AsyncLocalStorage } from "node:async_hooks";
import type { Clock } from "../ports/clock.js";
import type { Principal } from "../ports/principal.js";
import type { TransactionStores, UnitOfWork } from "../ports/unit-of-work.js";
import { InMemoryCatalog } from "./catalog.js";
import { InMemoryCourierDirectory, InMemoryCourierLocator } from "./couriers.js";
import { InMemoryIdempotencyStore } from "./idempotency-store.js";
import { InMemoryDatabase } from "./in-memory-database.js";
import { InMemoryInbox } from "./inbox.js";
import { InMemoryOfferStore } from "./offer-store.js";
import { InMemoryOrderStore } from "./order-store.js";
import { InMemoryOutbox } from "./outbox.js";
import { InMemoryReadModels } from "./read-models.js";
import { InMemorySagaStore } from "./saga-store.js";
import type { StoreContext } from "./store-context.js";
import { systemClock } from "./system-clock.js";
import { InMemoryTimers } from "./timers.js";

/** Transactions open in the current async context, to recognise a nested run() before it deadlocks. */
const openTransactions = new AsyncLocalStorage<readonly { readonly db: InMemoryDatabase; open: boolean }[]>();

/**
 * UnitOfWork over an InMemoryDatabase. Transactions are real and serialisable: they run one at a time,
 * each over a copy-on-write view of the tables, so nothing `fn` writes is visible to others before it
 * resolves, and nothing is kept when it throws. Visibility follows the principal as the
 * row-level security would. Nested `run()` on the same database (from inside `fn`) is not supported:
 * it would wait for itself, so it throws at once. Work started inside `fn` that calls `run()` while `fn`
 * is still running (e.g. a callback scheduled from inside the transaction) counts as nested too.
 */
export class InMemoryUnitOfWork implements UnitOfWork {
  readonly database: InMemoryDatabase;
  private readonly clock: Clock;

  /** `clock` is what the outbox measures leases with (defaults to the system clock). */
  constructor(deps: { database?: InMemoryDatabase; clock?: Clock } = {}) {
    this.database = deps.database ?? new InMemoryDatabase();
    this.clock = deps.clock ?? systemClock;
  }

  async run<T>(principal: Principal, fn: (tx: TransactionStores) => Promise<T>): Promise<T> {
    const outer = openTransactions.getStore() ?? [];
    if (outer.some((t) => t.db === this.database && t.open)) {
      throw new Error("nested UnitOfWork.run() is not supported by the in-memory adapter: pass the outer tx's stores instead");
    }
    const release = await this.database.lock();
    const txn = this.database.begin();
    const marker = { db: this.database, open: true };
    try {
      const stores = this.stores({ db: this.database, txn, principal, clock: this.clock });
      const result = await openTransactions.run([...outer, marker], () => fn(stores));
      txn.commit();
      return result;
    } finally {
      marker.open = false;
      txn.close();
      release();
    }
  }

  private stores(ctx: StoreContext): TransactionStores {
    return {
      // The in-memory "database" keeps the time of the clock it was given.
      clock: { now: () => Promise.resolve(ctx.clock.now()) },
      orders: new InMemoryOrderStore(ctx),
      outbox: new InMemoryOutbox(ctx),
      inbox: new InMemoryInbox(ctx),
      sagas: new InMemorySagaStore(ctx),
      idempotency: new InMemoryIdempotencyStore(ctx),
      views: new InMemoryReadModels(ctx),
      offers: new InMemoryOfferStore(ctx),
      timers: new InMemoryTimers(ctx),
      catalog: new InMemoryCatalog(ctx),
      couriers: new InMemoryCourierDirectory(ctx),
      locator: new InMemoryCourierLocator(ctx),
    };
  }
}
