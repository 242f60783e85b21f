import { CANCEL_REASONS, ORDER_STATUSES } from "@tiffin/core";
import { Type } from "typebox";
import { IdSchema, LatLngSchema, MoneySchema } from "./common.js";

const PAYMENT_STATUSES = ["pending", "captured", "declined", "refunded", "refund_failed", "paid_out"] as const;

/** The place-order body: nothing else is accepted (a total or customer id is a 400). */
export const PlaceOrderBody = Type.Object(
  {
    restaurantId: IdSchema,
    items: Type.Array(
      Type.Object(
        {
          itemId: IdSchema,
          quantity: Type.Integer({ minimum: 1, maximum: 99 }),
          options: Type.Optional(Type.Array(IdSchema, { maxItems: 50 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
    deliveryAddress: Type.Object(
      {
        lat: Type.Number({ minimum: -90, maximum: 90 }),
        lng: Type.Number({ minimum: -180, maximum: 180 }),
        line1: Type.Optional(Type.String({ maxLength: 200 })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, $id: "PlaceOrder" },
);

const OrderLineSchema = Type.Object({
  itemId: Type.String(),
  name: Type.String(),
  quantity: Type.Integer(),
  options: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), priceDelta: MoneySchema })),
  unitPrice: MoneySchema,
  lineTotal: MoneySchema,
});

export const OrderViewSchema = Type.Object(
  {
    id: Type.String(),
    status: Type.Enum(ORDER_STATUSES),
    restaurantId: Type.String(),
    customerId: Type.String(),
    courierId: Type.Union([Type.String(), Type.Null()]),
    lines: Type.Array(OrderLineSchema),
    total: MoneySchema,
    menuVersion: Type.Integer({ description: "the menu version the lines were priced against" }),
    paymentStatus: Type.Enum(PAYMENT_STATUSES),
    timeline: Type.Array(Type.Object({ status: Type.String(), at: Type.String() })),
    courierPosition: Type.Union([LatLngSchema, Type.Null()]),
    cancellationReason: Type.Union([Type.Enum(CANCEL_REASONS), Type.Null()], {
      description: "why a cancelled order was cancelled; null otherwise",
    }),
    version: Type.Integer(),
    traceId: Type.Optional(
      Type.String({ pattern: "^[0-9a-f]{32}$", description: "the W3C trace id of the request that placed the order, for the tracing backend" }),
    ),
  },
  { $id: "OrderView" },
);

/** What a command on an order answers: where the order now stands. */
export const OrderStateSchema = Type.Object({ id: Type.String(), status: Type.String(), version: Type.Integer() }, { $id: "OrderState" });

export const OrderIdParams = Type.Object({ id: IdSchema });
export const RestaurantOrderParams = Type.Object({ rid: IdSchema, id: IdSchema });

export const HistoryQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
});

export const IdempotencyHeaders = Type.Object({
  "idempotency-key": Type.Optional(Type.String({ description: "Required: 1..255 characters, unique per order" })),
});
