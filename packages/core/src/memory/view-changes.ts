import type { ViewChange, ViewChangeFeed } from "../ports/view-changes.js";
import { SYSTEM_PRINCIPAL } from "../ports/principal.js";
import type { InMemoryDatabase } from "./in-memory-database.js";
import { InMemoryUnitOfWork } from "./in-memory-unit-of-work.js";

/** The view change feed of an in-memory database: every commit that updated views is announced, none is lost. */
export class InMemoryViewChanges implements ViewChangeFeed {
  constructor(private readonly database: InMemoryDatabase) {}

  async subscribe(onChange: (change: ViewChange) => void): Promise<() => Promise<void>> {
    const stop = this.database.watchViewUpdates((updated) => {
      const change: ViewChange = {
        kind: "views",
        orderIds: updated.map((view) => view.id),
        restaurantIds: [...new Set(updated.map((view) => view.restaurantId))],
      };
      // After the committing run() has returned, so a reader may open its own transaction at once.
      setImmediate(() => onChange(change));
    });
    return async () => void stop();
  }

  async revisions(orderIds: readonly string[]): Promise<ReadonlyMap<string, number>> {
    const uow = new InMemoryUnitOfWork({ database: this.database });
    return uow.run(SYSTEM_PRINCIPAL, async (tx) => {
      const found = new Map<string, number>();
      for (const id of orderIds) {
        const view = await tx.views.getView(id);
        if (view !== null) found.set(id, view.revision);
      }
      return found;
    });
  }
}
