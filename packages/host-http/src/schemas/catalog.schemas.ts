import { Type } from "typebox";
import { IdSchema, LatLngSchema, MoneySchema } from "./common.js";

export const NearbyQuery = Type.Object({
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lng: Type.Number({ minimum: -180, maximum: 180 }),
  q: Type.Optional(Type.String({ maxLength: 100, description: "words matched as prefixes of words in the name, cuisine and dish names" })),
  radius_km: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 50, default: 5, description: "kilometres around lat, lng" })),
  open_now: Type.Optional(Type.Boolean({ default: true, description: "only restaurants open now on their own clock and not paused" })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20, description: "at most this many restaurants" })),
});

export const RestaurantSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  cuisine: Type.String(),
  location: LatLngSchema,
  open: Type.Boolean(),
  distanceKm: Type.Number(),
  deliveryRadiusKm: Type.Number({ description: "it delivers to addresses within this many kilometres of its location" }),
}, { $id: "Restaurant" });

const Clock = (description: string) => Type.String({ pattern: "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$", description });

const PeriodSchema = Type.Object(
  { opens: Clock("local HH:MM"), closes: Clock("local HH:MM; at or before `opens` runs past midnight; 24:00 is end of day") },
  { additionalProperties: false },
);

/** Weekly hours in the restaurant's time zone; a missing or empty day is closed. */
export const HoursSchema = Type.Object(
  Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((day) => [day, Type.Optional(Type.Array(PeriodSchema, { maxItems: 6 }))])),
  { additionalProperties: false, description: "weekly opening hours in `timeZone`" },
);

const Text = Type.String({ minLength: 1, maxLength: 200 });

const restaurantFields = {
  name: Text,
  cuisine: Text,
  city: Text,
  location: LatLngSchema,
  timeZone: Type.String({ minLength: 1, maxLength: 64, description: "IANA time zone, e.g. Europe/Berlin" }),
  hours: HoursSchema,
  prepMinutes: Type.Integer({ minimum: 1, maximum: 240, description: "default preparation time" }),
};

const DeliveryRadius = Type.Number({
  exclusiveMinimum: 0,
  maximum: 100,
  description: "kilometres (great-circle from `location`) it delivers; an order to an address beyond is 422 DELIVERY_OUT_OF_RANGE",
});

export const NewRestaurantBody = Type.Object(
  { ...restaurantFields, closedNow: Type.Optional(Type.Boolean()), deliveryRadiusKm: Type.Optional({ ...DeliveryRadius, default: 10 }) },
  { additionalProperties: false },
);

export const RestaurantPatchBody = Type.Partial(
  Type.Object(
    { ...restaurantFields, closedNow: Type.Boolean({ description: "pause intake now, whatever the hours say" }), deliveryRadiusKm: DeliveryRadius },
    { additionalProperties: false },
  ),
);

/** A restaurant as its staff and admins see it. */
export const RestaurantDetailsSchema = Type.Object({
  id: Type.String(),
  ...restaurantFields,
  closedNow: Type.Boolean(),
  deliveryRadiusKm: DeliveryRadius,
  open: Type.Boolean({ description: "takes orders now: within its hours and not paused" }),
});

const OptionGroupSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  min: Type.Integer(),
  max: Type.Integer(),
  options: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), priceDelta: MoneySchema, available: Type.Boolean({ description: "staff's switch for this option" }) }),
  ),
});

const Pricing = Type.Union([
  Type.Object({ kind: Type.Literal("fixed"), price: MoneySchema }),
  Type.Object({ kind: Type.Literal("discount"), off: MoneySchema }),
]);

export const MenuSchema = Type.Object({
  restaurantId: Type.String(),
  version: Type.Integer({ description: "the published version; orders record the version they were priced against" }),
  currency: Type.String(),
  categories: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      items: Type.Array(
        Type.Object({
          id: Type.String(),
          name: Type.String(),
          price: MoneySchema,
          available: Type.Boolean(),
          soldOut: Type.Boolean(),
          optionGroups: Type.Array(OptionGroupSchema),
        }),
      ),
    }),
  ),
  combos: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), itemIds: Type.Array(Type.String()), available: Type.Boolean(), soldOut: Type.Boolean(), pricing: Pricing }),
  ),
}, { $id: "Menu" });

const Strict = { additionalProperties: false } as const;

/** A menu to publish: the served shape without served-only fields; the Composite checks its rules. */
export const MenuBody = Type.Object(
  {
    restaurantId: Type.Optional(Type.String({ description: "ignored: the path names the restaurant" })),
    currency: Type.String({ pattern: "^[A-Z]{3}$" }),
    categories: Type.Array(
      Type.Object(
        {
          id: Text,
          name: Text,
          items: Type.Array(
            Type.Object(
              {
                id: Text,
                name: Text,
                price: MoneySchema,
                available: Type.Boolean(),
                optionGroups: Type.Array(
                  Type.Object(
                    { id: Text, name: Text, min: Type.Integer(), max: Type.Integer(), options: Type.Array(Type.Object({ id: Text, name: Text, priceDelta: MoneySchema, available: Type.Optional(Type.Boolean()) }, Strict)) },
                    Strict,
                  ),
                ),
              },
              Strict,
            ),
          ),
        },
        Strict,
      ),
    ),
    combos: Type.Array(Type.Object({ id: Text, name: Text, itemIds: Type.Array(Type.String()), available: Type.Boolean(), pricing: Pricing }, Strict)),
  },
  Strict,
);

export const PublishedSchema = Type.Object({ version: Type.Integer() });

export const StockBody = Type.Object(
  {
    available: Type.Optional(Type.Boolean()),
    portions: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 100_000 }), Type.Null()], { description: "portions left today; null is unlimited" })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const StockSchema = Type.Object({
  itemId: Type.String(),
  available: Type.Boolean(),
  portionsLeft: Type.Union([Type.Integer(), Type.Null()]),
  soldOut: Type.Boolean(),
  unavailableOptions: Type.Array(Type.String(), { description: "ids of this item's options switched off" }),
});

export const OptionSwitchBody = Type.Object({ available: Type.Boolean() }, { additionalProperties: false });

export const RestaurantParams = Type.Object({ id: IdSchema });
export const MenuItemParams = Type.Object({ id: IdSchema, itemId: IdSchema });
export const MenuOptionParams = Type.Object({ id: IdSchema, itemId: IdSchema, optionId: IdSchema });
