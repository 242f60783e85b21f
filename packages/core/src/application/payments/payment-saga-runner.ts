import type { CancelReason, Order } from "../../domain/order.js";
import type { SagaInput, SagaOrderInput, SagaStepName } from "../../domain/payment-saga.js";
import { splitPayout } from "../../domain/payment-saga-split.js";
import { DEFAULT_PAYOUT_POLICY, type PayoutPolicy } from "../../domain/payment-saga-split.js";
import type { CloudEvent } from "../../messaging/cloud-event.js";
import { EVENT_SOURCES, SUBSCRIPTIONS } from "../../messaging/topology.js";
import type { Clock } from "../../ports/clock.js";
import { type Logger, silentLogger } from "../../ports/logger.js";
import type { PaymentGateway } from "../../ports/payment-gateway.js";
import type { PayoutGateway } from "../../ports/payout-gateway.js";
import { SYSTEM_PRINCIPAL } from "../../ports/principal.js";
import type { UnitOfWork } from "../../ports/unit-of-work.js";
import { domainEventOf } from "../../messaging/domain-event-envelope.js";
import { recordWithInbox } from "../common/consumer-shapes.js";
import { retryOnConflict, retryUntilRecorded } from "../common/transaction.js";
import { type CircuitTransition, DEFAULT_RESILIENCE, type ResilienceConfig, gatewayPipeline, validateResilience, worstCaseMs } from "./resilience.js";
import { PAYMENT_SAGA_EVENT_TYPES, sagaInputOf } from "./saga-input.js";
import { type MoneyCommand, type StepGateways, runStep } from "./saga-steps.js";
import { applySagaInput } from "./saga-transition.js";

/** Settings of the payment saga runner; every one has a default. */
export interface PaymentSagaConfig {
  /** A step in flight for longer than this is re-issued by `recover()` (default 60 s; must exceed the pipeline's worst case, checked at start). */
  readonly stalledAfterMs?: number;
  /** Sagas re-issued per `recover()` call (default 50). */
  readonly recoveryBatchSize?: number;
  /** How a delivered order's total is split (default 15% commission, 4.00 courier fee). */
  readonly payoutPolicy?: PayoutPolicy;
  readonly resilience?: Partial<ResilienceConfig>;
  /** CloudEvents `source` of the events the saga writes (default `tiffin/worker`). */
  readonly source?: string;
}

export interface PaymentSagaDeps {
  readonly uow: UnitOfWork;
  readonly payments: PaymentGateway;
  readonly payouts: PayoutGateway;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Told of each change of a gateway's circuit breaker (metrics); the runner also logs it. */
  readonly onCircuit?: (gateway: "payments" | "payouts", transition: CircuitTransition) => void;
}

const wallClock: Clock = { now: () => new Date() };

/** A fact the reconciliation sweep read from the order store, for a saga that never saw its event. */
export type OrderFact =
  | { readonly type: "order.placed"; readonly order: Order }
  | { readonly type: "order.cancelled"; readonly orderId: string; readonly reason: CancelReason; readonly foodMade: boolean }
  | { readonly type: "order.delivered"; readonly orderId: string; readonly courierId: string };

/**
 * Drives the payment saga from the `payment-saga` subscription. Each order event is applied with
 * its inbox row in one transaction, which also persists the step it starts; the gateway is called after that
 * commit and its outcome persisted in a transaction of its own, which may start the next step. A process that
 * dies in between leaves the step in flight: `recover()` re-issues it with the same idempotency key, and the
 * provider answers the movement it already made instead of making another.
 */
export class PaymentSagaRunner {
  /** The order event types to subscribe to. */
  readonly eventTypes: readonly string[] = PAYMENT_SAGA_EVENT_TYPES;
  private readonly stalledAfterMs: number;
  private readonly recoveryBatchSize: number;
  private readonly payoutPolicy: PayoutPolicy;
  private readonly gateways: StepGateways;
  private readonly clock: Clock;
  private readonly context: { readonly source: string; readonly logger: Logger };

  constructor(
    config: PaymentSagaConfig,
    private readonly deps: PaymentSagaDeps,
  ) {
    this.stalledAfterMs = config.stalledAfterMs ?? 60_000;
    this.recoveryBatchSize = config.recoveryBatchSize ?? 50;
    if (!(this.stalledAfterMs > 0)) throw new RangeError(`stalledAfterMs must be positive, got ${this.stalledAfterMs}`);
    if (!(Number.isInteger(this.recoveryBatchSize) && this.recoveryBatchSize > 0)) {
      throw new RangeError(`recoveryBatchSize must be a positive integer, got ${this.recoveryBatchSize}`);
    }
    this.payoutPolicy = config.payoutPolicy ?? DEFAULT_PAYOUT_POLICY;
    const resilience = validateResilience({ ...DEFAULT_RESILIENCE, ...config.resilience });
    const worstCase = worstCaseMs(resilience);
    if (!(this.stalledAfterMs > worstCase)) {
      throw new RangeError(
        `payment saga: stalledAfterMs (${this.stalledAfterMs} ms) must exceed the gateway pipeline's worst case of ${worstCase} ms ` +
          `((resilience.maxRetries + 1) × resilience.timeoutMs + resilience.maxRetries × resilience.maxDelayMs), or the recovery sweep would re-issue a live step`,
      );
    }
    const logger = deps.logger ?? silentLogger;
    const circuit = (gateway: "payments" | "payouts") => (transition: CircuitTransition) => {
      // Opening is what an operator must hear of (every call to the provider now fails fast); the rest is detail.
      if (transition === "opened") logger.warn("gateway circuit breaker opened", { gateway, circuit: transition });
      else logger.info(`gateway circuit breaker ${transition === "closed" ? "closed" : "half-open"}`, { gateway, circuit: transition });
      deps.onCircuit?.(gateway, transition);
    };
    this.gateways = {
      payments: deps.payments,
      payouts: deps.payouts,
      paymentPipeline: gatewayPipeline(resilience, circuit("payments")),
      payoutPipeline: gatewayPipeline(resilience, circuit("payouts")),
    };
    this.clock = deps.clock ?? wallClock;
    this.context = { source: config.source ?? EVENT_SOURCES.worker, logger };
  }

  /**
   * Handles one message of the `payment-saga` subscription. A redelivered message is skipped (inbox). Resolves
   * once every step the message started has an outcome persisted (or stalled, for the recovery sweep).
   */
  async handle(message: CloudEvent): Promise<void> {
    const event = domainEventOf(message);
    const input = event === null ? null : sagaInputOf(event, message, this.payoutPolicy, this.now());
    if (input === null) {
      this.context.logger.debug("payment saga ignores event", { type: message.type, messageId: message.id });
      return;
    }
    // The inbox shape: the saga's transition commits with the inbox row; the step it starts is driven after.
    const command = await recordWithInbox(this.deps.uow, SUBSCRIPTIONS.paymentSaga, message.id, async (tx) =>
      (await applySagaInput(tx, input.orderId, input, this.context)).command,
    );
    if (command !== null) await this.drive(command);
  }

  /**
   * Applies an order fact as if its event had arrived (the event was dead-lettered or lost), and drives the step it
   * starts. Returns true when the saga changed; a fact the saga already knows changes nothing, so several sweeps in
   * several processes may apply the same fact (the saga's compare-and-set lets one of them win).
   */
  async applyFact(fact: OrderFact): Promise<boolean> {
    const input = this.inputOf(fact);
    const outcome = await retryUntilRecorded(() =>
      this.deps.uow.run(SYSTEM_PRINCIPAL, (tx) => applySagaInput(tx, input.orderId, input, this.context)),
    );
    if (outcome.command !== null) await this.drive(outcome.command);
    return outcome.changed;
  }

  /**
   * Settles an unresolved saga's in-flight step as the provider's ledger answered for its key (`reference` when the
   * movement is there, null when it is not), and drives whatever that starts. Returns true when the saga changed;
   * a saga no longer unresolved on that step changes nothing, so concurrent sweeps settle it once.
   */
  async settle(orderId: string, step: SagaStepName, reference: string | null): Promise<boolean> {
    const input: SagaInput = { type: "step.settled", step, reference, at: this.now() };
    const outcome = await retryUntilRecorded(() =>
      this.deps.uow.run(SYSTEM_PRINCIPAL, (tx) => applySagaInput(tx, orderId, input, this.context)),
    );
    if (outcome.command !== null) await this.drive(outcome.command);
    return outcome.changed;
  }

  private inputOf(fact: OrderFact): SagaOrderInput {
    const at = this.now();
    if (fact.type !== "order.placed") {
      return { ...fact, at, messageId: `reconciliation:${fact.orderId}:${fact.type}` };
    }
    const { order } = fact;
    return {
      type: "order.placed",
      orderId: order.id,
      customerId: order.customerId,
      restaurantId: order.restaurantId,
      amount: order.total,
      payouts: splitPayout(order.total, this.payoutPolicy),
      at,
      messageId: `reconciliation:${order.id}:order.placed`,
      correlationId: order.id,
    };
  }

  /**
   * Re-issues, with the same idempotency key, the in-flight step of every saga whose last progress is older
   * than `stalledAfterMs` by the database's clock, and drives it on. Returns how many steps it re-issued. A saga that fails
   * again is logged and left for the next sweep; the others still run.
   */
  async recover(): Promise<number> {
    // Stalled by the database's clock, on which every saga's updatedAt was written: a skewed process re-issues no live step.
    const stalled = await this.deps.uow.run(SYSTEM_PRINCIPAL, async (tx) => {
      const cutoff = new Date((await tx.clock.now()).getTime() - this.stalledAfterMs);
      return tx.sagas.stalled(cutoff, this.recoveryBatchSize);
    });
    let reissued = 0;
    for (const saga of stalled) {
      if (saga.step === null) continue;
      const input: SagaInput = { type: "step.reissued", step: saga.step, at: this.now() };
      try {
        const command = await retryOnConflict(() =>
          this.deps.uow.run(SYSTEM_PRINCIPAL, async (tx) => {
            const current = await tx.sagas.load(saga.orderId);
            // Another worker moved it on (or re-issued it) since the query: leave it to them.
            if (current === null || current.version !== saga.version) return null;
            return (await applySagaInput(tx, saga.orderId, input, this.context)).command;
          }),
        );
        if (command === null) continue;
        reissued += 1;
        this.context.logger.info("payment saga step re-issued", { orderId: saga.orderId, step: saga.step, attempts: saga.attempts + 1 });
        await this.drive(command);
      } catch (error) {
        this.context.logger.error("payment saga recovery failed", { orderId: saga.orderId, step: saga.step, err: error });
      }
    }
    return reissued;
  }

  /** Runs persisted commands one after another until the saga waits for an order event, stalls or ends. */
  private async drive(first: MoneyCommand): Promise<void> {
    let command: MoneyCommand | null = first;
    while (command !== null) {
      const orderId: string = command.orderId;
      const outcome: SagaInput = await runStep(command, this.gateways, () => this.now());
      if (outcome.type !== "step.succeeded") {
        this.context.logger.warn("payment saga step did not succeed", { orderId, step: command.step, outcome: outcome.type });
      }
      // The provider's answer is known only here: keep trying to record it through a brief database outage (a
      // repeated outcome changes nothing), rather than leave the step for the recovery sweep to re-issue.
      command = await retryUntilRecorded(
        (): Promise<MoneyCommand | null> =>
          this.deps.uow.run(SYSTEM_PRINCIPAL, async (tx) => (await applySagaInput(tx, orderId, outcome, this.context)).command),
      );
    }
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
