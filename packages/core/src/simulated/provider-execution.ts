import { isDeepStrictEqual } from "node:util";
import type { Clock } from "../ports/clock.js";
import { InfrastructureError, InfrastructureErrorCode } from "../ports/infrastructure.errors.js";
import type { LedgerEntry } from "../ports/payment-gateway.js";
import type { ProviderOutcome, ProviderRecord, ProviderRequest, ProviderStore } from "./provider-store.js";

/** What a simulated request does when it runs for the first time under its key. */
export type Execution = (at: string) => Promise<{ outcome: ProviderOutcome; entry: LedgerEntry | null }>;

/**
 * Runs `execute` at most once per idempotency key, Stripe-style: a key seen before answers its stored outcome
 * without running again, and of two concurrent first calls only one record is kept and both answer it. A key
 * reused with any other parameter (operation, order, amount, customer or payee) is refused permanently, as a
 * real provider refuses it, so a caller that changed a request under an old key learns it rather than getting
 * the old request's answer.
 */
export async function executeOnce(
  store: ProviderStore,
  clock: Clock,
  idempotencyKey: string,
  request: ProviderRequest,
  execute: Execution,
): Promise<ProviderOutcome> {
  const seen = await store.get(idempotencyKey);
  if (seen !== null) return sameRequest(seen, idempotencyKey, request).outcome;
  const at = clock.now().toISOString();
  const { outcome, entry } = await execute(at);
  const stored = await store.putIfAbsent({ idempotencyKey, orderId: request.orderId, request, outcome, entry, at });
  return sameRequest(stored, idempotencyKey, request).outcome;
}

/** The parameters of a call, without the absent ones (a stored record has no undefined properties to compare). */
export function providerRequest(request: ProviderRequest): ProviderRequest {
  const { operation, orderId, amount, party, partyId } = request;
  return {
    operation,
    orderId,
    amount: { amount: amount.amount, currency: amount.currency },
    ...(party === undefined ? {} : { party }),
    ...(partyId === undefined ? {} : { partyId }),
  };
}

/** The record, if it was made by a call with exactly these parameters. */
function sameRequest(record: ProviderRecord, idempotencyKey: string, request: ProviderRequest): ProviderRecord {
  const same = record.request !== undefined ? isDeepStrictEqual(record.request, request) : sameLegacyRequest(record, request);
  if (same) return record;
  throw new InfrastructureError(
    InfrastructureErrorCode.Unexpected,
    `simulated provider: idempotency key ${idempotencyKey} was used with other parameters`,
    { transient: false },
  );
}

/** A record stored before calls were kept: its order and moved amount are all there is to compare. */
function sameLegacyRequest(record: ProviderRecord, request: ProviderRequest): boolean {
  const amount = record.entry?.amount;
  return (
    record.orderId === request.orderId &&
    (amount === undefined || (amount.amount === request.amount.amount && amount.currency === request.amount.currency))
  );
}

/** The system clock, so core needs no adapter for a default. */
export const wallClock: Clock = { now: () => new Date() };
