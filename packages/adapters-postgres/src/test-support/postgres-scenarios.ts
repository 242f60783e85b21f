import type { Scenario, ScenarioStarter } from "@tiffin/core/testing";
import { afterEach, describe } from "vitest";
import type { Database } from "../sql/database.js";
import { PostgresDeadLetters } from "../transport/dead-letters.js";
import { PostgresPublisher } from "../transport/publisher.js";
import { PostgresSubscriber } from "../transport/subscriber.js";
import { PostgresUnitOfWork } from "../unit-of-work.js";
import { DRIVERS, dropTestDatabase, openTestDatabase } from "./test-database.js";

/**
 * Runs one of core's scenario suites with stores, outbox, the message transport and its dead letters on Postgres,
 * once per available driver, each scenario on a database of its own.
 */
export function describeScenariosOnPostgres(describeScenarios: (name: string, start: ScenarioStarter) => void): void {
  for (const { driver, available } of DRIVERS) {
    describe.skipIf(!available)(`on Postgres (${driver})`, () => {
      let db: Database | undefined;
      let subscriber: PostgresSubscriber | undefined;
      let scenario: Scenario | undefined;
      afterEach(async () => {
        await scenario?.dispose();
        await subscriber?.close();
        if (db) await dropTestDatabase(db);
        [scenario, subscriber, db] = [undefined, undefined, undefined];
      });

      describeScenarios(driver, async (options) => {
        const { Scenario } = await import("@tiffin/core/testing");
        const database = await openTestDatabase(driver);
        db = database;
        const pgSubscriber = new PostgresSubscriber(database, { pollIntervalMs: 100 });
        subscriber = pgSubscriber;
        const publisher = new PostgresPublisher(database);
        scenario = await new Scenario({
          ...options,
          // The scenario's clock stands in for the server's, so moving it makes timers due.
          unitOfWork: (_inner, clock) => new PostgresUnitOfWork(database, { clock }),
          publisher: () => (options.publisher ? options.publisher(publisher) : publisher),
          subscriber: () => (options.subscriber ? options.subscriber(pgSubscriber) : pgSubscriber),
          deadLetters: new PostgresDeadLetters(database),
        }).start();
        return scenario;
      });
    });
  }
}
