import { Type } from "typebox";
import { IdSchema, LatLngSchema, MoneySchema } from "./common.js";

export const NearbyQuery = Type.Object({
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lng: Type.Number({ minimum: -180, maximum: 180 }),
  q: Type.Optional(Type.String({ maxLength: 100 })),
  radius_km: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 50 })),
});

export const RestaurantSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  cuisine: Type.String(),
  location: LatLngSchema,
  open: Type.Boolean(),
  distanceKm: Type.Number(),
});

const OptionGroupSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  min: Type.Integer(),
  max: Type.Integer(),
  options: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), priceDelta: MoneySchema })),
});

export const MenuSchema = Type.Object({
  restaurantId: Type.String(),
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
          optionGroups: Type.Array(OptionGroupSchema),
        }),
      ),
    }),
  ),
  combos: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      itemIds: Type.Array(Type.String()),
      available: Type.Boolean(),
      pricing: Type.Union([
        Type.Object({ kind: Type.Literal("fixed"), price: MoneySchema }),
        Type.Object({ kind: Type.Literal("discount"), off: MoneySchema }),
      ]),
    }),
  ),
});

export const RestaurantParams = Type.Object({ id: IdSchema });
