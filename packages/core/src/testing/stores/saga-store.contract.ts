import { describe, expect, it } from "vitest";
import type { SagaState } from "../../domain/payment-saga.js";
import { type StoreHarnessFactory, asSystem, useHarness } from "./harness.js";
import { sampleSaga, seedOrder, seedRestaurant } from "./samples.js";

const minutesAgo = (m: number): string => new Date(Date.now() - m * 60_000).toISOString();

/** SagaStore: insert, compare-and-set saves, listing by status, and finding stalled sagas. */
export function describeSagaStoreContract(name: string, factory: StoreHarnessFactory): void {
  describe(`${name}: SagaStore contract`, () => {
    const harness = useHarness(factory);

    it("inserts a saga at version 1 and loads it back", async () => {
      const { uow } = harness();
      const saga = sampleSaga(await seedOrder(uow));
      await asSystem(uow, (tx) => tx.sagas.save(saga));
      expect(await asSystem(uow, (tx) => tx.sagas.load(saga.orderId))).toEqual(saga);
      expect(await asSystem(uow, (tx) => tx.sagas.load("order-without-saga"))).toBeNull();
    });

    it("saves only the next version: a second insert, a stale save or a skipped version is a conflict", async () => {
      const { uow } = harness();
      const v1 = sampleSaga(await seedOrder(uow));
      await asSystem(uow, (tx) => tx.sagas.save(v1));
      const conflict = { name: "SagaVersionConflictError", code: "SAGA_VERSION_CONFLICT" };
      await expect(asSystem(uow, (tx) => tx.sagas.save({ ...v1, attempts: 9 }))).rejects.toMatchObject(conflict);
      const v2: SagaState = { ...v1, step: null, completed: ["charge"], version: 2 };
      await asSystem(uow, (tx) => tx.sagas.save(v2));
      await expect(asSystem(uow, (tx) => tx.sagas.save({ ...v2, lastError: "stale" }))).rejects.toMatchObject(conflict);
      await expect(asSystem(uow, (tx) => tx.sagas.save({ ...v2, version: 4 }))).rejects.toMatchObject(conflict);
      expect(await asSystem(uow, (tx) => tx.sagas.load(v1.orderId))).toEqual(v2);
    });

    it("lets one of two concurrent saves of the same version win", async () => {
      const { uow } = harness();
      const v1 = sampleSaga(await seedOrder(uow));
      await asSystem(uow, (tx) => tx.sagas.save(v1));
      const attempts = await Promise.allSettled(
        ["first", "second"].map((e) => asSystem(uow, (tx) => tx.sagas.save({ ...v1, lastError: e, version: 2 }))),
      );
      expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
      expect(await asSystem(uow, (tx) => tx.sagas.load(v1.orderId))).toMatchObject({ version: 2 });
    });

    it("lists sagas in a status, most recently updated first", async () => {
      const { uow } = harness();
      const restaurant = await seedRestaurant(uow);
      const orders = [await seedOrder(uow, { restaurantId: restaurant.id }), await seedOrder(uow, { restaurantId: restaurant.id })];
      const failed = orders.map((o, i) => sampleSaga(o, { status: "failed", step: null, updatedAt: minutesAgo(20 - i) }));
      const running = sampleSaga(await seedOrder(uow, { restaurantId: restaurant.id }), { updatedAt: minutesAgo(1) });
      for (const s of [...failed, running]) await asSystem(uow, (tx) => tx.sagas.save(s));
      const mine = new Set([...failed, running].map((s) => s.orderId));
      const listed = await asSystem(uow, (tx) => tx.sagas.list({ status: "failed", limit: 1_000 }));
      expect(listed.filter((s) => mine.has(s.orderId)).map((s) => s.orderId)).toEqual([failed[1]?.orderId, failed[0]?.orderId]);
      const all = await asSystem(uow, (tx) => tx.sagas.list({ limit: 1_000 }));
      expect(all.filter((s) => mine.has(s.orderId)).map((s) => s.orderId)).toEqual([running.orderId, failed[1]?.orderId, failed[0]?.orderId]);
    });

    it("finds running and compensating sagas with a step in flight not updated since the cutoff", async () => {
      const { uow } = harness();
      const restaurant = await seedRestaurant(uow);
      const saga = async (overrides: Partial<SagaState>): Promise<SagaState> => {
        const state = sampleSaga(await seedOrder(uow, { restaurantId: restaurant.id }), overrides);
        await asSystem(uow, (tx) => tx.sagas.save(state));
        return state;
      };
      const stuck = await saga({ updatedAt: minutesAgo(30) });
      const stuckCompensating = await saga({ status: "compensating", step: "refund", updatedAt: minutesAgo(20) });
      const fresh = await saga({ updatedAt: minutesAgo(1) });
      const waiting = await saga({ step: null, updatedAt: minutesAgo(30) });
      const done = await saga({ status: "completed", step: null, updatedAt: minutesAgo(30) });
      const mine = new Set([stuck, stuckCompensating, fresh, waiting, done].map((s) => s.orderId));
      const stalled = await asSystem(uow, (tx) => tx.sagas.stalled(new Date(Date.now() - 5 * 60_000), 1_000));
      expect(new Set(stalled.filter((s) => mine.has(s.orderId)).map((s) => s.orderId))).toEqual(
        new Set([stuck.orderId, stuckCompensating.orderId]),
      );
    });

    it("pages through running sagas waiting for an order event, not updated since the cutoff, by order id", async () => {
      const { uow } = harness();
      const restaurant = await seedRestaurant(uow);
      const saga = async (overrides: Partial<SagaState>): Promise<SagaState> => {
        const state = sampleSaga(await seedOrder(uow, { restaurantId: restaurant.id }), overrides);
        await asSystem(uow, (tx) => tx.sagas.save(state));
        return state;
      };
      const waiting = [await saga({ step: null, updatedAt: minutesAgo(30) }), await saga({ step: null, updatedAt: minutesAgo(10) })];
      const inFlight = await saga({ updatedAt: minutesAgo(30) });
      const fresh = await saga({ step: null, updatedAt: minutesAgo(1) });
      const compensating = await saga({ status: "compensating", step: null, updatedAt: minutesAgo(30) });
      const done = await saga({ status: "completed", step: null, updatedAt: minutesAgo(30) });
      const mine = new Set([...waiting, inFlight, fresh, compensating, done].map((s) => s.orderId));
      const cutoff = new Date(Date.now() - 5 * 60_000);
      const idle = (await asSystem(uow, (tx) => tx.sagas.idle(cutoff, 100_000))).filter((s) => mine.has(s.orderId));
      const expected = waiting.map((s) => s.orderId).sort();
      expect(idle.map((s) => s.orderId)).toEqual(expected);
      const afterFirst = await asSystem(uow, (tx) => tx.sagas.idle(cutoff, 100_000, expected[0]));
      expect(afterFirst.filter((s) => mine.has(s.orderId)).map((s) => s.orderId)).toEqual([expected[1]]);
      expect(await asSystem(uow, (tx) => tx.sagas.idle(cutoff, 1))).toHaveLength(1);
    });
  });
}
