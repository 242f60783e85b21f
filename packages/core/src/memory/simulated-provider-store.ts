import type { LedgerEntry } from "../ports/payment-gateway.js";
import type { ProviderRecord, ProviderStore } from "../simulated/provider-store.js";

/**
 * The simulated providers' memory in process: durable only as long as this object lives, so tests that
 * "restart" Tiffin keep the same instance, as a real provider outlives the process that calls it.
 */
export class InMemoryProviderStore implements ProviderStore {
  private readonly records = new Map<string, ProviderRecord>();

  putIfAbsent(record: ProviderRecord): Promise<ProviderRecord> {
    const existing = this.records.get(record.idempotencyKey);
    if (existing !== undefined) return Promise.resolve(existing);
    this.records.set(record.idempotencyKey, record);
    return Promise.resolve(record);
  }

  get(idempotencyKey: string): Promise<ProviderRecord | null> {
    return Promise.resolve(this.records.get(idempotencyKey) ?? null);
  }

  entries(orderId: string): Promise<LedgerEntry[]> {
    const entries: LedgerEntry[] = [];
    for (const record of this.records.values()) {
      if (record.orderId === orderId && record.entry !== null) entries.push(record.entry);
    }
    return Promise.resolve(entries);
  }
}
