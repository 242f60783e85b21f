import { FakeClock, describeOutboxContract, describeStoreContracts } from "../testing/index.js";
import { InMemoryUnitOfWork } from "./in-memory-unit-of-work.js";

describeStoreContracts(
  "in-memory",
  async () => {
    const clock = new FakeClock();
    return { uow: new InMemoryUnitOfWork({ clock }), clock };
  },
  { rowLevelSecurity: true },
);

// The path a database adapter takes: leases measured by the real clock, so the lease test waits for real.
describeOutboxContract("in-memory, system clock", async () => ({ uow: new InMemoryUnitOfWork() }));
