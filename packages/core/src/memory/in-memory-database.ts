import type { Order } from "../domain/order.js";
import type { SagaState } from "../domain/payment-saga.js";
import type { ItemStock, PortionNeed } from "../domain/menu-stock.js";
import type { RestaurantProfile } from "../domain/restaurant.js";
import type { PublishedMenu } from "../ports/catalog.js";
import type { Courier } from "../ports/couriers.js";
import type { IdempotencyRecord } from "../ports/idempotency-store.js";
import type { Offer } from "../ports/offer-store.js";
import type { OutboxRecord } from "../ports/outbox.js";
import type { OrderView } from "../ports/read-models.js";
import type { Timer } from "../ports/timers.js";

/** An outbox record with the lease of the relay holding it. */
export interface OutboxRow extends OutboxRecord {
  readonly claimedBy: string | null;
  readonly leaseUntil: number;
  /** Set when the broker refused the record for good: it waits for an admin and holds its key. */
  readonly setAside?: { readonly reason: string; readonly at: string };
}

/** A timer with the lease of the poller holding it. */
export interface TimerRow extends Timer {
  readonly owner: string | null;
  readonly leaseUntil: number;
}

/** An idempotency record with the principal that wrote it (its row-level owner). */
export interface IdempotencyRow extends IdempotencyRecord {
  readonly ownerId: string;
}

/** Every table of the in-memory database, keyed by primary key. Rows are immutable; writes replace them. */
export interface Tables {
  readonly orders: Map<string, Order>;
  readonly outbox: Map<number, OutboxRow>;
  readonly inbox: Map<string, true>;
  readonly sagas: Map<string, SagaState>;
  readonly idempotency: Map<string, IdempotencyRow>;
  readonly views: Map<string, OrderView>;
  readonly offers: Map<string, Offer>;
  readonly timers: Map<string, TimerRow>;
  readonly restaurants: Map<string, RestaurantProfile>;
  /** Per restaurant: every published version (oldest first) and the stock revision of the current one. */
  readonly menus: Map<string, { readonly versions: readonly PublishedMenu[]; readonly revision: number }>;
  /** Keyed by `stockKey(restaurantId, itemId)`. */
  readonly stock: Map<string, ItemStock & { readonly restaurantId: string }>;
  /** Portions reserved by each order (limited items only). */
  readonly reservations: Map<string, { readonly restaurantId: string; readonly customerId: string; readonly needs: readonly PortionNeed[] }>;
  readonly couriers: Map<string, Courier>;
}

export type TableName = keyof Tables;

const emptyTables = (): Tables => ({
  orders: new Map(),
  outbox: new Map(),
  inbox: new Map(),
  sagas: new Map(),
  idempotency: new Map(),
  views: new Map(),
  offers: new Map(),
  timers: new Map(),
  restaurants: new Map(),
  menus: new Map(),
  stock: new Map(),
  reservations: new Map(),
  couriers: new Map(),
});

/** A deep copy, so callers never share a stored row (as if it had gone through a database). */
export const copy = <T>(value: T): T => structuredClone(value);

/**
 * The state behind InMemoryUnitOfWork: committed tables, sequences and the lock that runs transactions
 * one at a time. Share one instance between unit-of-work instances that must see the same data.
 */
export class InMemoryDatabase {
  private committed: Tables = emptyTables();
  private tail: Promise<void> = Promise.resolve();
  private sequences = { outboxPosition: 0, offerToken: 0 };
  private readonly viewWatchers = new Set<(updated: readonly OrderView[]) => void>();

  /**
   * Calls `watcher` after each commit that replaced stored views, with the new views (a first save is not an
   * update, as on Postgres, whose trigger fires on UPDATE only). Returns the function that stops it.
   */
  watchViewUpdates(watcher: (updated: readonly OrderView[]) => void): () => void {
    this.viewWatchers.add(watcher);
    return () => this.viewWatchers.delete(watcher);
  }

  /** Next value of a sequence. Like a Postgres sequence it is not rolled back with the transaction. */
  nextval(sequence: "outboxPosition" | "offerToken"): number {
    this.sequences[sequence] += 1;
    return this.sequences[sequence];
  }

  /** Waits for the previous transaction to finish, then hands out the lock; call the result to release it. */
  async lock(): Promise<() => void> {
    let release!: () => void;
    const previous = this.tail;
    this.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    return release;
  }

  /** Starts a transaction over the committed state; only the lock holder may call it. */
  begin(): Transaction {
    return new Transaction(() => this.committed, (tables) => {
      const before = this.committed.views;
      this.committed = tables;
      if (tables.views === before || this.viewWatchers.size === 0) return;
      // Rows are immutable, so a replaced view is a different object under an id that was already there.
      const updated = [...tables.views].filter(([id, view]) => before.has(id) && before.get(id) !== view).map(([, view]) => view);
      if (updated.length > 0) for (const watcher of this.viewWatchers) watcher(updated);
    });
  }
}

/**
 * One transaction's view of the tables: reads see committed rows plus its own writes; the first write to a
 * table copies that table (copy-on-write), and `commit` swaps the copies in. Dropping it is the rollback.
 */
export class Transaction {
  private readonly staged: Partial<Record<TableName, Map<unknown, unknown>>> = {};
  private finished = false;

  constructor(
    private readonly base: () => Tables,
    private readonly publish: (tables: Tables) => void,
  ) {}

  read<K extends TableName>(table: K): Tables[K] {
    this.assertOpen();
    return (this.staged[table] ?? this.base()[table]) as Tables[K];
  }

  write<K extends TableName>(table: K): Tables[K] {
    this.assertOpen();
    const staged = this.staged[table] ?? new Map(this.base()[table] as Map<unknown, unknown>);
    this.staged[table] = staged;
    return staged as Tables[K];
  }

  commit(): void {
    this.assertOpen();
    this.publish({ ...this.base(), ...this.staged } as Tables);
    this.finished = true;
  }

  /** Ends the transaction; any use of its stores afterwards throws. */
  close(): void {
    this.finished = true;
  }

  private assertOpen(): void {
    if (this.finished) throw new Error("in-memory transaction already finished: stores are only usable inside run()");
  }
}
