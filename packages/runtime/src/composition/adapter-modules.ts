import { InMemoryBroker, InMemoryProviderStore, InMemoryUnitOfWork, InMemoryViewChanges } from "@tiffin/core/memory";
import { TOKENS, canReportDepth } from "@tiffin/core";
import type { Database } from "@tiffin/adapters-postgres";
import { ContainerModule } from "inversify";
import { ConfigError } from "@tiffin/core";
import { brokerPackage } from "../config/brokers.js";
import { type Config, isEmbedded } from "../config/config.js";
import { positionsModule } from "./positions-module.js";
import { type HealthProbe, RUNTIME_TOKENS } from "./tokens.js";

/** What the selected adapters contribute: container modules, and the database for commands like `migrate`. */
export interface AdapterSelection {
  readonly modules: readonly ContainerModule[];
  /** The Postgres/PGlite database when one is used (a type import only: the module itself loads on demand). */
  readonly database: Database | null;
}

/** The PGlite folder inside the data folder (the data folder also holds the dev JWT secret). */
export const pgliteDir = (config: Config): string => `${config.dataDir.replace(/\/$/, "")}/pglite`;

/**
 * Chooses adapters from the configuration and loads them with dynamic `import()`, so a broker SDK that is not
 * selected is never loaded. TIFFIN_BROKER=memory with no database runs everything in memory (tests, demos);
 * otherwise the database is Postgres (`TIFFIN_DATABASE_URL`) or embedded PGlite.
 */
export async function selectAdapters(config: Config, options: { inMemory?: boolean } = {}): Promise<AdapterSelection> {
  // The broker's variables are validated before the database is opened.
  const broker = await brokerModule(config);
  if (options.inMemory === true) {
    if (config.broker.kind === "postgres") throw new ConfigError("TIFFIN_BROKER", "is postgres, which needs a database");
    return { modules: [inMemoryStoresModule(), broker, await positionsModule(config.positions)], database: null };
  }
  const pg = await import("@tiffin/adapters-postgres");
  const database = await pg.openDatabase(
    config.database.kind === "postgres"
      ? {
          url: config.database.url,
          maxConnections: config.database.poolSize,
          ...(config.database.schema === undefined ? {} : { schema: config.database.schema }),
        }
      : { dataDir: pgliteDir(config) },
  );
  const databaseProbe = new ContainerModule(({ bind }) => {
    bind<HealthProbe>(RUNTIME_TOKENS.HealthProbe).toConstantValue({ name: "database", check: async () => void (await database.query("SELECT 1")) });
    // The simulated providers keep their ledger in their own table, durable across Tiffin crashes.
    bind(RUNTIME_TOKENS.ProviderStore).toConstantValue(new pg.PostgresProviderStore(database));
    bind(TOKENS.ViewChangeFeed).toConstantValue(new pg.PostgresViewChanges(database));
  });
  return {
    modules: [pg.postgresStoresModule(database), databaseProbe, broker, await positionsModule(config.positions)],
    database,
  };
}

function inMemoryStoresModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    const uow = new InMemoryUnitOfWork();
    bind(TOKENS.UnitOfWork).toConstantValue(uow);
    bind(TOKENS.ViewChangeFeed).toConstantValue(new InMemoryViewChanges(uow.database));
    bind(RUNTIME_TOKENS.ProviderStore).toConstantValue(new InMemoryProviderStore());
    bind<HealthProbe>(RUNTIME_TOKENS.HealthProbe).toConstantValue({ name: "database", check: async () => undefined });
  });
}

/**
 * The broker's module: core's in-memory broker, or the `brokerModule(env, context)` of the package TIFFIN_BROKER names,
 * which validates that package's own variables (throwing ConfigError naming one).
 */
async function brokerModule(config: Config): Promise<ContainerModule> {
  const { kind, env } = config.broker;
  if (kind === "memory") {
    return new ContainerModule(({ bind }) => {
      const memory = new InMemoryBroker();
      bind(TOKENS.MessagePublisher).toConstantValue(memory);
      bind(TOKENS.MessageSubscriber).toConstantValue(memory);
      bind(TOKENS.DeadLetters).toConstantValue(memory);
      bind<HealthProbe>(RUNTIME_TOKENS.HealthProbe).toConstantValue({ name: "broker", check: async () => undefined });
    });
  }
  return (await brokerPackage(kind)).brokerModule(env, { development: isEmbedded(config) });
}

/** A broker readiness probe from the bound subscriber: its queue depth answers, or it is assumed up. */
export const brokerProbe = (subscriber: object): HealthProbe => ({
  name: "broker",
  check: async () => {
    if (canReportDepth(subscriber)) await subscriber.depth("projections");
  },
});
