import { describeViewChangeFeedContract } from "../testing/view-changes/view-changes.contract.js";
import { InMemoryDatabase } from "./in-memory-database.js";
import { InMemoryUnitOfWork } from "./in-memory-unit-of-work.js";
import { InMemoryViewChanges } from "./view-changes.js";

describeViewChangeFeedContract("memory", async () => {
  const database = new InMemoryDatabase();
  return { uow: new InMemoryUnitOfWork({ database }), feed: new InMemoryViewChanges(database) };
});
