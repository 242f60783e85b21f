import type { CartLine } from "../../domain/menu.js";
import { type MenuError, itemSoldOut } from "../../domain/menu.errors.js";
import { portionsNeeded } from "../../domain/menu-stock.js";
import { type Result, err, ok } from "../../domain/result.js";
import type { OrderStore } from "../../ports/order-store.js";
import type { TransactionStores, UnitOfWork } from "../../ports/unit-of-work.js";
import type { ServedMenu } from "./menu-cache.js";

/**
 * Reserves the portions a cart takes, in the placement's transaction, or names the sold-out item and the
 * first cart line that needs it (MENU_ITEM_SOLD_OUT). Nothing is taken when any item falls short. Only items the
 * served menu's stamp shows as limited are reserved: a cart of unlimited items costs no statement. (A count set
 * after the stamp was read commits after this placement's read, so this order came before it, as it would had the
 * store been asked a moment earlier.)
 */
export async function reservePortions(
  tx: TransactionStores,
  menu: ServedMenu,
  order: { readonly orderId: string; readonly customerId: string; readonly items: readonly CartLine[] },
): Promise<Result<void, MenuError>> {
  const needs = portionsNeeded(menu.document, order.items).filter((need) => menu.limitedItems.has(need.itemId));
  if (needs.length === 0) return ok(undefined);
  const reserved = await tx.catalog.reservePortions({ orderId: order.orderId, restaurantId: menu.restaurantId, customerId: order.customerId, needs });
  if (reserved.ok) return ok(undefined);
  const line = order.items.findIndex((l) => portionsNeeded(menu.document, [l]).some((n) => n.itemId === reserved.soldOutItemId));
  return err(itemSoldOut(line, order.items[line]?.itemId ?? reserved.soldOutItemId, reserved.soldOutItemId));
}

/**
 * The unit of work every use case and consumer runs with: an order change that cancels releases the order's
 * reserved portions in the same transaction. Cancellation has several causes (customer, kitchen rejection or
 * timeout, declined payment, no courier); hooking the store write covers each one, and any added later.
 */
export function releasingPortionsOnCancel(uow: UnitOfWork): UnitOfWork {
  return {
    run: (principal, fn) =>
      uow.run(principal, (tx) => {
        const orders: OrderStore = {
          load: (orderId) => tx.orders.load(orderId),
          stale: (filter) => tx.orders.stale(filter),
          create: (change, meta) => tx.orders.create(change, meta),
          update: async (orderId, change, meta) => {
            const result = await tx.orders.update(orderId, change, meta);
            if (result.ok && result.value.status === "cancelled") await tx.catalog.releasePortions(orderId);
            return result;
          },
        };
        return fn({ ...tx, orders });
      }),
  };
}
