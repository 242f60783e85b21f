import { randomUUID } from "node:crypto";
import type { Clock, IdGenerator } from "../ports/clock.js";
import { InfrastructureError, InfrastructureErrorCode } from "../ports/infrastructure.errors.js";
import type { ChargeOutcome, LedgerEntry, PaymentGateway, PaymentLedger } from "../ports/payment-gateway.js";
import { executeOnce, providerRequest, wallClock } from "./provider-execution.js";
import type { ProviderOutcome, ProviderStore } from "./provider-store.js";
import { type SimulatedFault, type SimulatedFaultRates, SimulatedFaults } from "./simulated-faults.js";

/** Behaviour switches of the simulated payment provider; every one defaults to "behave". */
export interface SimulatedPaymentConfig extends SimulatedFaultRates {
  /**
   * Probability (0..1) that a charge is declined (TIFFIN_PAYMENT_DECLINE_RATE): a business refusal, answered and
   * remembered under its key like any decline, so a retry gets the same answer. Default 0.
   */
  readonly declineRate?: number;
  /** Customers whose cards are always declined. */
  readonly declineCustomerIds?: readonly string[];
  /** Charges above this many minor units are declined. */
  readonly declineAmountOver?: number;
}

export interface SimulatedGatewayDeps {
  /** Where keys and the ledger live; share one store between the payment and payout gateways. */
  readonly store: ProviderStore;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  /** Source of randomness for the rates (default Math.random). */
  readonly random?: () => number;
}

const randomIds: IdGenerator = { next: () => randomUUID() };

/**
 * A card processor that behaves like Stripe: one idempotency key, one movement and the same answer every time,
 * kept in a ProviderStore that outlives Tiffin's transactions. It also reads that ledger (PaymentLedger).
 */
export class SimulatedPaymentGateway implements PaymentGateway, PaymentLedger {
  private readonly faults: SimulatedFaults;
  private readonly declined: Set<string>;
  private readonly clock: Clock;
  private readonly ids: IdGenerator;
  private readonly random: () => number;

  constructor(
    private readonly config: SimulatedPaymentConfig,
    private readonly deps: SimulatedGatewayDeps,
  ) {
    this.random = deps.random ?? Math.random;
    this.faults = new SimulatedFaults(config, this.random);
    const declineRate = config.declineRate ?? 0;
    if (!(Number.isFinite(declineRate) && declineRate >= 0 && declineRate <= 1)) {
      throw new InfrastructureError(InfrastructureErrorCode.Misconfigured, `simulated gateway declineRate (TIFFIN_PAYMENT_DECLINE_RATE) must be a number in 0..1, got ${declineRate}`, { transient: false });
    }
    this.declined = new Set(config.declineCustomerIds ?? []);
    this.clock = deps.clock ?? wallClock;
    this.ids = deps.ids ?? randomIds;
  }

  /** Makes calls of `operation` fail or hang (see SimulatedFault). */
  inject(operation: "charge" | "refund", fault: SimulatedFault): void {
    this.faults.inject(operation, fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Declines every later charge of this customer (keys already answered keep their answer). */
  declineCustomer(customerId: string): void {
    this.declined.add(customerId);
  }

  async charge(request: Parameters<PaymentGateway["charge"]>[0]): Promise<ChargeOutcome> {
    const { idempotencyKey, orderId, customerId, amount } = request;
    const call = providerRequest({ operation: "charge", orderId, amount, party: "customer", partyId: customerId });
    const outcome = await this.faults.around("charge", undefined, request.signal, () => executeOnce(this.deps.store, this.clock, idempotencyKey, call, async (at) => {
      const over = this.config.declineAmountOver;
      const declineRate = this.config.declineRate ?? 0;
      if (this.declined.has(request.customerId) || (over !== undefined && request.amount.amount > over) || (declineRate > 0 && this.random() < declineRate)) {
        return { outcome: { status: "declined", reason: "card_declined" }, entry: null };
      }
      const entry: LedgerEntry = {
        kind: "charge",
        party: "customer",
        partyId: request.customerId,
        orderId: request.orderId,
        amount: request.amount,
        idempotencyKey: request.idempotencyKey,
        at,
      };
      return { outcome: { status: "succeeded", reference: `ch_${this.ids.next()}` }, entry };
    }));
    return outcome.status === "succeeded"
      ? { status: "captured", paymentId: outcome.reference }
      : { status: "declined", reason: outcome.reason };
  }

  async refund(request: Parameters<PaymentGateway["refund"]>[0]): Promise<{ readonly refundId: string }> {
    const call = providerRequest({ operation: "refund", orderId: request.orderId, amount: request.amount });
    const outcome = await this.faults.around("refund", undefined, request.signal, () => executeOnce(this.deps.store, this.clock, request.idempotencyKey, call, async (at) => {
      const charge = (await this.deps.store.entries(request.orderId)).find((e) => e.kind === "charge");
      if (charge === undefined) throw rejected(`no captured charge to refund for order ${request.orderId}`);
      const entry: LedgerEntry = { ...charge, kind: "refund", amount: request.amount, idempotencyKey: request.idempotencyKey, at };
      return { outcome: { status: "succeeded", reference: `re_${this.ids.next()}` }, entry };
    }));
    return { refundId: referenceOf(outcome, request.idempotencyKey) };
  }

  entries(orderId: string): Promise<LedgerEntry[]> {
    return this.deps.store.entries(orderId);
  }
}

/** A permanent provider refusal: nothing was recorded, so the same request can never succeed by retrying. */
export const rejected = (message: string): InfrastructureError =>
  new InfrastructureError(InfrastructureErrorCode.Unexpected, `simulated provider: ${message}`, { transient: false });

/** The reference of a successful outcome; a key answered otherwise was reused for another kind of request. */
export function referenceOf(outcome: ProviderOutcome, key: string): string {
  if (outcome.status !== "succeeded") throw rejected(`idempotency key ${key} was used for a declined charge`);
  return outcome.reference;
}
