import { describeBrokerContract } from "@tiffin/core/testing";
import { afterAll, beforeAll, describe } from "vitest";
import type { Database } from "../sql/database.js";
import { DRIVERS, dropTestDatabase, openTestDatabase } from "../test-support/test-database.js";
import { PostgresDeadLetters } from "./dead-letters.js";
import { PostgresPublisher } from "./publisher.js";
import { PostgresSubscriber } from "./subscriber.js";

for (const { driver, available } of DRIVERS) {
  describe.skipIf(!available)(`postgres transport (${driver})`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await openTestDatabase(driver);
    });
    afterAll(async () => {
      if (db) await dropTestDatabase(db);
    });

    // One schema per file is enough: every contract test uses its own topic and subscriptions.
    const subscriber = (): PostgresSubscriber => new PostgresSubscriber(db, { pollIntervalMs: 200, visibilityTimeoutMs: 5_000 });
    describeBrokerContract(
      `postgres (${driver})`,
      async () => {
        const publisher = new PostgresPublisher(db);
        const deadLetters = new PostgresDeadLetters(db);
        const first = subscriber();
        const opened = [first];
        return {
          publisher,
          subscriber: first,
          deadLetters,
          depth: first,
          publishRaw: (topic, message) => publisher.publishEncoded(topic, [message]),
          restart: async () => {
            const next = subscriber();
            opened.push(next);
            return { subscriber: next };
          },
          close: async () => {
            await Promise.all(opened.map((s) => s.close()));
            await publisher.close();
          },
        };
      },
      {
        persistent: true,
        orderingKeys: true,
        backoff: true,
        replay: true,
        maxPayloadBytes: 1024 * 1024,
        queueDepth: true,
        minRetryDelayMs: 20,
      },
    );
  });
}
