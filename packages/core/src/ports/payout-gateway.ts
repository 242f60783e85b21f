import type { PayoutParty } from "../domain/events.js";
import type { Money } from "../domain/money.js";

/**
 * Pays restaurants and couriers, and claws a payout back. Same idempotency rules as PaymentGateway:
 * one key, one movement, the same answer every time.
 */
export interface PayoutGateway {
  payout(request: {
    idempotencyKey: string;
    orderId: string;
    party: PayoutParty;
    partyId: string;
    amount: Money;
    /** Aborts a call the caller gave up on (timeout), as for PaymentGateway. */
    signal?: AbortSignal;
  }): Promise<{ readonly payoutId: string }>;

  clawback(request: {
    idempotencyKey: string;
    orderId: string;
    party: PayoutParty;
    partyId: string;
    amount: Money;
    signal?: AbortSignal;
  }): Promise<{ readonly clawbackId: string }>;
}
