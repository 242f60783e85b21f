import { randomUUID } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import type { OutboxRecord } from "../../ports/outbox.js";
import { SYSTEM_PRINCIPAL } from "../../ports/principal.js";
import type { TransactionStores, UnitOfWork } from "../../ports/unit-of-work.js";

/**
 * What a store contract suite runs against. The suites never clean the database and never assume it is
 * empty: every test makes its own ids and rows, so one shared database (e.g. one Postgres schema) serves
 * every suite, as long as nothing else consumes its outbox or timers while they run.
 */
export interface StoreHarness {
  readonly uow: UnitOfWork;
  /**
   * The clock the stores measure outbox leases with, when the test may move it. Without it the lease
   * tests wait for real time (leases of a few hundred milliseconds).
   */
  readonly clock?: { advance(ms: number): void };
  close?(): Promise<void>;
}

/** Builds a harness; called once per contract `describe` block. */
export type StoreHarnessFactory = () => Promise<StoreHarness>;

/** What an adapter guarantees beyond the basics; a missing ability shows as skipped tests. */
export interface StoreFeatures {
  /** Reads and writes are limited to what the transaction's principal may see. */
  readonly rowLevelSecurity: boolean;
}

export const ALL_STORE_FEATURES: StoreFeatures = { rowLevelSecurity: true };

/** Creates the harness before the block's tests and closes it after them; call inside `describe`. */
export function useHarness(factory: StoreHarnessFactory): () => StoreHarness {
  let harness: StoreHarness | undefined;
  beforeAll(async () => {
    harness = await factory();
  });
  afterAll(async () => {
    await harness?.close?.();
  });
  return () => {
    if (!harness) throw new Error("store harness not ready: its factory failed");
    return harness;
  };
}

/** A fresh id, unique across runs sharing a database. */
export const uid = (prefix: string): string => `${prefix}-${randomUUID()}`;

/** Runs `fn` as the system principal (sees and changes everything). */
export const asSystem = <T>(uow: UnitOfWork, fn: (tx: TransactionStores) => Promise<T>): Promise<T> => uow.run(SYSTEM_PRINCIPAL, fn);

/** Retries `check` until it stops throwing, for at most `timeoutMs`; the last failure is rethrown. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/**
 * Lets `ms` pass for the stores and then checks: with a movable clock it advances it and checks once,
 * otherwise it polls `check` in real time until it passes.
 */
export async function afterElapsed<T>(harness: StoreHarness, ms: number, check: () => Promise<T>): Promise<T> {
  if (harness.clock) {
    harness.clock.advance(ms);
    return check();
  }
  return eventually(check, ms + 5_000);
}

/**
 * Takes the pending outbox records of `keys` out of the outbox: claims everything pending, marks the
 * records of `keys` sent and releases the others untouched. Returns them in position order.
 */
export async function takeOutbox(uow: UnitOfWork, keys: readonly string[]): Promise<OutboxRecord[]> {
  const relay = uid("observer");
  const wanted = new Set(keys);
  return asSystem(uow, async (tx) => {
    const seen = new Map<number, OutboxRecord>();
    for (;;) {
      const batch = (await tx.outbox.claim(relay, 500, 60_000)).filter((r) => !seen.has(r.position));
      if (batch.length === 0) break;
      for (const record of batch) seen.set(record.position, record);
    }
    const all = [...seen.values()].sort((a, b) => a.position - b.position);
    const mine = all.filter((r) => wanted.has(r.key));
    await tx.outbox.markSent(relay, mine.map((r) => r.position));
    await tx.outbox.release(relay, all.filter((r) => !wanted.has(r.key)).map((r) => r.position));
    return mine;
  });
}
