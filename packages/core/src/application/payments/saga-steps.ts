import type { SagaCommand, SagaOutcomeInput } from "../../domain/payment-saga.js";
import { isTransient } from "../../ports/infrastructure.errors.js";
import type { PaymentGateway } from "../../ports/payment-gateway.js";
import type { PayoutGateway } from "../../ports/payout-gateway.js";
import type { GatewayPipeline } from "./resilience.js";

/** A saga command that moves money (everything but cancel_order). */
export type MoneyCommand = Exclude<SagaCommand, { type: "cancel_order" }>;

export const isMoneyCommand = (command: SagaCommand): command is MoneyCommand => command.type !== "cancel_order";

export interface StepGateways {
  readonly payments: PaymentGateway;
  readonly payouts: PayoutGateway;
  readonly paymentPipeline: GatewayPipeline;
  readonly payoutPipeline: GatewayPipeline;
}

const describeError = (error: unknown): string => {
  const code = typeof error === "object" && error !== null && "code" in error ? `${String(error.code)}: ` : "";
  return `${code}${error instanceof Error ? error.message : String(error)}`;
};

const hasCode = (error: unknown): boolean =>
  typeof error === "object" && error !== null && typeof (error as { code?: unknown }).code === "string";

/**
 * Runs one money command through its gateway's pipeline, with the step's idempotency key, and says what came
 * of it. Transient faults that outlast the retries (or an open circuit) leave the step `stalled`, in flight for
 * the recovery sweep; so does any error that does not say it is permanent (isTransient), since retrying the same
 * key is always safe while giving up on a step that may have moved money is not. A coded non-transient fault
 * (InfrastructureError with `transient: false`) fails the step, marked `uncertain` when an earlier attempt of this
 * call went unanswered (the saga then keeps the step in flight rather than conclude that no money moved). An uncoded error marked `transient: false` (a dying process) is thrown, nothing is recorded, and the
 * step stays in flight to be re-issued with the same key.
 */
export async function runStep(command: MoneyCommand, gateways: StepGateways, at: () => string): Promise<SagaOutcomeInput> {
  const { step, idempotencyKey, orderId, amount } = command;
  const succeeded = (reference: string): SagaOutcomeInput => ({ type: "step.succeeded", step, reference, at: at() });
  // The pipeline retries only unanswered (transient) attempts, so more than one call means one may have moved money.
  let calls = 0;
  const call = <T>(pipeline: GatewayPipeline, send: (signal: AbortSignal) => Promise<T>): Promise<T> =>
    pipeline.execute(({ signal }) => {
      calls += 1;
      return send(signal);
    });
  try {
    switch (command.type) {
      case "charge": {
        const { customerId } = command;
        const outcome = await call(gateways.paymentPipeline, (signal) =>
          gateways.payments.charge({ idempotencyKey, orderId, customerId, amount, signal }),
        );
        return outcome.status === "captured"
          ? succeeded(outcome.paymentId)
          : { type: "step.declined", step: "charge", reason: outcome.reason, at: at() };
      }
      case "refund": {
        const { refundId } = await call(gateways.paymentPipeline, (signal) => gateways.payments.refund({ idempotencyKey, orderId, amount, signal }));
        return succeeded(refundId);
      }
      case "payout": {
        const { party, partyId } = command;
        const { payoutId } = await call(gateways.payoutPipeline, (signal) =>
          gateways.payouts.payout({ idempotencyKey, orderId, party, partyId, amount, signal }),
        );
        return succeeded(payoutId);
      }
      case "clawback": {
        const { party, partyId } = command;
        const { clawbackId } = await call(gateways.payoutPipeline, (signal) =>
          gateways.payouts.clawback({ idempotencyKey, orderId, party, partyId, amount, signal }),
        );
        return succeeded(clawbackId);
      }
    }
  } catch (error) {
    if (isTransient(error)) return { type: "step.stalled", step, error: describeError(error), at: at() };
    if (hasCode(error)) return { type: "step.failed", step, error: describeError(error), at: at(), uncertain: calls > 1 };
    throw error;
  }
}
