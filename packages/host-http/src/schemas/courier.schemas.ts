import { Type } from "typebox";
import { IdSchema } from "./common.js";

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
});

export const OfferParams = Type.Object({ id: IdSchema });

/** Accepting or declining echoes the offer's fencing token; an older token is 409 OFFER_STALE. */
export const OfferAnswerBody = Type.Object({ token: Type.Integer({ minimum: 0 }) }, { additionalProperties: false });
