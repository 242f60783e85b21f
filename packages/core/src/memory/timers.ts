import type { Timer, Timers } from "../ports/timers.js";
import { copy } from "./in-memory-database.js";
import type { StoreContext } from "./store-context.js";

/** Durable timers in memory: infrastructure rows, usable by every principal (a courier's accept cancels one). */
export class InMemoryTimers implements Timers {
  constructor(private readonly ctx: StoreContext) {}

  async schedule(timer: Timer): Promise<void> {
    const rows = this.ctx.txn.read("timers");
    if ([...rows.values()].some((t) => t.key === timer.key)) return;
    if (rows.has(timer.id)) throw new Error(`timer ${timer.id} already exists`);
    this.ctx.txn.write("timers").set(timer.id, { ...copy(timer), owner: null, leaseUntil: 0 });
  }

  async hasPending(keyPrefix: string): Promise<boolean> {
    return [...this.ctx.txn.read("timers").values()].some((t) => t.key.startsWith(keyPrefix));
  }

  async cancel(key: string): Promise<void> {
    const ids = [...this.ctx.txn.read("timers").values()].filter((t) => t.key === key).map((t) => t.id);
    if (ids.length === 0) return;
    const table = this.ctx.txn.write("timers");
    for (const id of ids) table.delete(id);
  }

  async claimDue(owner: string, now: Date, limit: number, leaseMs: number): Promise<Timer[]> {
    const at = now.getTime();
    const due = [...this.ctx.txn.read("timers").values()]
      .filter((t) => Date.parse(t.dueAt) <= at && (t.owner === null || t.leaseUntil <= at))
      .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))
      .slice(0, limit);
    if (due.length === 0) return [];
    const table = this.ctx.txn.write("timers");
    for (const t of due) table.set(t.id, { ...t, owner, leaseUntil: at + leaseMs });
    return due.map(({ id, kind, key, dueAt, payload }) => copy({ id, kind, key, dueAt, payload }));
  }

  /** Only the current lease holder removes the timer; a poller whose lease was taken over changes nothing. */
  async complete(owner: string, timerId: string): Promise<void> {
    if (this.ctx.txn.read("timers").get(timerId)?.owner !== owner) return;
    this.ctx.txn.write("timers").delete(timerId);
  }
}
