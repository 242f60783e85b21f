import { VEHICLE_SPEED_KMH } from "@tiffin/core";
import { Type } from "typebox";
import { IdSchema, LatLngSchema, MoneySchema } from "./common.js";

export const LocationBody = Type.Object(
  { lat: Type.Number({ minimum: -90, maximum: 90 }), lng: Type.Number({ minimum: -180, maximum: 180 }) },
  { additionalProperties: false },
);

export const AvailabilityBody = Type.Object({ available: Type.Boolean() }, { additionalProperties: false });

export const OfferSchema = Type.Object({
  id: Type.String(),
  orderId: Type.String(),
  restaurantId: Type.String(),
  token: Type.Integer(),
  expiresAt: Type.String(),
}, { $id: "Offer" });

export const OfferParams = Type.Object({ id: IdSchema });

/** Accepting or declining echoes the offer's fencing token; an older token is 409 OFFER_STALE. */
export const OfferAnswerBody = Type.Object({ token: Type.Integer({ minimum: 0 }) }, { additionalProperties: false, $id: "OfferAnswer" });

export const CourierProfileBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    city: Type.String({ minLength: 1, maxLength: 200 }),
    vehicle: Type.Union(Object.keys(VEHICLE_SPEED_KMH).map((v) => Type.Literal(v)), { description: "sets the speed the `fastest` strategy uses" }),
    ratePerKm: MoneySchema,
  },
  { additionalProperties: false },
);

export const CourierSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  city: Type.String(),
  vehicle: Type.String(),
  speedKmh: Type.Number(),
  ratePerKm: MoneySchema,
  available: Type.Boolean(),
  active: Type.Boolean(),
  position: Type.Union([LatLngSchema, Type.Null()]),
  positionAt: Type.Union([Type.String(), Type.Null()]),
});

export const CouriersQuery = Type.Object({
  city: Type.Optional(Type.String({ maxLength: 200 })),
  active: Type.Optional(Type.Boolean()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

export const CourierParams = Type.Object({ id: IdSchema });

export const CourierActiveBody = Type.Object(
  { active: Type.Boolean({ description: "false: no more offers, and the open one is withdrawn" }) },
  { additionalProperties: false },
);
