import type { Order } from "../../domain/order.js";
import { commandFor } from "../../domain/payment-saga-commands.js";
import type { SagaState, SagaStepName } from "../../domain/payment-saga.js";
import { SYSTEM_PRINCIPAL } from "../../ports/principal.js";
import type { RestaurantGateway } from "../../ports/restaurant-gateway.js";
import { DispatchTimer } from "../dispatch/dispatch-timers.js";
import { offerNext } from "../dispatch/offer-next.js";
import { KITCHEN_TIMEOUT_TIMER, applyKitchenDecision } from "../kitchen/kitchen-transitions.js";
import type { OrderFact } from "../payments/payment-saga-runner.js";
import { retryOnConflict } from "../common/transaction.js";
import { type UseCaseContext, workerMeta } from "../common/use-case-context.js";

/** What a repair made up for: the message whose loss it found, by the durable state it left behind. */
export type RepairKind =
  /** `order.placed` never reached the saga: the order waits, uncharged, with no saga. */
  | "saga_not_started"
  /** `payment.captured` never reached the kitchen: a paid order that no restaurant was asked about. */
  | "kitchen_not_asked"
  /** `order.confirmed` never reached dispatch: a confirmed order with no courier, no offer and no retry. */
  | "dispatch_not_started"
  /** `order.cancelled` never reached the saga: a cancelled order whose charge was not refunded. */
  | "refund_missed"
  /** `order.delivered` never reached the saga: a delivered order whose restaurant and courier were not paid. */
  | "payout_missed"
  /** A forward step refused after an unanswered attempt: settled from the provider's ledger for its key. */
  | "unresolved_step_settled";

export interface Repair {
  readonly kind: RepairKind;
  readonly orderId: string;
}

/** How often and how far the sweep looks. */
export interface ReconciliationOptions {
  /** Only state unchanged for this long is compared (default 5 min): a message still on its way is not a loss. */
  readonly graceMs?: number;
  /** Orders and sagas compared per pass, each (default 100). */
  readonly batchSize?: number;
}

export const RECONCILIATION_DEFAULTS = { graceMs: 5 * 60_000, batchSize: 100, intervalMs: 60_000 } as const;

/** What the sweep drives: the saga (to apply a missed fact) and the restaurants' side (to ask a kitchen again). */
export interface ReconcilerDeps {
  readonly paymentSaga: {
    applyFact(fact: OrderFact): Promise<boolean>;
    settle(orderId: string, step: SagaStepName, reference: string | null): Promise<boolean>;
  };
  readonly kitchen: RestaurantGateway;
  /** Told of every repair (metrics). */
  readonly onRepair?: (repair: Repair) => void;
}

const AWAITING_COURIER: readonly Order["status"][] = ["confirmed", "preparing", "ready"];

/**
 * The reconciliation sweep: compares durable state (orders against their sagas, offers and timers) instead of
 * waiting for messages, and issues what a lost or dead-lettered message would have caused. Each pass pages through
 * placed orders and through running sagas with no step in flight, a bounded batch of each, resuming where the last
 * pass stopped, and settles a batch of unresolved sagas from the provider's ledger. Every repair is a compare-and-set on the saga or the order (or the offer store's one-open-offer
 * rule), so sweeps in several processes at once, or a late message, change nothing twice.
 */
export class Reconciler {
  private readonly graceMs: number;
  private readonly batchSize: number;
  private orderCursor = "";
  private sagaCursor = "";

  constructor(
    private readonly ctx: UseCaseContext,
    private readonly deps: ReconcilerDeps,
    options: ReconciliationOptions = {},
  ) {
    this.graceMs = options.graceMs ?? RECONCILIATION_DEFAULTS.graceMs;
    this.batchSize = options.batchSize ?? RECONCILIATION_DEFAULTS.batchSize;
    if (!(this.graceMs > 0)) throw new RangeError(`reconciliation.graceMs must be positive, got ${this.graceMs}`);
    if (!(Number.isInteger(this.batchSize) && this.batchSize > 0)) {
      throw new RangeError(`reconciliation.batchSize must be a positive integer, got ${this.batchSize}`);
    }
  }

  /** One bounded pass; returns the repairs made. A failing order is logged and left for the next pass. */
  async reconcileOnce(): Promise<Repair[]> {
    const { uow } = this.ctx;
    const cutoff = new Date((await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.clock.now())).getTime() - this.graceMs);
    const limit = this.batchSize;
    const placed = await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.stale({ status: "placed", updatedBefore: cutoff, limit, afterId: this.orderCursor }));
    this.orderCursor = placed.length < limit ? "" : (placed.at(-1)?.id ?? "");
    const idle = await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.sagas.idle(cutoff, limit, this.sagaCursor));
    this.sagaCursor = idle.length < limit ? "" : (idle.at(-1)?.orderId ?? "");

    const repairs: Repair[] = [];
    const attempt = async (orderId: string, check: () => Promise<Repair["kind"] | null>): Promise<void> => {
      try {
        const kind = await check();
        if (kind === null) return;
        const repair = { kind, orderId };
        repairs.push(repair);
        this.ctx.logger.warn("reconciliation repaired an order", { ...repair });
        this.deps.onRepair?.(repair);
      } catch (error) {
        this.ctx.logger.error("reconciliation of an order failed; the next pass tries again", { orderId, err: error });
      }
    };
    const unresolved = await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.sagas.list({ status: "unresolved", limit }));
    for (const order of placed) await attempt(order.id, () => this.placedOrder(order, cutoff));
    for (const saga of idle) await attempt(saga.orderId, () => this.waitingSaga(saga, cutoff));
    for (const saga of unresolved) await attempt(saga.orderId, () => this.unresolvedSaga(saga, cutoff));
    return repairs;
  }

  /** A placed order needs a saga, and once charged, a kitchen that was asked (its answer, or a pending timeout). */
  private async placedOrder(order: Order, cutoff: Date): Promise<RepairKind | null> {
    const { uow } = this.ctx;
    const saga = await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.sagas.load(order.id));
    if (saga === null) return (await this.deps.paymentSaga.applyFact({ type: "order.placed", order })) ? "saga_not_started" : null;
    // Charged lately, payment.captured may be on its way to the kitchen: not yet.
    if (saga.status !== "running" || saga.cancelReason !== null || !saga.completed.includes("charge")) return null;
    if (Date.parse(saga.updatedAt) >= cutoff.getTime()) return null;
    const timeoutKey = `${KITCHEN_TIMEOUT_TIMER}:${order.id}`;
    if (await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.timers.hasPending(timeoutKey))) return null;
    const decision = await this.deps.kitchen.requestConfirmation(order);
    return retryOnConflict(() =>
      uow.run(SYSTEM_PRINCIPAL, async (tx) => {
        const current = await tx.orders.load(order.id);
        if (current?.status !== "placed" || (await tx.timers.hasPending(timeoutKey))) return null;
        await applyKitchenDecision(tx, this.ctx, order.id, decision, workerMeta(order.id, `reconciliation:${order.id}:kitchen`));
        return "kitchen_not_asked" as const;
      }),
    );
  }

  /** A saga waiting for an order event: does the order show one it never got? */
  private async waitingSaga(saga: SagaState, cutoff: Date): Promise<RepairKind | null> {
    const order = await this.ctx.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.load(saga.orderId));
    // The order changed lately (its event may be on its way, or this very pass just repaired it): not yet.
    if (order === null || Date.parse(order.updatedAt) >= cutoff.getTime()) return null;
    const runner = this.deps.paymentSaga;
    if (order.status === "cancelled" && order.cancelReason !== null && saga.cancelReason === null) {
      const fact = { type: "order.cancelled", orderId: order.id, reason: order.cancelReason, foodMade: order.readyAt !== undefined } as const;
      return (await runner.applyFact(fact)) ? "refund_missed" : null;
    }
    if (order.status === "delivered" && order.courierId !== null && !saga.delivered) {
      return (await runner.applyFact({ type: "order.delivered", orderId: order.id, courierId: order.courierId })) ? "payout_missed" : null;
    }
    if (AWAITING_COURIER.includes(order.status) && order.courierId === null) return this.dispatch(order.id);
    return null;
  }

  /**
   * A forward step refused after an unanswered attempt: once every attempt has long ended (the grace period is far
   * longer than a call's timeout), the provider's ledger is the answer for its key. An entry under the key means the
   * money moved (the step succeeded); none means the refusal stands.
   */
  private async unresolvedSaga(saga: SagaState, cutoff: Date): Promise<RepairKind | null> {
    const command = commandFor(saga);
    if (saga.step === null || command === null || command.type === "cancel_order") return null;
    if (Date.parse(saga.updatedAt) >= cutoff.getTime()) return null;
    const key = command.idempotencyKey;
    const moved = (await this.ctx.ledger.entries(saga.orderId)).find((entry) => entry.idempotencyKey === key);
    const reference = moved === undefined ? null : `ledger:${key}`;
    return (await this.deps.paymentSaga.settle(saga.orderId, saga.step, reference)) ? "unresolved_step_settled" : null;
  }

  /** Dispatch is alive while the order has an open offer or a retry timer; otherwise it starts again. */
  private dispatch(orderId: string): Promise<RepairKind | null> {
    return retryOnConflict(() =>
      this.ctx.uow.run(SYSTEM_PRINCIPAL, async (tx) => {
        const offers = await tx.offers.forOrder(orderId);
        // An accepted offer of a released courier no longer holds the order (the order has no courier).
        if (offers.some((o) => o.status === "open")) return null;
        if (await tx.timers.hasPending(`${DispatchTimer.Retry}:${orderId}:`)) return null;
        const outcome = await offerNext(tx, this.ctx, orderId, 0, `reconciliation:${orderId}:dispatch`);
        return outcome === "nothing_to_do" ? null : "dispatch_not_started";
      }),
    );
  }
}
