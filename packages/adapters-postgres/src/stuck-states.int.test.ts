import { SYSTEM_PRINCIPAL } from "@tiffin/core";
import { type Scenario, describeStuckStateScenarios } from "@tiffin/core/testing";
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "./sql/database.js";
import { DRIVERS, dropTestDatabase, openTestDatabase } from "./test-support/test-database.js";
import { PostgresDeadLetters } from "./transport/dead-letters.js";
import { PostgresPublisher } from "./transport/publisher.js";
import { PostgresSubscriber } from "./transport/subscriber.js";
import { PostgresUnitOfWork } from "./unit-of-work.js";

/** The stuck-state scenarios with stores, outbox and the message transport (and its dead letters) on Postgres. */
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

    describeStuckStateScenarios(driver, async (options) => {
      const { Scenario } = await import("@tiffin/core/testing");
      const database = await openTestDatabase(driver);
      db = database;
      const pgSubscriber = new PostgresSubscriber(database, { pollIntervalMs: 100 });
      subscriber = pgSubscriber;
      scenario = await new Scenario({
        ...options,
        // The scenario's clock stands in for the server's, so moving it makes timers due.
        unitOfWork: (_inner, clock) => new PostgresUnitOfWork(database, { clock }),
        publisher: () => new PostgresPublisher(database),
        subscriber: () => (options.subscriber ? options.subscriber(pgSubscriber) : pgSubscriber),
        deadLetters: new PostgresDeadLetters(database),
      }).start();
      return scenario;
    });
  });
}

for (const { driver, available } of DRIVERS) {
  describe.skipIf(!available)(`the database's clock (${driver})`, () => {
    it("is the server's clock_timestamp(), read in the transaction", async () => {
      const database = await openTestDatabase(driver);
      try {
        const server = async () => new Date((await database.query<{ now: Date | string }>("SELECT clock_timestamp() AS now"))[0]!.now).getTime();
        const before = await server();
        const read = await new PostgresUnitOfWork(database).run(SYSTEM_PRINCIPAL, async (tx) => (await tx.clock.now()).getTime());
        const after = await server();
        expect(read).toBeGreaterThanOrEqual(before);
        expect(read).toBeLessThanOrEqual(after);
      } finally {
        await dropTestDatabase(database);
      }
    });
  });
}
