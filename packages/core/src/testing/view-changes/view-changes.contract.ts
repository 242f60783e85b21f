import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Order } from "../../domain/order.js";
import type { OrderView } from "../../ports/read-models.js";
import type { UnitOfWork } from "../../ports/unit-of-work.js";
import type { ViewChange, ViewChangeFeed } from "../../ports/view-changes.js";
import { asSystem, eventually, uid } from "../stores/harness.js";
import { sampleView, seedOrder, seedRestaurant } from "../stores/samples.js";

/** What the view change feed contract runs against: a feed and the unit of work whose commits it announces. */
export interface ViewChangesHarness {
  readonly uow: UnitOfWork;
  readonly feed: ViewChangeFeed;
  close?(): Promise<void>;
}

export type ViewChangesHarnessFactory = () => Promise<ViewChangesHarness>;

/** Orders of one restaurant with their first views saved (placement: not announced). */
async function placedViews(uow: UnitOfWork, count: number): Promise<OrderView[]> {
  const restaurantId = (await seedRestaurant(uow)).id;
  const orders: Order[] = [];
  for (let i = 0; i < count; i++) orders.push(await seedOrder(uow, { restaurantId }));
  const views = orders.map((order) => sampleView(order));
  await asSystem(uow, async (tx) => {
    for (const view of views) await tx.views.saveView(view);
  });
  return views;
}

const confirmed = (view: OrderView): OrderView => ({ ...view, status: "confirmed", revision: view.revision + 1 });

/** Whether a received change covers the view (by id, or as `everything`). */
const covers = (change: ViewChange, view: OrderView): boolean =>
  change.kind === "everything" || (change.orderIds.includes(view.id) && change.restaurantIds.includes(view.restaurantId));

/** ViewChangeFeed: committed view updates are announced, rolled-back ones are not; one read gives many revisions. */
export function describeViewChangeFeedContract(name: string, factory: ViewChangesHarnessFactory): void {
  describe(`${name}: ViewChangeFeed contract`, () => {
    let value: ViewChangesHarness | undefined;
    const received: ViewChange[] = [];
    let stop: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      value = await factory();
      stop = await value.feed.subscribe((change) => received.push(change));
    });
    afterAll(async () => {
      await stop?.();
      await value?.close?.();
    });
    const harness = (): ViewChangesHarness => {
      if (!value) throw new Error("view changes harness not ready: its factory failed");
      return value;
    };
    const announced = (view: OrderView): boolean => received.some((change) => covers(change, view));

    it("announces a committed update with the order and restaurant ids, and a rolled-back one never", async () => {
      const { uow } = harness();
      const [kept, rolledBack] = (await placedViews(uow, 2)) as [OrderView, OrderView];
      await expect(
        asSystem(uow, async (tx) => {
          await tx.views.saveView(confirmed(rolledBack));
          throw new Error("roll back");
        }),
      ).rejects.toThrow("roll back");
      await asSystem(uow, (tx) => tx.views.saveView(confirmed(kept)));
      await eventually(async () => expect(announced(kept)).toBe(true));
      const named = received.filter((change) => change.kind === "views");
      expect(named.some((change) => change.orderIds.includes(rolledBack.id))).toBe(false);
    });

    it("announces every view of a transaction that updated many, by ids or as everything", async () => {
      const { uow } = harness();
      const views = await placedViews(uow, 250);
      await asSystem(uow, async (tx) => {
        for (const view of views) await tx.views.saveView(confirmed(view));
      });
      await eventually(async () => expect(views.every(announced)).toBe(true));
    });

    it("stops announcing once unsubscribed", async () => {
      const { uow, feed } = harness();
      const own: ViewChange[] = [];
      const stopOwn = await feed.subscribe((change) => own.push(change));
      const [first, second] = (await placedViews(uow, 2)) as [OrderView, OrderView];
      await asSystem(uow, (tx) => tx.views.saveView(confirmed(first)));
      await eventually(async () => expect(own.some((change) => covers(change, first))).toBe(true));
      await stopOwn();
      own.length = 0;
      await asSystem(uow, (tx) => tx.views.saveView(confirmed(second)));
      await eventually(async () => expect(announced(second)).toBe(true));
      expect(own).toEqual([]);
    });

    it("reads the revisions of many views at once, leaving out those that do not exist", async () => {
      const { uow, feed } = harness();
      const [first, second] = (await placedViews(uow, 2)) as [OrderView, OrderView];
      await asSystem(uow, (tx) => tx.views.saveView(confirmed(second)));
      const missing = uid("order");
      const revisions = await feed.revisions([first.id, second.id, missing]);
      expect(Object.fromEntries(revisions)).toEqual({ [first.id]: 1, [second.id]: 2 });
      expect((await feed.revisions([])).size).toBe(0);
    });
  });
}
