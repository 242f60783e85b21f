import { describe, expect, it } from "vitest";
import type { Order } from "../../domain/order.js";
import type { OrderView } from "../../ports/read-models.js";
import type { UnitOfWork } from "../../ports/unit-of-work.js";
import { type StoreHarnessFactory, asSystem, uid, useHarness } from "./harness.js";
import { sampleView, seedOrder, seedRestaurant } from "./samples.js";

const minute = (n: number): string => new Date(Date.UTC(2026, 2, 1, 12, n)).toISOString();

const saveViews = (uow: UnitOfWork, views: readonly OrderView[]): Promise<void> =>
  asSystem(uow, async (tx) => {
    for (const view of views) await tx.views.saveView(view);
  });

/** Orders of one restaurant, placed a minute apart, with their first views saved. */
async function placed(uow: UnitOfWork, count: number, options: { customerId?: string } = {}): Promise<Order[]> {
  const restaurantId = (await seedRestaurant(uow)).id;
  const orders: Order[] = [];
  for (let i = 0; i < count; i++) orders.push(await seedOrder(uow, { restaurantId, customerId: options.customerId, at: minute(i) }));
  await saveViews(uow, orders.map((o) => sampleView(o)));
  return orders;
}

/** ReadModels: revision compare-and-set, history paging, the restaurant board and courier positions. */
export function describeReadModelsContract(name: string, factory: StoreHarnessFactory): void {
  describe(`${name}: ReadModels contract`, () => {
    const harness = useHarness(factory);

    it("inserts a view at revision 1 and replaces it only with the next revision", async () => {
      const { uow } = harness();
      const [order] = (await placed(uow, 1)) as [Order];
      const v1 = sampleView(order);
      expect(await asSystem(uow, (tx) => tx.views.getView(order.id))).toEqual(v1);
      const conflict = { name: "ViewRevisionConflictError", code: "VIEW_REVISION_CONFLICT" };
      await expect(saveViews(uow, [v1])).rejects.toMatchObject(conflict);
      const v2: OrderView = { ...v1, status: "confirmed", revision: 2, timeline: [...v1.timeline, { status: "confirmed", at: minute(5) }] };
      await saveViews(uow, [v2]);
      await expect(saveViews(uow, [{ ...v2, paymentStatus: "captured" }])).rejects.toMatchObject(conflict);
      await expect(saveViews(uow, [{ ...v2, revision: 4 }])).rejects.toMatchObject(conflict);
      expect(await asSystem(uow, (tx) => tx.views.getView(order.id))).toEqual(v2);
      expect(await asSystem(uow, (tx) => tx.views.getView(uid("order")))).toBeNull();
    });

    it("pages a customer's history newest first with a cursor, each order once", async () => {
      const { uow } = harness();
      const customerId = uid("customer");
      const orders = await placed(uow, 5, { customerId });
      await placed(uow, 1);
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 5; page++) {
        const result = await asSystem(uow, (tx) => tx.views.history(customerId, { limit: 2, cursor }));
        expect(result.items.length).toBeLessThanOrEqual(2);
        seen.push(...result.items.map((v) => v.id));
        cursor = result.nextCursor;
        if (cursor === null) break;
      }
      expect(cursor).toBeNull();
      expect(seen).toEqual(orders.map((o) => o.id).reverse());
    });

    it("shows a restaurant's active orders on its board, oldest first", async () => {
      const { uow } = harness();
      const restaurantId = (await seedRestaurant(uow)).id;
      const orders: Order[] = [];
      for (let i = 0; i < 4; i++) orders.push(await seedOrder(uow, { restaurantId, at: minute(i) }));
      const [a, b, c, d] = orders as [Order, Order, Order, Order];
      await saveViews(uow, [
        sampleView(c, { status: "preparing" }),
        sampleView(a),
        sampleView(b, { status: "delivered" }),
        sampleView(d, { status: "cancelled" }),
      ]);
      await placed(uow, 1);
      const board = await asSystem(uow, (tx) => tx.views.board(restaurantId));
      expect(board.map((v) => v.id)).toEqual([a.id, c.id]);
    });
  });
}
