import type { Clock } from "../ports/clock.js";
import type { Principal } from "../ports/principal.js";
import type { InMemoryDatabase, Transaction } from "./in-memory-database.js";

/** What every in-memory store of one transaction works with. */
export interface StoreContext {
  readonly db: InMemoryDatabase;
  readonly txn: Transaction;
  readonly principal: Principal;
  readonly clock: Clock;
}
