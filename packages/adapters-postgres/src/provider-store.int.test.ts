import { describeProviderStoreContract } from "@tiffin/core/testing";
import { afterAll, beforeAll, describe } from "vitest";
import { PostgresProviderStore } from "./provider-store.js";
import type { Database } from "./sql/database.js";
import { DRIVERS, dropTestDatabase, openTestDatabase } from "./test-support/test-database.js";

for (const { driver, available } of DRIVERS) {
  describe.skipIf(!available)(`postgres provider store (${driver})`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await openTestDatabase(driver);
    });
    afterAll(async () => {
      if (db) await dropTestDatabase(db);
    });

    // `reopen` builds a new store over the same tables, as a restarted process would.
    describeProviderStoreContract(
      `postgres (${driver})`,
      async () => ({ store: new PostgresProviderStore(db), reopen: async () => new PostgresProviderStore(db) }),
      { durable: true },
    );
  });
}
