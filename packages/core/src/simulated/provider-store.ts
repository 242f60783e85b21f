import type { Money } from "../domain/money.js";
import type { LedgerEntry } from "../ports/payment-gateway.js";

/** What the provider answered to a request it executed; replayed for every later request with the same key. */
export type ProviderOutcome =
  | { readonly status: "succeeded"; readonly reference: string }
  | { readonly status: "declined"; readonly reason: string };

/** The parameters of one provider call, compared in full when its idempotency key is used again. */
export interface ProviderRequest {
  readonly operation: LedgerEntry["kind"];
  readonly orderId: string;
  readonly amount: Money;
  /** Who pays or is paid: the customer of a charge, the payee of a payout or clawback; a refund names no one. */
  readonly party?: LedgerEntry["party"];
  readonly partyId?: string;
}

/** One executed request of the simulated payment or payout provider. */
export interface ProviderRecord {
  readonly idempotencyKey: string;
  readonly orderId: string;
  /** The call that made it; absent on records stored before calls were kept, which compare order and amount only. */
  readonly request?: ProviderRequest;
  readonly outcome: ProviderOutcome;
  /** The money it moved, or null when it moved none (a decline). */
  readonly entry: LedgerEntry | null;
  /** When it was executed, as an ISO 8601 string (`Date.toISOString()` form). */
  readonly at: string;
}

/**
 * The simulated providers' own durable memory: idempotency keys with their outcomes, and the ledger. It lives
 * apart from Tiffin's saga tables (a real provider's memory does not roll back with Tiffin's transactions), so
 * a crash of Tiffin never makes the provider forget a movement.
 */
export interface ProviderStore {
  /**
   * Stores `record` unless a record with its idempotency key exists, and returns the stored record either way:
   * the first writer wins, and concurrent calls with one key (from any number of processes) all get the same
   * winner. A record and its ledger entry are written atomically.
   */
  putIfAbsent(record: ProviderRecord): Promise<ProviderRecord>;

  /** The record of an idempotency key, or null when none was executed. */
  get(idempotencyKey: string): Promise<ProviderRecord | null>;

  /** The ledger entries of one order, in the order they were recorded. */
  entries(orderId: string): Promise<LedgerEntry[]>;
}
