import { MenuInvalidError } from "../../domain/menu.errors.js";
import type { MenuDocument, MenuItemDocument } from "../../domain/menu.js";
import { buildMenu } from "../../domain/menu-pricing.js";
import type { ItemStock } from "../../domain/menu-stock.js";
import { type Result, err, ok } from "../../domain/result.js";
import type { StockUpdate } from "../../ports/catalog.js";
import type { Principal } from "../../ports/principal.js";
import { requireRole } from "../common/access.js";
import { type Forbidden, type NotFound, type ValidationFailed, notFound, validationFailed } from "../common/application.errors.js";
import { type UseCaseContext, nowIso } from "../common/use-case-context.js";
import { type MenuInvalid, menuInvalid } from "./catalog.errors.js";
import type { ServedMenu } from "./menu-cache.js";
import { menuShapeProblem } from "./menu-shape.js";
import { managesRestaurant } from "./restaurants.js";

/** Most portions staff may set for an item in one day. */
export const MAX_PORTIONS = 100_000;

/** Served-only fields are dropped and the restaurant id comes from the route, never from the body. */
function normalise(restaurantId: string, doc: MenuDocument): MenuDocument {
  return {
    restaurantId,
    currency: doc.currency,
    categories: doc.categories.map(({ id, name, items }) => ({
      id,
      name,
      items: items.map(({ id: itemId, name: itemName, price, available, optionGroups }) => ({
        id: itemId,
        name: itemName,
        price,
        available,
        optionGroups: optionGroups.map((g) => ({
          ...g,
          options: g.options.map(({ id: optionId, name: optionName, priceDelta, available: on }) => ({
            id: optionId,
            name: optionName,
            priceDelta,
            ...(on === false ? { available: false } : {}),
          })),
        })),
      })),
    })),
    combos: doc.combos.map(({ id, name, itemIds, available, pricing }) => ({ id, name, itemIds, available, pricing })),
  };
}

/**
 * Its staff or an admin publish a whole menu as the restaurant's next version. The Composite validates it
 * first (MENU_INVALID, details naming the node). Orders keep the lines they were priced with, and record the
 * version, so a publication never changes a placed order.
 */
export async function publishMenu(
  ctx: UseCaseContext,
  principal: Principal,
  command: { readonly restaurantId: string; readonly menu: unknown },
): Promise<Result<{ version: number }, Forbidden | NotFound | MenuInvalid>> {
  const role = requireRole(principal, "restaurant", "admin", "system");
  if (!role.ok) return role;
  const { restaurantId } = command;
  if (!managesRestaurant(principal, restaurantId)) return err(notFound("restaurant", restaurantId));
  const shape = menuShapeProblem(command.menu);
  if (shape !== null) return err(menuInvalid(shape.message, { path: shape.path }));
  const document = normalise(restaurantId, command.menu as MenuDocument);
  try {
    buildMenu(document);
  } catch (error) {
    if (error instanceof MenuInvalidError) return err(menuInvalid(error.message, error.details));
    throw error;
  }
  return ctx.uow.run(principal, async (tx) => {
    if ((await tx.catalog.restaurant(restaurantId)) === null) return err(notFound("restaurant", restaurantId));
    const published = await tx.catalog.publishMenu(restaurantId, document, nowIso(ctx));
    return ok({ version: published.version });
  });
}

/** A change to an entry's stock: `portions` null is unlimited; `options` switches single options of an item. */
export interface StockChange extends StockUpdate {
  readonly restaurantId: string;
  readonly itemId: string;
}

/**
 * Its staff or an admin switch an item or combo on or off, switch single options of an item, or set an item's
 * portions for the day. Placement reads stock in its own transaction, so the change holds for the next order
 * on every instance.
 */
export async function setItemStock(
  ctx: UseCaseContext,
  principal: Principal,
  change: StockChange,
): Promise<Result<ItemStock & { soldOut: boolean }, Forbidden | NotFound | ValidationFailed>> {
  const role = requireRole(principal, "restaurant", "admin", "system");
  if (!role.ok) return role;
  const { restaurantId, itemId, available, portions, options } = change;
  if (!managesRestaurant(principal, restaurantId)) return err(notFound("restaurant", restaurantId));
  if (available === undefined && portions === undefined && options === undefined) return err(validationFailed("give available, portions or options"));
  if (available !== undefined && typeof available !== "boolean") return err(validationFailed("available must be a boolean", { field: "available" }));
  if (options !== undefined && !(typeof options === "object" && options !== null && Object.values(options).every((v) => typeof v === "boolean"))) {
    return err(validationFailed("options must map option ids to booleans", { field: "options" }));
  }
  if (portions !== undefined && portions !== null && !(Number.isInteger(portions) && portions >= 0 && portions <= MAX_PORTIONS)) {
    return err(validationFailed(`portions must be null or an integer in 0..${MAX_PORTIONS}`, { field: "portions" }));
  }
  return ctx.uow.run(principal, async (tx) => {
    const menu = await tx.catalog.menu(restaurantId);
    if (menu === null) return err(notFound("menu item", itemId));
    if (portions !== undefined && menu.document.combos.some((c) => c.id === itemId)) {
      return err(validationFailed("portions are counted on items; a combo sells out when one of its items does", { field: "portions", itemId }));
    }
    if (options !== undefined) {
      const offered = new Set(itemOf(menu.document, itemId)?.optionGroups.flatMap((g) => g.options.map((o) => o.id)) ?? []);
      const unknown = Object.keys(options).find((optionId) => !offered.has(optionId));
      if (unknown !== undefined) return err(notFound("menu option", `${itemId}/${unknown}`));
    }
    const stock = await tx.catalog.setStock(restaurantId, itemId, {
      ...(available === undefined ? {} : { available }),
      ...(portions === undefined ? {} : { portions }),
      ...(options === undefined ? {} : { options }),
    });
    return stock === null ? err(notFound("menu item", itemId)) : ok({ ...stock, soldOut: stock.portionsLeft === 0 });
  });
}

const itemOf = (doc: MenuDocument, itemId: string): MenuItemDocument | undefined =>
  doc.categories.flatMap((c) => c.items).find((i) => i.id === itemId);

/** A restaurant's menu as served now, with its version and ETag; any principal may ask. */
export async function getMenu(ctx: UseCaseContext, principal: Principal, restaurantId: string): Promise<Result<ServedMenu, NotFound>> {
  const menu = await ctx.uow.run(principal, (tx) => ctx.menus.current(tx, restaurantId));
  return menu === null ? err(notFound("menu", restaurantId)) : ok(menu);
}
