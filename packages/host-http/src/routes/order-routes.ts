import { isOrderSettled } from "@tiffin/core";
import { Type } from "typebox";
import { principalOf } from "../plugins/auth.js";
import { eventStream, problems } from "../schemas/common.js";
import { HistoryQuery, IdempotencyHeaders, OrderIdParams, OrderStateSchema, OrderViewSchema, PlaceOrderBody } from "../schemas/order.schemas.js";
import { streamOrderEvents } from "../streams/order-events.js";
import type { RouteContext, TiffinFastify } from "./route-deps.js";
import { list, orderState, orderView, unwrap } from "./views.js";

const tags = ["orders"];

/** Customers' order routes: place (idempotent), read, history, cancel, and the order's event stream. */
export function orderRoutes(app: TiffinFastify, ctx: RouteContext): void {
  app.post(
    "/v1/orders",
    {
      schema: {
        tags,
        summary: "Place an order (customer). Requires Idempotency-Key; a replay answers the first response again. A sold-out item is 409 MENU_ITEM_SOLD_OUT.",
        headers: IdempotencyHeaders,
        body: PlaceOrderBody,
        response: { 201: OrderViewSchema, ...problems(400, 401, 403, 404, 409, 413, 422) },
      },
    },
    async (request, reply) => {
      const placed = unwrap(
        await ctx.tiffin.send(principalOf(request), {
          type: "PlaceOrder",
          idempotencyKey: request.headers["idempotency-key"] ?? "",
          order: request.body,
        }),
      );
      if (placed.replayed) void reply.header("idempotent-replayed", "true");
      return reply.code(201).header("location", `/v1/orders/${placed.view.id}`).send(orderView(placed.view));
    },
  );

  app.get(
    "/v1/orders",
    { schema: { tags, summary: "Your orders, newest first (customer)", querystring: HistoryQuery, response: { 200: Type.Object({ items: Type.Array(OrderViewSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...problems(400, 401, 403) } } },
    async (request) => {
      const page = unwrap(
        await ctx.tiffin.ask(principalOf(request), {
          type: "OrderHistory",
          ...(request.query.limit === undefined ? {} : { limit: request.query.limit }),
          cursor: request.query.cursor ?? null,
        }),
      );
      return list(page.items.map(orderView), page.nextCursor);
    },
  );

  app.get(
    "/v1/orders/:id",
    { schema: { tags, summary: "An order (its customer, restaurant, courier, or an admin)", params: OrderIdParams, response: { 200: OrderViewSchema, ...problems(401, 404) } } },
    async (request) => orderView(unwrap(await ctx.tiffin.ask(principalOf(request), { type: "GetOrder", orderId: request.params.id }))),
  );

  app.post(
    "/v1/orders/:id/cancel",
    { schema: { tags, summary: "Cancel your order while it is placed, confirmed or preparing", params: OrderIdParams, response: { 202: OrderStateSchema, ...problems(401, 403, 404, 409) } } },
    async (request, reply) => {
      const order = unwrap(await ctx.tiffin.send(principalOf(request), { type: "CancelOrder", orderId: request.params.id }));
      return reply.code(202).send(orderState(order));
    },
  );

  app.get(
    "/v1/orders/:id/stream",
    {
      schema: {
        tags,
        summary:
          "Server-sent events: every transition is its own `event: order` with the view (id: its place in the timeline; reconnect with Last-Event-ID to resume), then other changes (payment, courier position); the stream ends once the order is settled",
        params: OrderIdParams,
        produces: ["text/event-stream"],
        response: { 200: eventStream("the order's events until it is delivered, paid out or cancelled"), ...problems(401, 404) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      // One principal's streams of one order (tabs, devices) share a read per change.
      const readKey = JSON.stringify([principal.role, principal.id, principal.restaurantId ?? null, request.params.id]);
      const read = () =>
        ctx.streams.fanOut.shareRead(readKey, async () => {
          const view = await ctx.tiffin.ask(principal, { type: "GetOrder", orderId: request.params.id });
          return view.ok ? orderView(view.value) : null;
        });
      const since = ctx.streams.fanOut.announced;
      const first = orderView(unwrap(await ctx.tiffin.ask(principal, { type: "GetOrder", orderId: request.params.id })));
      streamOrderEvents(request, reply, ctx.streams, { orderId: request.params.id, since }, read, first, isOrderSettled);
    },
  );
}
