import { randomUUID } from "node:crypto";
import type { Clock, IdGenerator } from "../ports/clock.js";
import type { LedgerEntry } from "../ports/payment-gateway.js";
import type { PayoutGateway } from "../ports/payout-gateway.js";
import { executeOnce, providerRequest, wallClock } from "./provider-execution.js";
import { type SimulatedFault, type SimulatedFaultRates, SimulatedFaults } from "./simulated-faults.js";
import { type SimulatedGatewayDeps, referenceOf, rejected } from "./simulated-payment-gateway.js";

/** Behaviour switches of the simulated payout provider: the same random faults as the payment provider's. */
export type SimulatedPayoutConfig = SimulatedFaultRates;

type PayoutRequest = Parameters<PayoutGateway["payout"]>[0];

/** Pays restaurants and couriers like a real provider: one key, one movement, the same answer every time. */
export class SimulatedPayoutGateway implements PayoutGateway {
  private readonly faults: SimulatedFaults;
  private readonly clock: Clock;
  private readonly ids: IdGenerator;

  constructor(
    config: SimulatedPayoutConfig,
    private readonly deps: SimulatedGatewayDeps,
  ) {
    this.faults = new SimulatedFaults(config, deps.random ?? Math.random);
    this.clock = deps.clock ?? wallClock;
    this.ids = deps.ids ?? { next: () => randomUUID() };
  }

  /** Makes calls of `operation` (optionally for one party only) fail or hang (see SimulatedFault). */
  inject(operation: "payout" | "clawback", fault: SimulatedFault): void {
    this.faults.inject(operation, fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  async payout(request: PayoutRequest): Promise<{ readonly payoutId: string }> {
    const outcome = await this.faults.around("payout", request.party, request.signal, () =>
      executeOnce(this.deps.store, this.clock, request.idempotencyKey, call("payout", request), async (at) => ({
        outcome: { status: "succeeded", reference: `po_${this.ids.next()}` },
        entry: this.entry("payout", request, at),
      })),
    );
    return { payoutId: referenceOf(outcome, request.idempotencyKey) };
  }

  async clawback(request: PayoutRequest): Promise<{ readonly clawbackId: string }> {
    const outcome = await this.faults.around("clawback", request.party, request.signal, () => executeOnce(this.deps.store, this.clock, request.idempotencyKey, call("clawback", request), async (at) => {
      const paid = (await this.deps.store.entries(request.orderId)).some(
        (e) => e.kind === "payout" && e.party === request.party && e.partyId === request.partyId,
      );
      if (!paid) throw rejected(`no ${request.party} payout to claw back for order ${request.orderId}`);
      return { outcome: { status: "succeeded", reference: `cb_${this.ids.next()}` }, entry: this.entry("clawback", request, at) };
    }));
    return { clawbackId: referenceOf(outcome, request.idempotencyKey) };
  }

  private entry(kind: "payout" | "clawback", request: PayoutRequest, at: string): LedgerEntry {
    const { party, partyId, orderId, amount, idempotencyKey } = request;
    return { kind, party, partyId, orderId, amount, idempotencyKey, at };
  }
}

const call = (operation: "payout" | "clawback", { orderId, amount, party, partyId }: PayoutRequest) =>
  providerRequest({ operation, orderId, amount, party, partyId });
