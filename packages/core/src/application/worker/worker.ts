import { randomUUID } from "node:crypto";
import type { CloudEvent } from "../../messaging/cloud-event.js";
import type { OrderFact } from "../payments/payment-saga-runner.js";
import type { SagaStepName } from "../../domain/payment-saga.js";
import { ORDER_EVENTS_TOPIC, SUBSCRIPTIONS } from "../../messaging/topology.js";
import type { MessageHandler, MessagePublisher, MessageSubscriber, Subscription, SubscriptionSpec } from "../../ports/messaging.js";
import type { RestaurantGateway } from "../../ports/restaurant-gateway.js";
import { DISPATCH_CONSUMER, DISPATCH_EVENT_TYPES, dispatchConsumer } from "../dispatch/dispatch-consumer.js";
import { PAYMENT_SAGA_EVENT_TYPES } from "../payments/saga-input.js";
import { dispatchTimerHandlers } from "../dispatch/dispatch-timer-handlers.js";
import { KITCHEN_EVENT_TYPES, kitchenConsumer } from "../kitchen/kitchen-consumer.js";
import { kitchenTimerHandlers } from "../kitchen/kitchen-transitions.js";
import { projectOrderView } from "../projections/projection-handler.js";
import { OutboxRelay } from "../relay/outbox-relay.js";
import { inboxConsumer } from "../common/consumer-shapes.js";
import type { UseCaseContext } from "../common/use-case-context.js";
import { type TiffinDeps, resolveDeps } from "../tiffin-deps.js";
import { TimerPoller } from "../timers/timer-poller.js";
import { PeriodicLoop } from "./periodic-loop.js";
import { Reconciler, type Repair } from "../reconciliation/reconciler.js";
import { type TickLimits, type TickReport, runTick } from "./tick-pass.js";
import { ALL_WORKER_PARTS, WORKER_DEFAULTS, type WorkerOptions, type WorkerPart } from "./worker-options.js";

/**
 * The subscriptions a worker consumes on the order topic and the event types each takes: one list for the worker,
 * `tiffin topology` and infrastructure templates. The payment saga's process may narrow its types (`eventTypes`).
 */
export const WORKER_SUBSCRIPTIONS = [
  { part: "paymentSaga", subscription: SUBSCRIPTIONS.paymentSaga, eventTypes: PAYMENT_SAGA_EVENT_TYPES },
  { part: "kitchen", subscription: SUBSCRIPTIONS.kitchen, eventTypes: KITCHEN_EVENT_TYPES },
  { part: "courierAssignment", subscription: SUBSCRIPTIONS.courierAssignment, eventTypes: DISPATCH_EVENT_TYPES },
  { part: "projections", subscription: SUBSCRIPTIONS.projections },
] as const satisfies readonly { part: WorkerPart; subscription: string; eventTypes?: readonly string[] }[];

/** What the worker needs from the payment saga: react to an order event, and re-issue stalled steps. */
export interface PaymentSagaProcess {
  /** Handles one message of the `payment-saga` subscription (idempotent; records its inbox row itself). */
  handle(message: CloudEvent): Promise<void>;
  /** Re-issues the current step of sagas that made no progress for a while; returns how many it touched. */
  recover(): Promise<number | void>;
  /** Applies an order fact whose event the saga never handled (reconciliation); true when the saga changed. */
  applyFact(fact: OrderFact): Promise<boolean>;
  /** Settles an unresolved step as the provider's ledger answered for its key (reconciliation); true when it changed. */
  settle(orderId: string, step: SagaStepName, reference: string | null): Promise<boolean>;
  /** Event types the saga reacts to (all when absent). */
  readonly eventTypes?: readonly string[];
}

/** The worker's ports on top of the application's. */
export interface WorkerDeps extends TiffinDeps {
  readonly publisher: MessagePublisher;
  readonly subscriber: MessageSubscriber;
  /** The restaurants' side: `ManualKitchen` (staff act through the API) or `AutoKitchen`. */
  readonly kitchen: RestaurantGateway;
  readonly paymentSaga: PaymentSagaProcess;
  /** Told of every repair the reconciliation sweep makes (e.g. to count it). */
  readonly onRepair?: (repair: Repair) => void;
}

/**
 * Runs every background part of Tiffin in one process over any broker: the outbox relay, the consumers of
 * The order topic's subscriptions (payment saga, kitchen, courier assignment, projections), the durable timer poller
 * and the saga recovery sweep. Any number of workers may run at once; they share subscriptions and leases.
 */
export class Worker {
  private readonly ctx: UseCaseContext;
  private readonly parts: ReadonlySet<WorkerPart>;
  private readonly workerId: string;
  private readonly loops: PeriodicLoop[] = [];
  private subscriptions: Subscription[] = [];
  private state: "new" | "running" | "stopping" | "stopped" = "new";
  private stopping: Promise<void> | null = null;
  private reconcilerInstance: Reconciler | null = null;

  constructor(
    private readonly deps: WorkerDeps,
    private readonly options: WorkerOptions = {},
  ) {
    this.ctx = resolveDeps(deps, options);
    this.parts = new Set(options.parts ?? ALL_WORKER_PARTS);
    this.workerId = options.workerId ?? randomUUID();
  }

  /** Subscribes and starts the loops; resolves once every subscription exists (messages are kept from then on). */
  async start(): Promise<void> {
    if (this.state !== "new") throw new Error(`a worker starts once (state: ${this.state})`);
    this.state = "running";
    for (const [spec, handler] of this.consumers()) {
      this.subscriptions.push(await this.deps.subscriber.subscribe(spec, handler));
    }
    for (const loop of this.buildLoops()) {
      this.loops.push(loop);
      loop.start();
    }
    this.ctx.logger.info("worker started", { workerId: this.workerId, parts: [...this.parts].join(",") });
  }

  /**
   * One bounded pass of the relay, due timers and saga recovery, for hosts where CPU follows requests
   * (`POST /tasks/tick`). Needs no `start()`: a push-driven worker never starts its polling loops.
   */
  tick(limits?: TickLimits): Promise<TickReport> {
    const { deps, parts } = this;
    const relay = parts.has("relay") ? this.relay() : undefined;
    const poller = parts.has("timers") ? this.timerPoller() : undefined;
    return runTick(
      {
        ...(relay === undefined ? {} : { relayOnce: () => relay.relayOnce() }),
        ...(poller === undefined ? {} : { pollTimersOnce: () => poller.pollOnce() }),
        ...(parts.has("recovery") ? { recoverSagas: () => deps.paymentSaga.recover() } : {}),
        ...(parts.has("reconciliation") ? { reconcile: async () => (await this.reconciler().reconcileOnce()).length } : {}),
      },
      this.ctx.logger,
      limits,
    );
  }

  /**
   * The consumer of `subscription` in this worker, for push delivery: the same handler (and inbox) the pull
   * path subscribes. Undefined when this worker does not consume it.
   */
  consumer(subscription: string): { spec: SubscriptionSpec; handler: MessageHandler } | undefined {
    const found = this.consumers().find(([spec]) => spec.subscription === subscription);
    return found === undefined ? undefined : { spec: found[0], handler: found[1] };
  }

  /** The subscriptions this worker consumes, as it subscribes them: what `tiffin topology` creates on the broker. */
  subscriptionSpecs(): SubscriptionSpec[] {
    return this.consumers().map(([spec]) => spec);
  }

  /** Cuts the relay's and timer poller's wait short, e.g. on a database notification that work is pending. */
  wake(): void {
    for (const loop of this.loops) loop.wake();
  }

  /**
   * Stops taking messages, lets in-flight handlers, relay batches and timers finish, and resolves. Does not close
   * the publisher or subscriber (the caller owns them). Safe to call twice.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.state = "stopping";
      await Promise.all([...this.subscriptions.map((s) => s.close()), ...this.loops.map((l) => l.stop())]);
      this.state = "stopped";
      this.ctx.logger.info("worker stopped", { workerId: this.workerId });
    })();
    return this.stopping;
  }

  private spec(subscription: string, eventTypes?: readonly string[]): SubscriptionSpec {
    return { topic: ORDER_EVENTS_TOPIC, subscription, ...(eventTypes ? { eventTypes } : {}), ...this.options.delivery };
  }

  private consumers(): [SubscriptionSpec, MessageHandler][] {
    const { ctx, deps } = this;
    const handlers: Record<(typeof WORKER_SUBSCRIPTIONS)[number]["part"], MessageHandler> = {
      paymentSaga: (m) => deps.paymentSaga.handle(m),
      kitchen: kitchenConsumer(ctx, deps.kitchen),
      courierAssignment: inboxConsumer(ctx.uow, DISPATCH_CONSUMER, dispatchConsumer(ctx), ctx.logger),
      projections: inboxConsumer(ctx.uow, SUBSCRIPTIONS.projections, projectOrderView(ctx.logger), ctx.logger),
    };
    return WORKER_SUBSCRIPTIONS.filter(({ part }) => this.parts.has(part)).map((consumer) => {
      const eventTypes = consumer.part === "paymentSaga" ? (deps.paymentSaga.eventTypes ?? consumer.eventTypes) : "eventTypes" in consumer ? consumer.eventTypes : undefined;
      return [this.spec(consumer.subscription, eventTypes), handlers[consumer.part]];
    });
  }

  private relay(): OutboxRelay {
    const relay = { ...WORKER_DEFAULTS.relay, ...this.options.relay };
    return new OutboxRelay(this.ctx.uow, this.deps.publisher, this.ctx.logger, { relayId: `relay:${this.workerId}`, ...relay });
  }

  /** One per worker, so passes resume where the last one stopped. */
  private reconciler(): Reconciler {
    const { intervalMs: _interval, ...options } = this.options.reconciliation ?? {};
    this.reconcilerInstance ??= new Reconciler(
      this.ctx,
      { paymentSaga: this.deps.paymentSaga, kitchen: this.deps.kitchen, ...(this.deps.onRepair ? { onRepair: this.deps.onRepair } : {}) },
      options,
    );
    return this.reconcilerInstance;
  }

  private timerPoller(): TimerPoller {
    const { ctx } = this;
    const timers = { ...WORKER_DEFAULTS.timers, ...this.options.timers };
    const handlers = { ...dispatchTimerHandlers(ctx), ...kitchenTimerHandlers(ctx) };
    return new TimerPoller(ctx, handlers, { owner: `timers:${this.workerId}`, ...timers });
  }

  private buildLoops(): PeriodicLoop[] {
    const { ctx, deps, options } = this;
    const relay = { ...WORKER_DEFAULTS.relay, ...options.relay };
    const timers = { ...WORKER_DEFAULTS.timers, ...options.timers };
    const recovery = { ...WORKER_DEFAULTS.recovery, ...options.recovery };
    const loops: PeriodicLoop[] = [];
    if (this.parts.has("relay")) {
      const outbox = this.relay();
      loops.push(new PeriodicLoop("outbox relay", relay.intervalMs, () => outbox.relayOnce(), ctx.logger));
    }
    if (this.parts.has("timers")) {
      const poller = this.timerPoller();
      loops.push(new PeriodicLoop("timer poller", timers.intervalMs, () => poller.pollOnce(), ctx.logger));
    }
    if (this.parts.has("recovery")) {
      // Never "worked": the sweep runs once per interval, not back to back.
      loops.push(new PeriodicLoop("saga recovery", recovery.intervalMs, async () => (await deps.paymentSaga.recover(), 0), ctx.logger));
    }
    if (this.parts.has("reconciliation")) {
      const reconciler = this.reconciler();
      const intervalMs = options.reconciliation?.intervalMs ?? WORKER_DEFAULTS.reconciliation.intervalMs;
      // Never "worked" either: one bounded pass per interval.
      loops.push(new PeriodicLoop("reconciliation", intervalMs, async () => (await reconciler.reconcileOnce(), 0), ctx.logger));
    }
    return loops;
  }
}
