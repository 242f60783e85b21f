import type { CloudEvent } from "../messaging/cloud-event.js";
import type { Outbox, OutboxRecord, SetAsideRecord } from "../ports/outbox.js";
import { type OutboxRow, type Tables, copy } from "./in-memory-database.js";
import type { StoreContext } from "./store-context.js";
import { isPrivileged } from "./visibility.js";

/** Appends messages to the transaction's outbox; shared with the order store. */
export function appendToOutbox(ctx: StoreContext, topic: string, messages: readonly CloudEvent[]): void {
  const rows = ctx.txn.write("outbox");
  for (const message of messages) {
    const position = ctx.db.nextval("outboxPosition");
    rows.set(position, { position, topic, key: message.subject ?? message.id, message: copy(message), claimedBy: null, leaseUntil: 0 });
  }
}

const record = ({ position, topic, key, message }: OutboxRow): OutboxRecord => ({ position, topic, key, message: copy(message) });

/**
 * The transactional outbox in memory. Any principal may append (a customer's order writes events); only
 * admin and system read it, so claims by others see nothing, like a row-level policy would.
 */
export class InMemoryOutbox implements Outbox {
  constructor(private readonly ctx: StoreContext) {}

  async append(topic: string, messages: readonly CloudEvent[]): Promise<void> {
    appendToOutbox(this.ctx, topic, messages);
  }

  async claim(relayId: string, limit: number, leaseMs: number, options: { readonly keys?: readonly string[] } = {}): Promise<OutboxRecord[]> {
    if (!isPrivileged(this.ctx.principal)) return [];
    const now = this.ctx.clock.now().getTime();
    const rows = this.rows();
    // A key with any record under a live lease is held: nobody (not even the holder) gets more of it,
    // so a key's records are never in flight in two batches at once. A set-aside record holds what follows it.
    const leased = new Set(rows.filter((r) => r.claimedBy !== null && r.leaseUntil > now).map((r) => r.key));
    const firstSetAside = new Map<string, number>();
    for (const row of rows) if (row.setAside !== undefined && !firstSetAside.has(row.key)) firstSetAside.set(row.key, row.position);
    const wanted = options.keys === undefined ? null : new Set(options.keys);
    const claimed = rows
      .filter((r) => !leased.has(r.key) && r.position < (firstSetAside.get(r.key) ?? Infinity) && (wanted === null || wanted.has(r.key)))
      .slice(0, limit);
    if (claimed.length === 0) return [];
    const table = this.ctx.txn.write("outbox");
    for (const row of claimed) table.set(row.position, { ...row, claimedBy: relayId, leaseUntil: now + leaseMs });
    return claimed.map(record);
  }

  async markSent(relayId: string, positions: readonly number[]): Promise<void> {
    this.forHeld(relayId, positions, (table, row) => table.delete(row.position));
  }

  async release(relayId: string, positions: readonly number[]): Promise<void> {
    this.forHeld(relayId, positions, (table, row) => table.set(row.position, { ...row, claimedBy: null, leaseUntil: 0 }));
  }

  async setAside(relayId: string, position: number, reason: string): Promise<void> {
    const at = this.ctx.clock.now().toISOString();
    this.forHeld(relayId, [position], (table, row) => table.set(row.position, { ...row, claimedBy: null, leaseUntil: 0, setAside: { reason, at } }));
  }

  async setAsideRecords(options: { readonly limit?: number } = {}): Promise<SetAsideRecord[]> {
    if (!isPrivileged(this.ctx.principal)) return [];
    return this.rows()
      .flatMap((row) => (row.setAside === undefined ? [] : [{ ...record(row), reason: row.setAside.reason, setAsideAt: row.setAside.at }]))
      .slice(0, options.limit ?? 100);
  }

  async restore(position: number): Promise<boolean> {
    if (!isPrivileged(this.ctx.principal)) return false;
    const row = this.ctx.txn.read("outbox").get(position);
    if (row?.setAside === undefined) return false;
    const { setAside: _reason, ...inLine } = row;
    this.ctx.txn.write("outbox").set(position, inLine);
    return true;
  }

  async pending(): Promise<number> {
    return isPrivileged(this.ctx.principal) ? this.rows().filter((r) => r.setAside === undefined).length : 0;
  }

  private rows(): OutboxRow[] {
    return [...this.ctx.txn.read("outbox").values()].sort((a, b) => a.position - b.position);
  }

  /** Applies `apply` to the given records this relay holds; records another relay took over are left alone. */
  private forHeld(relayId: string, positions: readonly number[], apply: (table: Tables["outbox"], row: OutboxRow) => void): void {
    if (!isPrivileged(this.ctx.principal)) return;
    const mine = positions.filter((p) => this.ctx.txn.read("outbox").get(p)?.claimedBy === relayId);
    if (mine.length === 0) return;
    const table = this.ctx.txn.write("outbox");
    for (const position of mine) {
      const row = table.get(position);
      if (row) apply(table, row);
    }
  }
}
