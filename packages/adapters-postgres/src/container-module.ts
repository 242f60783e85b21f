import { type BrokerFactoryContext, type Env, TOKENS } from "@tiffin/core";
import { ContainerModule } from "inversify";
import type { Database } from "./sql/database.js";
import { PostgresDeadLetters } from "./transport/dead-letters.js";
import { PostgresPublisher } from "./transport/publisher.js";
import { PostgresSubscriber, type PostgresSubscriberConfig } from "./transport/subscriber.js";
import { PostgresUnitOfWork } from "./unit-of-work.js";

/** Tokens for what this adapter adds beyond core's ports. */
export const POSTGRES_TOKENS = {
  Database: Symbol.for("tiffin.postgres.Database"),
} as const;

/** Binds the Database and the UnitOfWork over it (every store). The database is opened and migrated by the caller. */
export const postgresStoresModule = (db: Database): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind<Database>(POSTGRES_TOKENS.Database).toConstantValue(db);
    bind(TOKENS.UnitOfWork).toConstantValue(new PostgresUnitOfWork(db));
  });

/**
 * Binds the Postgres message transport (TIFFIN_BROKER=postgres): publisher, subscriber and dead letters. The
 * subscriber is closed when the container unbinds it.
 */
export const postgresTransportModule = (db: Database, config: PostgresSubscriberConfig = {}): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(TOKENS.MessagePublisher).toConstantValue(new PostgresPublisher(db));
    bind<PostgresSubscriber>(TOKENS.MessageSubscriber)
      .toDynamicValue(() => new PostgresSubscriber(db, config))
      .inSingletonScope()
      .onDeactivation((subscriber) => subscriber.close());
    bind(TOKENS.DeadLetters).toConstantValue(new PostgresDeadLetters(db));
  });

/**
 * The adapter factory for `TIFFIN_BROKER=postgres`: the transport over the Database bound by `postgresStoresModule`.
 * It reads no variable of its own (the database is `TIFFIN_DATABASE_URL`, or embedded PGlite) and creates no topology:
 * its tables come with the migrations and a subscription's row with its first `subscribe`.
 */
export const brokerModule = (_env: Env, _context: BrokerFactoryContext): ContainerModule =>
  new ContainerModule(({ bind }) => {
    const db = (context: { get<T>(token: symbol): T }): Database => context.get<Database>(POSTGRES_TOKENS.Database);
    bind(TOKENS.MessagePublisher).toDynamicValue((context) => new PostgresPublisher(db(context))).inSingletonScope();
    bind<PostgresSubscriber>(TOKENS.MessageSubscriber)
      .toDynamicValue((context) => new PostgresSubscriber(db(context)))
      .inSingletonScope()
      .onDeactivation((subscriber) => subscriber.close());
    bind(TOKENS.DeadLetters).toDynamicValue((context) => new PostgresDeadLetters(db(context))).inSingletonScope();
  });
