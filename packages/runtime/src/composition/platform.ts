import {
  type BrokerTopology,
  type Logger,
  type MessagePublisher,
  type MessageSubscriber,
  type PaymentSagaProcess,
  type RestaurantGateway,
  SUBSCRIPTIONS,
  SYSTEM_PRINCIPAL,
  TOKENS,
  type Tiffin,
  type TiffinDeps,
  type UnitOfWork,
  type ViewChangeFeed,
  Worker,
  type WorkerOptions,
  canReportDepth,
} from "@tiffin/core";
import { Container } from "inversify";
import type { Config } from "../config/config.js";
import type { Metrics } from "../telemetry/metrics.js";
import { type AdapterSelection, brokerProbe, selectAdapters } from "./adapter-modules.js";
import { applicationOptions, coreModule } from "./core-module.js";
import { type HealthProbe, RUNTIME_TOKENS } from "./tokens.js";

/** The most unresolved sagas (or set-aside outbox records) a gauge counts on one scrape. */
const UNRESOLVED_GAUGE_LIMIT = 1000;

const PROBE_TIMEOUT_MS = 2_000;

/**
 * The composition root every host shares: one inversify container with the selected adapters and the core
 * services, plus what hosts need from it (the facade, a worker, health, metrics gauges). Closing it unbinds the
 * container, which closes the subscriber and broker clients, then closes the database.
 */
export class Platform {
  private constructor(
    readonly config: Config,
    readonly container: Container,
    readonly logger: Logger,
    readonly metrics: Metrics,
    private readonly adapters: AdapterSelection,
  ) {}

  static async create(config: Config, deps: { logger: Logger; metrics: Metrics; inMemory?: boolean }): Promise<Platform> {
    const adapters = await selectAdapters(config, deps.inMemory === undefined ? {} : { inMemory: deps.inMemory });
    const container = new Container({ defaultScope: "Singleton" });
    await container.loadAsync(coreModule(config, deps.logger, deps.metrics), ...adapters.modules);
    const platform = new Platform(config, container, deps.logger, deps.metrics, adapters);
    platform.observeGauges();
    return platform;
  }

  /** The Postgres/PGlite database, when one is used (migrations, the CLI). */
  get database(): AdapterSelection["database"] {
    return this.adapters.database;
  }

  get uow(): UnitOfWork {
    return this.container.get<UnitOfWork>(TOKENS.UnitOfWork);
  }

  /** Announces committed order view changes (LISTEN on Postgres and PGlite, the in-memory database's commits). */
  get viewChanges(): ViewChangeFeed {
    return this.container.get<ViewChangeFeed>(TOKENS.ViewChangeFeed);
  }

  get tiffin(): Tiffin {
    return this.container.get<Tiffin>(RUNTIME_TOKENS.Tiffin);
  }

  /** Applies pending migrations (a no-op in memory). Returns the names applied. */
  async migrate(): Promise<readonly string[]> {
    if (this.database === null) return [];
    const { migrate } = await import("@tiffin/adapters-postgres");
    return (await migrate(this.database)).applied;
  }

  /** A worker over the container's ports; the caller starts and stops it. */
  createWorker(options: WorkerOptions = {}): Worker {
    const get = <T>(token: symbol) => this.container.get<T>(token);
    const deps: TiffinDeps = {
      uow: get(TOKENS.UnitOfWork),
      clock: get(TOKENS.Clock),
      ids: get(TOKENS.IdGenerator),
      ledger: get(TOKENS.PaymentLedger),
      deadLetters: get(TOKENS.DeadLetters),
      positions: get(TOKENS.CourierPositions),
      logger: this.logger.child({ component: "worker" }),
    };
    return new Worker(
      {
        ...deps,
        publisher: get<MessagePublisher>(TOKENS.MessagePublisher),
        subscriber: get<MessageSubscriber>(TOKENS.MessageSubscriber),
        kitchen: get<RestaurantGateway>(TOKENS.RestaurantGateway),
        paymentSaga: get<PaymentSagaProcess>(RUNTIME_TOKENS.PaymentSaga),
        onRepair: (repair) => this.metrics.reconciliationRepairs.add(1, { kind: repair.kind }),
      },
      {
        ...applicationOptions(this.config),
        recovery: { intervalMs: this.config.faults.recoveryIntervalMs },
        reconciliation: { intervalMs: this.config.faults.reconciliationIntervalMs, graceMs: this.config.faults.reconciliationGraceMs },
        ...options,
        dispatch: { ...applicationOptions(this.config).dispatch, ...options.dispatch },
        delivery: { concurrency: this.config.workerConcurrency, ...options.delivery },
      },
    );
  }

  /** The broker's BrokerTopology (creating topics and subscriptions), or null when the broker needs none. */
  brokerTopology(): BrokerTopology | null {
    return this.container.isBound(TOKENS.BrokerTopology) ? this.container.get<BrokerTopology>(TOKENS.BrokerTopology) : null;
  }

  /** Readiness of every dependency: "ok", or why not. Never throws; each probe is bounded in time. */
  async check(): Promise<Record<string, string>> {
    const probes = [...this.container.getAll<HealthProbe>(RUNTIME_TOKENS.HealthProbe)];
    if (!probes.some((probe) => probe.name === "broker")) probes.push(brokerProbe(this.depthSource()));
    const results = await Promise.all(
      probes.map(async (probe) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
        });
        try {
          await Promise.race([probe.check(), timeout]);
          return [probe.name, "ok"] as const;
        } catch (error) {
          return [probe.name, (error as Error).message] as const;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    return Object.fromEntries(results);
  }

  /** Closes adapters (subscriber, broker clients), then the database. */
  async close(): Promise<void> {
    await this.container.unbindAllAsync();
    await this.database?.close();
  }

  /** Whichever broker port reports queue depth (the subscriber or the dead-letter store), else the subscriber. */
  private depthSource(): object {
    // The bound subscriber is instrumented; it reports depth exactly when the broker's subscriber does.
    const subscriber = this.container.get<MessageSubscriber>(TOKENS.MessageSubscriber);
    const deadLetters = this.container.get<object>(TOKENS.DeadLetters);
    return canReportDepth(subscriber) || !canReportDepth(deadLetters) ? subscriber : deadLetters;
  }

  private observeGauges(): void {
    this.metrics.observe("queue_depth", async () => {
      const subscriber = this.depthSource();
      if (!canReportDepth(subscriber)) return [];
      const names = Object.values(SUBSCRIPTIONS);
      const depths = await Promise.all(names.map((name) => subscriber.depth(name).catch(() => null)));
      return names.flatMap((subscription, i) => (depths[i] == null ? [] : [{ value: depths[i], attributes: { subscription } }]));
    });
    this.metrics.observe("outbox_pending", async () => [
      { value: await this.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.outbox.pending()), attributes: {} },
    ]);
    // Counted up to a bound: any unresolved saga is worth a look, and the admin filter lists them.
    this.metrics.observe("sagas_unresolved", async () => [
      { value: (await this.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.sagas.list({ status: "unresolved", limit: UNRESOLVED_GAUGE_LIMIT }))).length, attributes: {} },
    ]);
    // Likewise: any record the broker refused holds an order until an admin replays it (GET /admin/dead-letters?subscription=outbox).
    this.metrics.observe("outbox_set_aside", async () => [
      { value: (await this.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.outbox.setAsideRecords({ limit: UNRESOLVED_GAUGE_LIMIT }))).length, attributes: {} },
    ]);
  }
}
