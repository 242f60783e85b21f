import type { Principal } from "@tiffin/core";
import { Type } from "typebox";
import { optionalPrincipal, principalOf } from "../plugins/auth.js";
import {
  MenuBody,
  MenuItemParams,
  MenuOptionParams,
  MenuSchema,
  NearbyQuery,
  NewRestaurantBody,
  OptionSwitchBody,
  PublishedSchema,
  RestaurantDetailsSchema,
  RestaurantParams,
  RestaurantPatchBody,
  RestaurantSchema,
  StockBody,
  StockSchema,
} from "../schemas/catalog.schemas.js";
import { PageSchema, problems } from "../schemas/common.js";
import type { RouteContext, TiffinFastify } from "./route-deps.js";
import { list, menu, restaurant, restaurantDetails, stock, unwrap } from "./views.js";

/** Who browses the catalog without a token: it is public, and every principal may read it. */
const ANONYMOUS: Principal = { role: "customer", id: "anonymous" };

const tags = ["catalog"];

/** Whether an If-None-Match header (a list of entity tags, or `*`) matches `etag`, by weak comparison (RFC 9110). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || opaque(tag) === opaque(etag));
}

/** Catalog routes: search and menus for everyone; restaurant details, menus and stock for their staff and admins. */
export function catalogRoutes(app: TiffinFastify, ctx: RouteContext): void {
  app.get(
    "/v1/restaurants",
    {
      config: { public: true },
      schema: {
        tags,
        summary: "Restaurants near a point: open now by default; nearest first, or best text match first with q",
        querystring: NearbyQuery,
        response: { 200: PageSchema(RestaurantSchema), ...problems(400, 401) },
      },
    },
    async (request) => {
      const { lat, lng, q, radius_km, open_now, limit } = request.query;
      const principal = (await optionalPrincipal(request, ctx.verifyToken)) ?? ANONYMOUS;
      const found = unwrap(
        await ctx.tiffin.ask(principal, {
          type: "NearbyRestaurants",
          point: { lat, lng },
          ...(q === undefined ? {} : { q }),
          ...(radius_km === undefined ? {} : { radiusKm: radius_km }),
          ...(open_now === undefined ? {} : { openNow: open_now }),
          ...(limit === undefined ? {} : { limit }),
        }),
      );
      return list(found.map(restaurant));
    },
  );

  app.post(
    "/admin/restaurants",
    {
      schema: {
        tags: ["admin", ...tags],
        summary: "Add a restaurant (admin); it takes orders within its hours once a menu is published",
        body: NewRestaurantBody,
        response: { 201: RestaurantDetailsSchema, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const created = unwrap(await ctx.tiffin.send(principalOf(request), { type: "CreateRestaurant", restaurant: request.body }));
      return reply.code(201).header("location", `/v1/restaurants/${created.id}/menu`).send(restaurantDetails(created));
    },
  );

  app.patch(
    "/v1/restaurants/:id",
    {
      schema: {
        tags,
        summary: "Change a restaurant's details, weekly hours (in its time zone) or closedNow (its staff, admin)",
        params: RestaurantParams,
        body: RestaurantPatchBody,
        response: { 200: RestaurantDetailsSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) =>
      restaurantDetails(unwrap(await ctx.tiffin.send(principalOf(request), { type: "UpdateRestaurant", restaurantId: request.params.id, change: request.body }))),
  );

  app.get(
    "/v1/restaurants/:id/menu",
    {
      config: { public: true },
      schema: {
        tags,
        summary: "A restaurant's menu with prices and its version; ETag and If-None-Match (304) supported",
        params: RestaurantParams,
        response: { 200: MenuSchema, 304: Type.Null({ description: "Not Modified: the ETag still matches" }), ...problems(401, 404) },
      },
    },
    async (request, reply) => {
      const principal = (await optionalPrincipal(request, ctx.verifyToken)) ?? ANONYMOUS;
      const served = unwrap(await ctx.tiffin.ask(principal, { type: "Menu", restaurantId: request.params.id }));
      void reply.header("etag", served.etag).header("cache-control", "no-cache");
      if (matches(request.headers["if-none-match"], served.etag)) return reply.code(304).send(null);
      return menu(served);
    },
  );

  app.put(
    "/v1/restaurants/:id/menu",
    {
      schema: {
        tags,
        summary: "Publish the whole menu as a new version (its staff, admin); rule violations are 422 MENU_INVALID naming the node",
        params: RestaurantParams,
        body: MenuBody,
        response: { 200: PublishedSchema, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request) => unwrap(await ctx.tiffin.send(principalOf(request), { type: "PublishMenu", restaurantId: request.params.id, menu: request.body })),
  );

  app.patch(
    "/v1/restaurants/:id/menu/items/:itemId",
    {
      schema: {
        tags,
        summary: "Switch an item or combo on or off, or set an item's portions for the day (null: unlimited)",
        params: MenuItemParams,
        body: StockBody,
        response: { 200: StockSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { id, itemId } = request.params;
      const { available, portions } = request.body;
      return stock(
        unwrap(
          await ctx.tiffin.send(principalOf(request), {
            type: "SetMenuItemStock",
            restaurantId: id,
            itemId,
            ...(available === undefined ? {} : { available }),
            ...(portions === undefined ? {} : { portions }),
          }),
        ),
      );
    },
  );

  app.patch(
    "/v1/restaurants/:id/menu/items/:itemId/options/:optionId",
    {
      schema: {
        tags,
        summary: "Switch one option of an item on or off (a sauce ran out); effective for the next placement",
        params: MenuOptionParams,
        body: OptionSwitchBody,
        response: { 200: StockSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { id, itemId, optionId } = request.params;
      const change = { type: "SetMenuItemStock", restaurantId: id, itemId, options: { [optionId]: request.body.available } } as const;
      return stock(unwrap(await ctx.tiffin.send(principalOf(request), change)));
    },
  );
}
