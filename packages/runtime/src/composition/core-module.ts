import {
  AutoKitchen,
  type Clock,
  type DeadLetters,
  type IdGenerator,
  type Logger,
  ManualKitchen,
  type MessagePublisher,
  type MessageSizeLimit,
  type MessageSubscriber,
  type PaymentGateway,
  type PaymentLedger,
  PaymentSagaRunner,
  type PayoutGateway,
  type RestaurantGateway,
  SimulatedPaymentGateway,
  SimulatedPayoutGateway,
  TOKENS,
  type Tiffin,
  type UnitOfWork,
  createTiffin,
  hasMessageSizeLimit,
} from "@tiffin/core";
import type { CourierPositions, ProviderStore, TiffinOptions } from "@tiffin/core";
import { RandomIds, systemClock } from "@tiffin/core/memory";
import { ContainerModule } from "inversify";
import type { Config } from "../config/config.js";
import { InstrumentedSubscriber } from "../telemetry/instrumented-subscriber.js";
import type { Metrics } from "../telemetry/metrics.js";
import { TracingPublisher } from "../telemetry/tracing-publisher.js";
import { TracingUnitOfWork } from "../telemetry/tracing-unit-of-work.js";
import { RUNTIME_TOKENS } from "./tokens.js";

/**
 * Binds what every deployment shares: configuration, logger, metrics, clock and ids, the simulated payment
 * providers, the kitchen, the payment saga and the application facade (all by factories over the ports the
 * adapter modules bind), and decorates the unit of work and broker ports with tracing and metrics.
 */
export function coreModule(config: Config, logger: Logger, metrics: Metrics): ContainerModule {
  return new ContainerModule(({ bind, onActivation }) => {
    bind(RUNTIME_TOKENS.Config).toConstantValue(config);
    bind(TOKENS.Logger).toConstantValue(logger);
    bind(RUNTIME_TOKENS.Metrics).toConstantValue(metrics);
    bind<Clock>(TOKENS.Clock).toConstantValue(systemClock);
    bind<IdGenerator>(TOKENS.IdGenerator).toConstantValue(new RandomIds());

    bind<SimulatedPaymentGateway>(TOKENS.PaymentGateway)
      .toDynamicValue((ctx) => new SimulatedPaymentGateway({ ...config.faults.providers, declineRate: config.faults.paymentDeclineRate }, { store: ctx.get<ProviderStore>(RUNTIME_TOKENS.ProviderStore) }))
      .inSingletonScope();
    bind<PaymentLedger>(TOKENS.PaymentLedger).toDynamicValue((ctx) => ctx.get<SimulatedPaymentGateway>(TOKENS.PaymentGateway));
    bind<PayoutGateway>(TOKENS.PayoutGateway)
      .toDynamicValue((ctx) => new SimulatedPayoutGateway(config.faults.providers, { store: ctx.get<ProviderStore>(RUNTIME_TOKENS.ProviderStore) }))
      .inSingletonScope();
    bind<RestaurantGateway>(TOKENS.RestaurantGateway).toConstantValue(
      config.kitchen === "auto" ? new AutoKitchen({ prepTimeMs: config.kitchenPrepMs, rejectionRate: config.faults.kitchenRejectRate }) : new ManualKitchen(),
    );

    bind<PaymentSagaRunner>(RUNTIME_TOKENS.PaymentSaga)
      .toDynamicValue(
        (ctx) =>
          new PaymentSagaRunner(
            { stalledAfterMs: config.faults.sagaStalledAfterMs },
            {
              uow: ctx.get<UnitOfWork>(TOKENS.UnitOfWork),
              payments: ctx.get<PaymentGateway>(TOKENS.PaymentGateway),
              payouts: ctx.get<PayoutGateway>(TOKENS.PayoutGateway),
              clock: ctx.get<Clock>(TOKENS.Clock),
              logger: logger.child({ component: "payment-saga" }),
              onCircuit: (gateway, transition) => metrics.circuitTransitions.add(1, { gateway, state: transition }),
            },
          ),
      )
      .inSingletonScope();

    bind<Tiffin>(RUNTIME_TOKENS.Tiffin)
      .toDynamicValue((ctx) =>
        createTiffin(
          {
            uow: ctx.get<UnitOfWork>(TOKENS.UnitOfWork),
            clock: ctx.get<Clock>(TOKENS.Clock),
            ids: ctx.get<IdGenerator>(TOKENS.IdGenerator),
            ledger: ctx.get<PaymentLedger>(TOKENS.PaymentLedger),
            deadLetters: ctx.get<DeadLetters>(TOKENS.DeadLetters),
            positions: ctx.get<CourierPositions>(TOKENS.CourierPositions),
            ...sizeLimitOf(ctx.get<MessagePublisher>(TOKENS.MessagePublisher)),
            ...(config.publishAfterCommit ? { publishAfterCommit: ctx.get<MessagePublisher>(TOKENS.MessagePublisher) } : {}),
            logger,
          },
          applicationOptions(config),
        ),
      )
      .inSingletonScope();

    onActivation<UnitOfWork>(TOKENS.UnitOfWork, (_ctx, uow) => new TracingUnitOfWork(uow));
    onActivation<MessagePublisher>(TOKENS.MessagePublisher, (_ctx, publisher) => new TracingPublisher(publisher));
    onActivation<MessageSubscriber>(
      TOKENS.MessageSubscriber,
      (_ctx, subscriber) => new InstrumentedSubscriber(subscriber, metrics, logger.child({ component: "consumer" })),
    );
  });
}

/** The broker's message size limit, when its publisher declares one, so placement refuses orders it could not carry. */
function sizeLimitOf(publisher: MessagePublisher): { messageSizeLimit?: MessageSizeLimit } {
  const inner = publisher instanceof TracingPublisher ? publisher.inner : publisher;
  return hasMessageSizeLimit(inner) ? { messageSizeLimit: inner } : {};
}

/** The application settings read from the environment; the facade and every worker must get the same ones. */
export const applicationOptions = (config: Config): TiffinOptions => ({
  dispatch: {
    offerTtlMs: config.offerTtlMs,
    readyTimeoutMs: config.readyTimeoutMs,
    pickupTimeoutMs: config.pickupTimeoutMs,
    positionMaxAgeMs: config.positions.maxAgeMs,
  },
});
