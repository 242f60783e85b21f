import { Type } from "typebox";
import { principalOf } from "../plugins/auth.js";
import { PageSchema, problems } from "../schemas/common.js";
import { AvailabilityBody, CourierProfileBody, CourierSchema, LocationBody, OfferAnswerBody, OfferParams, OfferSchema } from "../schemas/courier.schemas.js";
import { OrderIdParams, OrderStateSchema } from "../schemas/order.schemas.js";
import type { RouteContext, TiffinFastify } from "./route-deps.js";
import { courier, list, offer, orderState, unwrap } from "./views.js";

const tags = ["couriers"];

/** Courier routes: position, availability, offers (with fencing tokens) and the pickup/delivery actions. */
export function courierRoutes(app: TiffinFastify, ctx: RouteContext): void {
  app.put(
    "/v1/couriers/me",
    {
      schema: {
        tags,
        summary: "Join as a courier, or update your profile; the vehicle sets your speed for the `fastest` strategy",
        body: CourierProfileBody,
        response: { 200: CourierSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => courier(unwrap(await ctx.tiffin.send(principalOf(request), { type: "JoinAsCourier", profile: request.body }))),
  );

  app.put(
    "/v1/couriers/me/location",
    {
      schema: {
        tags,
        summary: "Report your position",
        body: LocationBody,
        response: { 200: Type.Object({ position: LocationBody, at: Type.String() }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => unwrap(await ctx.tiffin.send(principalOf(request), { type: "UpdateCourierLocation", ...request.body })),
  );

  app.put(
    "/v1/couriers/me/availability",
    { schema: { tags, summary: "Go on or off shift", body: AvailabilityBody, response: { 200: AvailabilityBody, ...problems(400, 401, 403, 404) } } },
    async (request) => unwrap(await ctx.tiffin.send(principalOf(request), { type: "SetCourierAvailability", available: request.body.available })),
  );

  app.get(
    "/v1/couriers/me/offers",
    { schema: { tags, summary: "Your open offers", response: { 200: PageSchema(OfferSchema), ...problems(401, 403) } } },
    async (request) => list(unwrap(await ctx.tiffin.ask(principalOf(request), { type: "CourierOffers" })).map(offer)),
  );

  for (const [path, type] of [
    ["accept", "AcceptOffer"],
    ["decline", "DeclineOffer"],
  ] as const) {
    app.post(
      `/v1/offers/:id/${path}`,
      {
        schema: {
          tags,
          summary: `${path === "accept" ? "Accept" : "Decline"} an offer with its token; a stale or expired token is 409 OFFER_STALE; the same answer sent again (a lost reply retried) gets the offer back unchanged`,
          params: OfferParams,
          body: OfferAnswerBody,
          response: { 200: OfferSchema, ...problems(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        offer(unwrap(await ctx.tiffin.send(principalOf(request), { type, offerId: request.params.id, token: request.body.token }))),
    );
  }

  for (const [path, type] of [
    ["picked-up", "MarkPickedUp"],
    ["delivered", "MarkDelivered"],
  ] as const) {
    app.post(
      `/v1/orders/:id/${path}`,
      { schema: { tags, summary: `The assigned courier marks the order ${path}`, params: OrderIdParams, response: { 200: OrderStateSchema, ...problems(401, 403, 404, 409) } } },
      async (request) => orderState(unwrap(await ctx.tiffin.send(principalOf(request), { type, orderId: request.params.id }))),
    );
  }
}
