import type { Clock } from "../ports/clock.js";
import { SYSTEM_PRINCIPAL, type Principal } from "../ports/principal.js";
import type { Courier } from "../ports/couriers.js";
import type { DeadLetters, MessagePublisher, MessageSubscriber } from "../ports/messaging.js";
import type { LedgerEntry, PaymentGateway } from "../ports/payment-gateway.js";
import type { PayoutGateway } from "../ports/payout-gateway.js";
import type { UnitOfWork } from "../ports/unit-of-work.js";
import type { OrderView } from "../ports/read-models.js";
import type { RestaurantGateway } from "../ports/restaurant-gateway.js";
import type { RestaurantProfile } from "../domain/restaurant.js";
import { InMemoryBroker } from "../memory/broker/in-memory-broker.js";
import { InMemoryDatabase } from "../memory/in-memory-database.js";
import { InMemoryUnitOfWork } from "../memory/in-memory-unit-of-work.js";
import { InMemoryProviderStore } from "../memory/simulated-provider-store.js";
import { SimulatedPaymentGateway, type SimulatedPaymentConfig } from "../simulated/simulated-payment-gateway.js";
import { SimulatedPayoutGateway } from "../simulated/simulated-payout-gateway.js";
import { FakeClock } from "./fake-clock.js";
import { SequentialIds } from "./sequential-ids.js";
import { waitFor } from "./broker/wait-for.js";
import { northOf, seedCourier, seedRestaurant } from "./stores/samples.js";
import { AutoKitchen } from "../application/kitchen/kitchens.js";
import { type Tiffin, createTiffin } from "../application/tiffin-facade.js";
import type { TiffinOptions } from "../application/tiffin-deps.js";
import { Worker, type WorkerDeps } from "../application/worker/worker.js";
import type { WorkerOptions } from "../application/worker/worker-options.js";
import { PaymentSagaRunner } from "../application/payments/payment-saga-runner.js";
import { Reconciler, type Repair } from "../application/reconciliation/reconciler.js";
import { resolveDeps } from "../application/tiffin-deps.js";

/** How a Scenario differs from the default: one auto kitchen, one courier, well-behaved providers. */
export interface ScenarioOptions extends TiffinOptions {
  /** Default: an AutoKitchen that accepts at once with no prep time. */
  readonly kitchen?: RestaurantGateway;
  /** Couriers to seed next to the restaurant (default one). */
  readonly couriers?: number;
  readonly payment?: SimulatedPaymentConfig;
  /** Wraps the broker's publisher as the relay sees it (e.g. to deliver everything twice). */
  readonly publisher?: (inner: MessagePublisher) => MessagePublisher;
  /** Wraps the broker's subscriber as workers see it (e.g. to count or interrupt deliveries). */
  readonly subscriber?: (inner: MessageSubscriber) => MessageSubscriber;
  readonly worker?: WorkerOptions;
  /**
   * Wraps or replaces the unit of work everything uses (e.g. to inject a crash); `clock` is the scenario's clock,
   * which a database adapter under test must use as the database's clock so that moving it makes timers due.
   */
  readonly unitOfWork?: (inner: UnitOfWork, clock: Clock) => UnitOfWork;
  /** How far the worker's own clock is off the database's (default 0): a process with a skewed clock. */
  readonly workerClockSkewMs?: number;
  /** Where the admin queries find dead letters (default: the in-memory broker's). */
  readonly deadLetters?: DeadLetters;
  /** Wraps the gateways as the payment saga calls them (the ledger still reads the simulated providers). */
  readonly sagaGateways?: (inner: SagaGateways) => SagaGateways;
}

export interface SagaGateways {
  readonly payments: PaymentGateway;
  readonly payouts: PayoutGateway;
}

/** Fast cadences: tests wait on conditions, so short polls only make them quicker. */
const FAST_WORKER: WorkerOptions = {
  relay: { intervalMs: 2 },
  timers: { intervalMs: 2 },
  recovery: { intervalMs: 20 },
  reconciliation: { intervalMs: 20 },
  delivery: { retry: { minDelayMs: 5, maxDelayMs: 20 } },
};

/**
 * The whole system in memory for one test: stores, broker, simulated providers, a worker and the facade, all on a
 * FakeClock. Drives orders through the public facade exactly as the HTTP host would.
 */
export class Scenario {
  readonly clock = new FakeClock();
  readonly ids = new SequentialIds("id");
  readonly database = new InMemoryDatabase();
  readonly uow: UnitOfWork;
  readonly broker = new InMemoryBroker({ random: () => 0.5 });
  readonly providerStore = new InMemoryProviderStore();
  readonly payments: SimulatedPaymentGateway;
  readonly payouts: SimulatedPayoutGateway;
  readonly tiffin: Tiffin;
  /** The worker's own clock: the scenario's clock, off by `workerClockSkewMs`. */
  readonly workerClock: Clock;
  private readonly subscriber: MessageSubscriber;
  restaurant!: RestaurantProfile;
  couriers: Courier[] = [];
  worker: Worker | null = null;
  /** Every repair the reconciliation sweeps of this scenario made, in order. */
  readonly repairs: Repair[] = [];
  /** Worker instances started so far. */
  generations = 0;

  constructor(readonly options: ScenarioOptions = {}) {
    const uow = new InMemoryUnitOfWork({ database: this.database, clock: this.clock });
    this.uow = options.unitOfWork ? options.unitOfWork(uow, this.clock) : uow;
    const skew = options.workerClockSkewMs ?? 0;
    this.workerClock = { now: () => new Date(this.clock.now().getTime() + skew) };
    const providerDeps = { store: this.providerStore, clock: this.clock, random: () => 0.5 };
    this.payments = new SimulatedPaymentGateway(options.payment ?? {}, providerDeps);
    this.payouts = new SimulatedPayoutGateway({}, providerDeps);
    this.tiffin = createTiffin(this.appDeps(), this.settings());
    this.subscriber = options.subscriber ? options.subscriber(this.broker) : this.broker;
  }

  /**
   * The scenario's settings: its couriers report their position once, at the start, so their positions stay
   * candidates however far a test moves the clock (a week), unless the test says otherwise.
   */
  settings(): ScenarioOptions & { dispatch: NonNullable<ScenarioOptions["dispatch"]> } {
    return { ...this.options, dispatch: { positionMaxAgeMs: 7 * 24 * 3_600_000, ...this.options.dispatch } };
  }

  /** The ports the facade and workers of this scenario share. */
  appDeps() {
    return { uow: this.uow, clock: this.clock, ids: this.ids, ledger: this.payments, deadLetters: this.options.deadLetters ?? this.broker };
  }

  /** Seeds the restaurant and couriers and starts a worker. */
  async start(): Promise<this> {
    this.restaurant = await seedRestaurant(this.uow, { id: "restaurant-1" });
    for (let i = 1; i <= (this.options.couriers ?? 1); i += 1) {
      const position = northOf(this.restaurant.location, i / 10);
      this.couriers.push(await seedCourier(this.uow, { id: `courier-${i}`, position, positionAt: this.clock.now().toISOString() }));
    }
    await this.startWorker();
    return this;
  }

  async startWorker(): Promise<Worker> {
    const publisher = this.options.publisher ? this.options.publisher(this.broker) : this.broker;
    const deps: WorkerDeps = {
      ...this.appDeps(),
      clock: this.workerClock,
      publisher,
      subscriber: this.subscriber,
      kitchen: this.options.kitchen ?? new AutoKitchen({ prepTimeMs: 0 }),
      paymentSaga: this.paymentSaga(this.workerClock),
      onRepair: (repair) => void this.repairs.push(repair),
    };
    this.generations += 1;
    this.worker = new Worker(deps, {
      ...FAST_WORKER,
      dispatch: this.settings().dispatch,
      ...this.options.worker,
      workerId: `worker-${this.generations}`,
    });
    await this.worker.start();
    return this.worker;
  }

  /** A reconciliation sweep of its own over this scenario's stores, as another process would run it. */
  reconciler(): Reconciler {
    const ctx = resolveDeps(this.appDeps(), this.settings());
    const kitchen = this.options.kitchen ?? new AutoKitchen({ prepTimeMs: 0 });
    return new Reconciler(ctx, { paymentSaga: this.paymentSaga(), kitchen, onRepair: (repair) => void this.repairs.push(repair) });
  }

  /** A payment saga runner over this scenario's stores and simulated providers (optionally wrapped), as another process would run it. */
  paymentSaga(clock: Clock = this.clock): PaymentSagaRunner {
    const simulated = { payments: this.payments, payouts: this.payouts };
    const gateways = this.options.sagaGateways ? this.options.sagaGateways(simulated) : simulated;
    return new PaymentSagaRunner({}, { uow: this.uow, ...gateways, clock });
  }

  async stopWorker(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.stop();
  }

  async dispose(): Promise<void> {
    await this.stopWorker();
    await this.broker.close();
  }

  customer(id = "customer-1"): Principal {
    return { role: "customer", id };
  }

  courier(index = 1): Principal {
    return { role: "courier", id: `courier-${index}` };
  }

  staff(): Principal {
    return { role: "restaurant", id: "staff-1", restaurantId: this.restaurant.id };
  }

  readonly admin: Principal = { role: "admin", id: "admin-1" };

  /** The body of a valid order: two Pad Thai (2 × 12.50 EUR) to a point near the restaurant. */
  orderBody(): unknown {
    return {
      restaurantId: this.restaurant.id,
      items: [{ itemId: "pad-thai", quantity: 2 }],
      deliveryAddress: { ...northOf(this.restaurant.location, 1), line1: "Somewhere 1" },
    };
  }

  /** Places an order as `customer` and returns its view; fails the test on an error. */
  async placeOrder(customer = this.customer(), key = `key-${this.ids.next()}`): Promise<OrderView> {
    const placed = await this.tiffin.send(customer, { type: "PlaceOrder", idempotencyKey: key, order: this.orderBody() });
    if (!placed.ok) throw new Error(`place order failed: ${placed.error.code} ${placed.error.message}`);
    return placed.value.view;
  }

  /** The order view as the system sees it. */
  async view(orderId: string): Promise<OrderView | null> {
    return this.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.views.getView(orderId));
  }

  async waitForView(orderId: string, what: string, holds: (view: OrderView) => boolean, timeoutMs = 5_000): Promise<OrderView> {
    let last: OrderView | null = null;
    await waitFor(async () => {
      last = await this.view(orderId);
      return last !== null && holds(last);
    }, { what: `${orderId}: ${what}`, timeoutMs });
    return last as unknown as OrderView;
  }

  async saga(orderId: string) {
    return this.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.sagas.load(orderId));
  }

  async waitForSaga(orderId: string, statuses: readonly string[], timeoutMs = 5_000): Promise<void> {
    await waitFor(async () => statuses.includes((await this.saga(orderId))?.status ?? ""), {
      what: `saga of ${orderId} to be ${statuses.join(" or ")}`,
      timeoutMs,
    });
  }

  async ledger(orderId: string): Promise<LedgerEntry[]> {
    return this.payments.entries(orderId);
  }

  /** Moves the fake clock (so timers fall due) and wakes the worker's loops. */
  advance(ms: number): void {
    this.clock.advance(ms);
    this.worker?.wake();
  }

  /** Advances the fake clock by `stepMs` at a time until `condition` holds (bounded in real time). */
  async advanceUntil(what: string, condition: () => Promise<boolean>, stepMs: number, timeoutMs = 5_000): Promise<void> {
    await waitFor(
      async () => {
        if (await condition()) return true;
        this.advance(stepMs);
        return false;
      },
      { what, timeoutMs, intervalMs: 10 },
    );
  }

  /**
   * Acts as the courier for one order: waits for its offer, accepts it, then picks up once ready and delivers.
   */
  async deliver(orderId: string, courierIndex = 1): Promise<void> {
    const courier = this.courier(courierIndex);
    let offer: { id: string; token: number } | undefined;
    await waitFor(async () => {
      const offers = await this.tiffin.ask(courier, { type: "CourierOffers" });
      offer = offers.ok ? offers.value.find((o) => o.orderId === orderId) : undefined;
      return offer !== undefined;
    }, { what: `an offer of ${orderId} to ${courier.id}` });
    const accepted = await this.tiffin.send(courier, { type: "AcceptOffer", offerId: offer!.id, token: offer!.token });
    if (!accepted.ok) throw new Error(`accept failed: ${accepted.error.code}`);
    await this.waitForView(orderId, "ready", (v) => v.status === "ready");
    const picked = await this.tiffin.send(courier, { type: "MarkPickedUp", orderId });
    if (!picked.ok) throw new Error(`pick up failed: ${picked.error.code}`);
    const delivered = await this.tiffin.send(courier, { type: "MarkDelivered", orderId });
    if (!delivered.ok) throw new Error(`deliver failed: ${delivered.error.code}`);
  }
}

/** Sums a ledger per kind and party, e.g. `{ "charge:customer": 2500 }`. */
export function ledgerTotals(entries: readonly LedgerEntry[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const e of entries) totals[`${e.kind}:${e.party}`] = (totals[`${e.kind}:${e.party}`] ?? 0) + e.amount.amount;
  return totals;
}

/** What each party ends up with: customer paid minus refunds, restaurant and courier payouts minus clawbacks. */
export function netByParty(entries: readonly LedgerEntry[]): Record<"customer" | "restaurant" | "courier", number> {
  const net = { customer: 0, restaurant: 0, courier: 0 };
  for (const e of entries) net[e.party] += e.kind === "charge" || e.kind === "payout" ? e.amount.amount : -e.amount.amount;
  return net;
}
