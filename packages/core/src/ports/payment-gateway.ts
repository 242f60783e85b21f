import type { Money } from "../domain/money.js";

export type ChargeOutcome =
  | { readonly status: "captured"; readonly paymentId: string }
  | { readonly status: "declined"; readonly reason: string };

/**
 * The card processor. Every call carries an idempotency key and behaves like Stripe's: the same key always
 * yields the same outcome and never moves money twice. Faults are thrown as InfrastructureError, `transient`
 * telling whether the same call may be retried.
 */
export interface PaymentGateway {
  /**
   * Charges the customer; a decline is an outcome, not an error. `signal` (optional) aborts a call the caller
   * gave up on (timeout); an aborted call may still have moved money, which the same key then answers.
   */
  charge(request: {
    idempotencyKey: string;
    orderId: string;
    customerId: string;
    amount: Money;
    signal?: AbortSignal;
  }): Promise<ChargeOutcome>;

  /** Refunds a captured charge in full. */
  refund(request: { idempotencyKey: string; orderId: string; amount: Money; signal?: AbortSignal }): Promise<{ readonly refundId: string }>;
}

/** A money movement as the provider recorded it (admin API, tests). */
export interface LedgerEntry {
  readonly kind: "charge" | "refund" | "payout" | "clawback";
  readonly party: "customer" | "restaurant" | "courier";
  readonly partyId: string;
  readonly orderId: string;
  /** Positive: money moved in the direction `kind` names. */
  readonly amount: Money;
  readonly idempotencyKey: string;
  readonly at: string;
}

/** Reads the providers' own record of money movements. */
export interface PaymentLedger {
  entries(orderId: string): Promise<LedgerEntry[]>;
}
