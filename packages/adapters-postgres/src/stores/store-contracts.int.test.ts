import { describeStoreContracts } from "@tiffin/core/testing";
import { afterAll, beforeAll, describe } from "vitest";
import type { Database } from "../sql/database.js";
import { DRIVERS, dropTestDatabase, openTestDatabase } from "../test-support/test-database.js";
import { PostgresUnitOfWork } from "../unit-of-work.js";

for (const { driver, available } of DRIVERS) {
  describe.skipIf(!available)(`postgres stores (${driver})`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await openTestDatabase(driver);
    });
    afterAll(async () => {
      if (db) await dropTestDatabase(db);
    });

    // The suites never assume an empty database, so every contract block shares this file's schema.
    describeStoreContracts(`postgres (${driver})`, async () => ({ uow: new PostgresUnitOfWork(db) }), { rowLevelSecurity: true });
  });
}
