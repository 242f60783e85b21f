import { principalOf } from "../plugins/auth.js";
import { RestaurantParams } from "../schemas/catalog.schemas.js";
import { PageSchema, eventStream, problems } from "../schemas/common.js";
import { OrderStateSchema, OrderViewSchema, RestaurantOrderParams } from "../schemas/order.schemas.js";
import { streamRestaurantSnapshots } from "../streams/sse.js";
import type { RouteContext, TiffinFastify } from "./route-deps.js";
import { list, orderState, orderView, unwrap } from "./views.js";

const tags = ["restaurants"];
const BoardSchema = PageSchema(OrderViewSchema);

/** Restaurant staff routes: the live board (and its stream) and the kitchen actions. */
export function kitchenRoutes(app: TiffinFastify, ctx: RouteContext): void {
  const board = async (principal: Parameters<typeof ctx.tiffin.ask>[0], restaurantId: string) =>
    ctx.tiffin.ask(principal, { type: "RestaurantBoard", restaurantId });

  app.get(
    "/v1/restaurants/:id/board",
    { schema: { tags, summary: "Active orders of your restaurant, oldest first", params: RestaurantParams, response: { 200: BoardSchema, ...problems(401, 403, 404) } } },
    async (request) => list(unwrap(await board(principalOf(request), request.params.id)).map(orderView)),
  );

  app.get(
    "/v1/restaurants/:id/board/stream",
    {
      schema: {
        tags,
        summary: "Server-sent events: `event: board` with the active orders whenever they change",
        params: RestaurantParams,
        produces: ["text/event-stream"],
        response: { 200: eventStream("the board whenever it changes"), ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const since = ctx.streams.fanOut.announced;
      const first = list(unwrap(await board(principal, request.params.id)).map(orderView));
      const read = async () => {
        const current = await board(principal, request.params.id);
        return current.ok ? list(current.value.map(orderView)) : null;
      };
      streamRestaurantSnapshots(request, reply, ctx.streams, { restaurantId: request.params.id, since }, "board", read, first);
    },
  );

  const actions = [
    ["accept", "AcceptOrder", "Accept a paid order; the kitchen starts preparing"],
    ["reject", "RejectOrder", "Reject an order; the customer is refunded"],
    ["ready", "MarkOrderReady", "The food is ready for pickup"],
  ] as const;
  for (const [path, type, summary] of actions) {
    app.post(
      `/v1/restaurants/:rid/orders/:id/${path}`,
      { schema: { tags, summary, params: RestaurantOrderParams, response: { 200: OrderStateSchema, ...problems(401, 403, 404, 409) } } },
      async (request) =>
        orderState(unwrap(await ctx.tiffin.send(principalOf(request), { type, restaurantId: request.params.rid, orderId: request.params.id }))),
    );
  }
}
