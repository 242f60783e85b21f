import type { Database } from "./sql/database.js";
import { PgDatabase } from "./sql/pg-database.js";
import { PgliteDatabase } from "./sql/pglite-database.js";

export interface OpenDatabaseConfig {
  /** A PostgreSQL URL (TIFFIN_DATABASE_URL); absent: embedded PGlite in `dataDir`. */
  readonly url?: string;
  /** PGlite data folder (TIFFIN_DATA_DIR, default `./.tiffin/data`); `memory://` keeps it in memory. */
  readonly dataDir?: string;
  readonly schema?: string;
  readonly maxConnections?: number;
}

/** Opens the database: a server when a URL is given, otherwise embedded PGlite. */
export async function openDatabase(config: OpenDatabaseConfig = {}): Promise<Database> {
  if (config.url) {
    return new PgDatabase({
      connectionString: config.url,
      ...(config.schema === undefined ? {} : { schema: config.schema }),
      ...(config.maxConnections === undefined ? {} : { maxConnections: config.maxConnections }),
    });
  }
  const dataDir = config.dataDir ?? "./.tiffin/data";
  return PgliteDatabase.open({
    ...(dataDir === "memory://" ? {} : { dataDir }),
    ...(config.schema === undefined ? {} : { schema: config.schema }),
  });
}
