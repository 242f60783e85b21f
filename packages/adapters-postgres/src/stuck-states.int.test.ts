import { SYSTEM_PRINCIPAL } from "@tiffin/core";
import { describeStuckStateScenarios } from "@tiffin/core/testing";
import { describe, expect, it } from "vitest";
import { describeScenariosOnPostgres } from "./test-support/postgres-scenarios.js";
import { DRIVERS, dropTestDatabase, openTestDatabase } from "./test-support/test-database.js";
import { PostgresUnitOfWork } from "./unit-of-work.js";

/** The stuck-state scenarios with stores, outbox and the message transport (and its dead letters) on Postgres. */
describeScenariosOnPostgres(describeStuckStateScenarios);

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
