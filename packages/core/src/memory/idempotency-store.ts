import type { IdempotencyClaim, IdempotencyRecord, IdempotencyStore } from "../ports/idempotency-store.js";
import { copy } from "./in-memory-database.js";
import type { StoreContext } from "./store-context.js";
import { canSeeIdempotency } from "./visibility.js";

/**
 * Idempotency keys in memory. Transactions run one at a time, so of concurrent claims the first commits
 * and the later ones see its record. A record belongs to the principal that claimed it.
 */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  constructor(private readonly ctx: StoreContext) {}

  async claim(record: IdempotencyRecord): Promise<IdempotencyClaim> {
    const key = JSON.stringify([record.scope, record.key]);
    const existing = this.ctx.txn.read("idempotency").get(key);
    if (existing) {
      // Another principal's key under the same scope cannot be read back: as a unique violation would, fail loudly.
      if (!canSeeIdempotency(this.ctx.principal, existing)) throw new Error(`idempotency key ${record.key} is taken in scope ${record.scope}`);
      const { ownerId: _owner, ...stored } = existing;
      return { outcome: "existing", record: copy(stored) };
    }
    this.ctx.txn.write("idempotency").set(key, { ...copy(record), ownerId: this.ctx.principal.id });
    return { outcome: "claimed" };
  }
}
