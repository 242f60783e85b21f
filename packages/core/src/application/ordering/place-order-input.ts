import { createHash } from "node:crypto";
import type { DeliveryAddress } from "../../domain/events.js";
import { isValidLatLng } from "../../domain/geo.js";
import { findUnstorableText } from "../../domain/storable-text.js";
import type { CartLine } from "../../domain/menu.js";
import { type Result, err, ok } from "../../domain/result.js";
import { type ValidationFailed, validationFailed } from "../common/application.errors.js";

/** The place-order body. There is deliberately no amount and no customer id: the server decides both. */
export interface PlaceOrderInput {
  readonly restaurantId: string;
  readonly items: readonly CartLine[];
  readonly deliveryAddress: DeliveryAddress;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function unknownKeys(value: Record<string, unknown>, allowed: readonly string[]): string[] {
  return Object.keys(value).filter((k) => !allowed.includes(k));
}

function line(value: unknown, index: number): Result<CartLine, ValidationFailed> {
  const bad = (why: string) => err(validationFailed(`items[${index}]: ${why}`, { field: `items[${index}]` }));
  if (!isRecord(value)) return bad("must be an object");
  const extra = unknownKeys(value, ["itemId", "quantity", "options"]);
  if (extra.length > 0) return bad(`unknown fields ${extra.join(", ")}`);
  if (typeof value.itemId !== "string" || value.itemId === "") return bad("itemId must be a non-empty string");
  if (typeof value.quantity !== "number") return bad("quantity must be a number");
  const options = value.options ?? [];
  if (!Array.isArray(options) || !options.every((o) => typeof o === "string")) return bad("options must be option ids");
  return ok({ itemId: value.itemId, quantity: value.quantity, options: options as string[] });
}

/**
 * Checks the shape of a place-order body and normalises it; fields the server decides (a total, a customer id)
 * or does not know are rejected, never ignored. Quantities and ids are checked against the menu later.
 */
export function parsePlaceOrder(value: unknown): Result<PlaceOrderInput, ValidationFailed> {
  if (!isRecord(value)) return err(validationFailed("the order must be an object"));
  const unstorable = findUnstorableText(value);
  if (unstorable !== null) return err(validationFailed(`${unstorable} holds NUL or a lone surrogate, which cannot be stored`, { field: unstorable }));
  const extra = unknownKeys(value, ["restaurantId", "items", "deliveryAddress"]);
  if (extra.length > 0) return err(validationFailed(`unknown fields ${extra.join(", ")}`, { fields: extra }));
  if (typeof value.restaurantId !== "string" || value.restaurantId === "") {
    return err(validationFailed("restaurantId must be a non-empty string", { field: "restaurantId" }));
  }
  if (!Array.isArray(value.items)) return err(validationFailed("items must be an array", { field: "items" }));
  const items: CartLine[] = [];
  for (const [index, item] of value.items.entries()) {
    const parsed = line(item, index);
    if (!parsed.ok) return parsed;
    items.push(parsed.value);
  }
  const address = value.deliveryAddress;
  if (!isRecord(address) || typeof address.lat !== "number" || typeof address.lng !== "number" || !isValidLatLng({ lat: address.lat, lng: address.lng })) {
    return err(validationFailed("deliveryAddress needs a valid lat and lng", { field: "deliveryAddress" }));
  }
  if (unknownKeys(address, ["lat", "lng", "line1"]).length > 0 || (address.line1 !== undefined && typeof address.line1 !== "string")) {
    return err(validationFailed("deliveryAddress has only lat, lng and an optional line1", { field: "deliveryAddress" }));
  }
  const deliveryAddress: DeliveryAddress = {
    lat: address.lat,
    lng: address.lng,
    ...(typeof address.line1 === "string" ? { line1: address.line1 } : {}),
  };
  return ok({ restaurantId: value.restaurantId, items, deliveryAddress });
}

/** A stable hash of a normalised request, to tell a replay (same hash) from a key reused for another request. */
export function requestHash(input: PlaceOrderInput): string {
  const canonical = JSON.stringify([
    input.restaurantId,
    input.items.map((i) => [i.itemId, i.quantity, i.options ?? []]),
    [input.deliveryAddress.lat, input.deliveryAddress.lng, input.deliveryAddress.line1 ?? null],
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}
