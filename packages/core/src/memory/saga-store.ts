import type { SagaState, SagaStatus } from "../domain/payment-saga.js";
import { type SagaStore, SagaVersionConflictError } from "../ports/saga-store.js";
import { copy } from "./in-memory-database.js";
import type { StoreContext } from "./store-context.js";
import { checkWrite, isPrivileged } from "./visibility.js";

const byUpdated = (a: SagaState, b: SagaState): number => Date.parse(a.updatedAt) - Date.parse(b.updatedAt);

/** Payment sagas in memory; only admin and system see them. */
export class InMemorySagaStore implements SagaStore {
  constructor(private readonly ctx: StoreContext) {}

  async load(orderId: string): Promise<SagaState | null> {
    const saga = this.rows().get(orderId);
    return saga ? copy(saga) : null;
  }

  async save(state: SagaState): Promise<void> {
    checkWrite(isPrivileged(this.ctx.principal), "sagas", this.ctx.principal);
    const stored = this.rows().get(state.orderId);
    const fits = stored ? stored.version === state.version - 1 : state.version === 1;
    if (!fits) throw new SagaVersionConflictError(state.orderId, state.version - 1);
    this.ctx.txn.write("sagas").set(state.orderId, copy(state));
  }

  async list(filter: { status?: SagaStatus; limit: number }): Promise<SagaState[]> {
    return [...this.rows().values()]
      .filter((s) => filter.status === undefined || s.status === filter.status)
      .sort((a, b) => byUpdated(b, a))
      .slice(0, filter.limit)
      .map(copy);
  }

  async stalled(olderThan: Date, limit: number): Promise<SagaState[]> {
    const cutoff = olderThan.getTime();
    return [...this.rows().values()]
      .filter((s) => (s.status === "running" || s.status === "compensating") && s.step !== null)
      .filter((s) => Date.parse(s.updatedAt) < cutoff)
      .sort(byUpdated)
      .slice(0, limit)
      .map(copy);
  }

  async idle(olderThan: Date, limit: number, afterOrderId = ""): Promise<SagaState[]> {
    const cutoff = olderThan.getTime();
    return [...this.rows().values()]
      .filter((s) => s.status === "running" && s.step === null && Date.parse(s.updatedAt) < cutoff && s.orderId > afterOrderId)
      .sort((a, b) => (a.orderId < b.orderId ? -1 : 1))
      .slice(0, limit)
      .map(copy);
  }

  private rows(): ReadonlyMap<string, SagaState> {
    return isPrivileged(this.ctx.principal) ? this.ctx.txn.read("sagas") : new Map();
  }
}
