/**
 * Which order views one committed transaction changed: their ids and their restaurants' ids, or `everything` when
 * the feed cannot say (the list did not fit one notification).
 */
export type ViewChange =
  | { readonly kind: "views"; readonly orderIds: readonly string[]; readonly restaurantIds: readonly string[] }
  | { readonly kind: "everything" };

/**
 * Announces committed changes of stored order views, so live streams read when something changed instead of
 * polling every view on a timer. Every update of a stored view is announced after its transaction commits (the
 * first save of a view, at placement, is not: nobody can be watching an order before it exists, and placement stays
 * free of the cost of a notifying commit).
 *
 * Best effort: an announcement can be lost (the feed's connection dropped and reopened), so a reader keeps a slow
 * safety poll, with `revisions` as its one read for all the views it watches.
 */
export interface ViewChangeFeed {
  /**
   * Calls `onChange` for each announced change committed after the returned promise resolves, until the stop
   * function it resolves to runs. `onChange` must not throw.
   */
  subscribe(onChange: (change: ViewChange) => void): Promise<() => Promise<void>>;
  /** The stored revision of each of these views that exists, in one read (whoever may see them). */
  revisions(orderIds: readonly string[]): Promise<ReadonlyMap<string, number>>;
}
