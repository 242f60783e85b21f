import type { Logger, ViewChange, ViewChangeFeed } from "@tiffin/core";

/** A stream's way to read again what it shows (see `openEventStream`: calls during a read coalesce into one more). */
export type Refresh = () => void;

/** One order stream's registration. */
export interface OrderWatch {
  /**
   * Set while the stream shows something the stored view does not hold (the carrying courier's live position), so
   * the safety poll refreshes it every time, changed revision or not.
   */
  live: boolean;
  close(): void;
}

interface OrderWatcher extends OrderWatch {
  readonly refresh: Refresh;
}

/**
 * Tells this process's open streams when what they show may have changed, with no query per stream per tick:
 * the view change feed's announcements are fanned out to the streams watching those orders or restaurants, and
 * each of those reads once, as its own principal (so visibility stays the query's rule). A slow safety poll covers
 * an announcement lost while the feed reconnects: one read of the revisions of every watched order, then a read by
 * the streams whose order changed (and the live ones), and every board stream reads.
 *
 * Without a feed (an embedder's API with none) the poll is all there is, and every stream reads at each poll.
 */
export class ChangeFanOut {
  private readonly orders = new Map<string, Set<OrderWatcher>>();
  private readonly restaurants = new Map<string, Set<Refresh>>();
  /** Each watched order's revision at the last safety poll. */
  private readonly known = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => Promise<void>) | undefined;
  private retry: NodeJS.Timeout | undefined;
  private polling = false;
  private stopped = false;
  /** Bumped by every announcement and every safety poll round: what a read shared by `shareRead` must postdate. */
  private generation = 0;
  private readonly reads = new Map<string, { readonly generation: number; readonly pending: Promise<unknown> }>();
  /**
   * How many announcements arrived so far. A route reads it before a stream's first read and passes it to `watch*`:
   * if it moved, something was announced before the stream was registered, and the stream reads again at once.
   */
  announced = 0;

  constructor(
    private readonly feed: ViewChangeFeed | undefined,
    private readonly safetyPollMs: number,
    private readonly logger: Logger,
  ) {}

  /** Subscribes to the feed (retrying at the poll's pace while it fails; the poll serves meanwhile) and starts the poll. */
  async start(): Promise<void> {
    this.timer = setInterval(() => void this.safetyPoll(), this.safetyPollMs);
    this.timer.unref();
    await this.subscribe();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.retry);
    await this.unsubscribe?.().catch(() => undefined);
  }

  watchOrder(orderId: string, refresh: Refresh, since: number): OrderWatch {
    const watchers = this.orders.get(orderId) ?? new Set<OrderWatcher>();
    this.orders.set(orderId, watchers);
    const watcher: OrderWatcher = {
      refresh,
      live: false,
      close: () => {
        watchers.delete(watcher);
        if (watchers.size === 0 && this.orders.get(orderId) === watchers) {
          this.orders.delete(orderId);
          this.known.delete(orderId);
        }
      },
    };
    watchers.add(watcher);
    if (since !== this.announced) refresh();
    return watcher;
  }

  /** Registers a stream that shows a restaurant's orders; returns the function that ends the registration. */
  watchRestaurant(restaurantId: string, refresh: Refresh, since: number): () => void {
    const watchers = this.restaurants.get(restaurantId) ?? new Set<Refresh>();
    this.restaurants.set(restaurantId, watchers);
    watchers.add(refresh);
    if (since !== this.announced) refresh();
    return () => {
      watchers.delete(refresh);
      if (watchers.size === 0 && this.restaurants.get(restaurantId) === watchers) this.restaurants.delete(restaurantId);
    };
  }

  private async subscribe(): Promise<void> {
    if (this.feed === undefined || this.stopped) return;
    try {
      const unsubscribe = await this.feed.subscribe((change) => this.fanOut(change));
      if (this.stopped) await unsubscribe();
      else this.unsubscribe = unsubscribe;
    } catch (error) {
      this.logger.warn("view change feed unavailable; streams rely on the safety poll until it is back", { err: error });
      this.retry = setTimeout(() => void this.subscribe(), this.safetyPollMs);
      this.retry.unref();
    }
  }

  /**
   * Runs `read` once for all the refreshes of one announcement (or one safety poll round) that name the same `key`:
   * the streams of one principal watching one order share one read instead of each making its own. A read started
   * for an earlier announcement is never shared with a later one's refreshes, as it may predate the change announced.
   */
  shareRead<T>(key: string, read: () => Promise<T>): Promise<T> {
    const current = this.reads.get(key);
    if (current !== undefined && current.generation === this.generation) return current.pending as Promise<T>;
    const pending = read().finally(() => {
      if (this.reads.get(key)?.pending === pending) this.reads.delete(key);
    });
    this.reads.set(key, { generation: this.generation, pending });
    return pending;
  }

  private fanOut(change: ViewChange): void {
    this.announced += 1;
    this.generation += 1;
    if (change.kind === "everything") {
      this.refreshAll();
      return;
    }
    for (const id of change.orderIds) for (const watcher of this.orders.get(id) ?? []) watcher.refresh();
    for (const id of change.restaurantIds) for (const refresh of this.restaurants.get(id) ?? []) refresh();
  }

  private refreshAll(): void {
    for (const watchers of this.orders.values()) for (const watcher of watchers) watcher.refresh();
    for (const watchers of this.restaurants.values()) for (const refresh of watchers) refresh();
  }

  private async safetyPoll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    this.generation += 1;
    try {
      if (this.feed === undefined) return this.refreshAll();
      for (const watchers of this.restaurants.values()) for (const refresh of watchers) refresh();
      const ids = [...this.orders.keys()];
      if (ids.length === 0) return;
      const revisions = await this.feed.revisions(ids);
      // Reads shared from here on start after the revisions were read, so they see what the revisions showed.
      this.generation += 1;
      for (const id of ids) {
        const revision = revisions.get(id);
        // A first sighting reads too: a change between the stream's first read and now may have gone unannounced.
        const changed = revision === undefined || this.known.get(id) !== revision;
        const watchers = this.orders.get(id);
        if (watchers === undefined) continue;
        if (revision !== undefined) this.known.set(id, revision);
        for (const watcher of watchers) if (changed || watcher.live) watcher.refresh();
      }
    } catch (error) {
      this.logger.warn("stream safety poll failed", { err: error });
    } finally {
      this.polling = false;
    }
  }
}
