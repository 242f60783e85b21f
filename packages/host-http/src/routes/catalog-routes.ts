import type { Principal } from "@tiffin/core";
import { optionalPrincipal } from "../plugins/auth.js";
import { MenuSchema, NearbyQuery, RestaurantParams, RestaurantSchema } from "../schemas/catalog.schemas.js";
import { PageSchema, problems } from "../schemas/common.js";
import type { RouteContext, TiffinFastify } from "./route-deps.js";
import { list, menu, restaurant, unwrap } from "./views.js";

/** Who browses the catalog without a token: it is public, and every principal may read it. */
const ANONYMOUS: Principal = { role: "customer", id: "anonymous" };

const tags = ["catalog"];

/** Public catalog routes: nearby restaurants and menus. */
export function catalogRoutes(app: TiffinFastify, ctx: RouteContext): void {
  app.get(
    "/v1/restaurants",
    {
      config: { public: true },
      schema: {
        tags,
        summary: "Open restaurants near a point, nearest first, optionally matching q",
        querystring: NearbyQuery,
        response: { 200: PageSchema(RestaurantSchema), ...problems(400) },
      },
    },
    async (request) => {
      const { lat, lng, q, radius_km } = request.query;
      const principal = (await optionalPrincipal(request, ctx.verifyToken)) ?? ANONYMOUS;
      const found = unwrap(
        await ctx.tiffin.ask(principal, {
          type: "NearbyRestaurants",
          point: { lat, lng },
          ...(q === undefined ? {} : { query: q }),
          ...(radius_km === undefined ? {} : { radiusKm: radius_km }),
        }),
      );
      return list(found.map(restaurant));
    },
  );

  app.get(
    "/v1/restaurants/:id/menu",
    {
      config: { public: true },
      schema: { tags, summary: "A restaurant's menu tree with prices", params: RestaurantParams, response: { 200: MenuSchema, ...problems(404) } },
    },
    async (request) => {
      const principal = (await optionalPrincipal(request, ctx.verifyToken)) ?? ANONYMOUS;
      return menu(unwrap(await ctx.tiffin.ask(principal, { type: "Menu", restaurantId: request.params.id })));
    },
  );
}

