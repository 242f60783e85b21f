import { InMemoryBroker, InMemoryProviderStore, InMemoryUnitOfWork } from "@tiffin/core/memory";
import { TOKENS, canReportDepth } from "@tiffin/core";
import type { Database } from "@tiffin/adapters-postgres";
import { ContainerModule } from "inversify";
import { ConfigError } from "../config/config.errors.js";
import type { BrokerConfig, Config } from "../config/config.js";
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
  if (options.inMemory === true) return { modules: [inMemoryStoresModule(), await brokerModule(config.broker, null)], database: null };
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
  });
  return {
    modules: [pg.postgresStoresModule(database), databaseProbe, await brokerModule(config.broker, database)],
    database,
  };
}

function inMemoryStoresModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.UnitOfWork).toConstantValue(new InMemoryUnitOfWork());
    bind(RUNTIME_TOKENS.ProviderStore).toConstantValue(new InMemoryProviderStore());
    bind<HealthProbe>(RUNTIME_TOKENS.HealthProbe).toConstantValue({ name: "database", check: async () => undefined });
  });
}

type AdapterPackage = Record<string, unknown>;

/** Imports an optional adapter package by name; a missing one is a configuration error naming TIFFIN_BROKER. */
export async function importAdapter(name: string, broker: string): Promise<AdapterPackage> {
  try {
    return (await import(name)) as AdapterPackage;
  } catch (cause) {
    if ((cause as { code?: string }).code === "ERR_MODULE_NOT_FOUND") {
      throw new ConfigError("TIFFIN_BROKER", `is "${broker}" but the adapter package ${name} is not installed`);
    }
    throw cause;
  }
}

async function brokerModule(broker: BrokerConfig, database: AdapterSelection["database"]): Promise<ContainerModule> {
  switch (broker.kind) {
    case "memory":
      return new ContainerModule(({ bind }) => {
        const memory = new InMemoryBroker();
        bind(TOKENS.MessagePublisher).toConstantValue(memory);
        bind(TOKENS.MessageSubscriber).toConstantValue(memory);
        bind(TOKENS.DeadLetters).toConstantValue(memory);
        bind<HealthProbe>(RUNTIME_TOKENS.HealthProbe).toConstantValue({ name: "broker", check: async () => undefined });
      });
    case "postgres": {
      if (database === null) throw new ConfigError("TIFFIN_BROKER", "is postgres, which needs a database");
      const pg = await import("@tiffin/adapters-postgres");
      return pg.postgresTransportModule(database);
    }
    case "aws": {
      const aws = await importAdapter("@tiffin/adapters-aws", broker.kind);
      const module = aws.awsBrokerModule as (config: object) => ContainerModule;
      return module({ region: broker.region, ...(broker.endpointUrl === undefined ? {} : { endpoint: broker.endpointUrl }), createTopology: true });
    }
    case "gcp": {
      const gcp = await importAdapter("@tiffin/adapters-gcp", broker.kind);
      const module = gcp.gcpBrokerModule as (config: object) => ContainerModule;
      return module({ projectId: broker.projectId, ...(broker.emulatorHost === undefined ? {} : { emulatorHost: broker.emulatorHost }) });
    }
    case "azure": {
      const azure = await importAdapter("@tiffin/adapters-azure", broker.kind);
      const module = azure.azureBrokerModule as (config: object) => ContainerModule;
      return module({
        ...(broker.connectionString === undefined ? {} : { connectionString: broker.connectionString }),
        ...(broker.namespace === undefined ? {} : { fullyQualifiedNamespace: broker.namespace }),
      });
    }
  }
}

/** A broker readiness probe from the bound subscriber: its queue depth answers, or it is assumed up. */
export const brokerProbe = (subscriber: object): HealthProbe => ({
  name: "broker",
  check: async () => {
    if (canReportDepth(subscriber)) await subscriber.depth("projections");
  },
});
