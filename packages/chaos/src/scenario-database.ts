import { randomBytes } from "node:crypto";
import pg from "pg";

/** The server the suite creates its databases on: any database of it, reached as a role that may create databases. */
export const serverUrl = (env: NodeJS.ProcessEnv = process.env): string =>
  env.CHAOS_DATABASE_URL ?? env.TIFFIN_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** A database of its own for one scenario run, so no run sees another's rows; dropped (connections and all) afterwards. */
export class ScenarioDatabase {
  private constructor(
    private readonly server: string,
    readonly name: string,
    readonly url: string,
  ) {}

  static async create(server: string, scenario: string): Promise<ScenarioDatabase> {
    const name = `chaos_${scenario.replaceAll("-", "_")}_${randomBytes(4).toString("hex")}`;
    await onServer(server, (client) => client.query(`CREATE DATABASE ${name}`));
    const url = new URL(server);
    url.pathname = `/${name}`;
    return new ScenarioDatabase(server, name, url.toString());
  }

  async drop(): Promise<void> {
    // WITH (FORCE) ends the connections a SIGKILLed process left behind (PostgreSQL 13+).
    await onServer(this.server, (client) => client.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`));
  }
}

async function onServer(url: string, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
