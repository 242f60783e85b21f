import { isValidLatLng } from "../../domain/geo.js";
import { type WeeklyHours, hoursProblem, isValidTimeZone } from "../../domain/opening-hours.js";
import { type Result, err, ok } from "../../domain/result.js";
import { MAX_DELIVERY_RADIUS_KM, type RestaurantProfile } from "../../domain/restaurant.js";
import { type ValidationFailed, validationFailed } from "../common/application.errors.js";

/** What an admin gives to create a restaurant; `id` is for imports and the demo seed, else one is generated. */
export interface NewRestaurant {
  readonly id?: string;
  readonly name: string;
  readonly cuisine: string;
  readonly city: string;
  readonly location: { readonly lat: number; readonly lng: number };
  readonly timeZone: string;
  readonly hours: WeeklyHours;
  readonly prepMinutes: number;
  readonly closedNow?: boolean;
  /** Kilometres it delivers (default DEFAULT_DELIVERY_RADIUS_KM). */
  readonly deliveryRadiusKm?: number;
}

/** A partial update by staff or admin; absent fields keep their value. */
export type RestaurantPatch = Partial<Omit<NewRestaurant, "id">>;

const FIELDS = ["name", "cuisine", "city", "location", "timeZone", "hours", "prepMinutes", "closedNow", "deliveryRadiusKm"] as const;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const bad = (field: string, why: string) => err(validationFailed(`${field} ${why}`, { field }));

/** Checks each present field; returns the first problem, naming the field. */
function checkFields(value: Record<string, unknown>): Result<void, ValidationFailed> {
  for (const field of ["name", "cuisine", "city"] as const) {
    const text = value[field];
    if (text !== undefined && (typeof text !== "string" || text.trim() === "" || text.length > 200)) return bad(field, "must be 1..200 characters");
  }
  const location = value.location;
  if (location !== undefined && (!isRecord(location) || typeof location.lat !== "number" || typeof location.lng !== "number" || !isValidLatLng({ lat: location.lat, lng: location.lng }))) {
    return bad("location", "needs lat in -90..90 and lng in -180..180");
  }
  if (value.timeZone !== undefined && !isValidTimeZone(value.timeZone)) return bad("timeZone", "must be an IANA time zone such as Europe/Berlin");
  if (value.hours !== undefined) {
    const problem = hoursProblem(value.hours);
    if (problem !== null) return err(validationFailed(problem, { field: "hours" }));
  }
  const prep = value.prepMinutes;
  if (prep !== undefined && !(Number.isInteger(prep) && (prep as number) >= 1 && (prep as number) <= 240)) return bad("prepMinutes", "must be an integer in 1..240");
  if (value.closedNow !== undefined && typeof value.closedNow !== "boolean") return bad("closedNow", "must be a boolean");
  const radius = value.deliveryRadiusKm;
  if (radius !== undefined && !(typeof radius === "number" && Number.isFinite(radius) && radius > 0 && radius <= MAX_DELIVERY_RADIUS_KM)) {
    return bad("deliveryRadiusKm", `must be a number of kilometres above 0 and at most ${MAX_DELIVERY_RADIUS_KM}`);
  }
  const unknown = Object.keys(value).filter((k) => !(FIELDS as readonly string[]).includes(k) && k !== "id");
  if (unknown.length > 0) return err(validationFailed(`unknown fields ${unknown.join(", ")}`, { fields: unknown }));
  return ok(undefined);
}

/** Validates a new restaurant: every field but `id`, `closedNow` and `deliveryRadiusKm` is required. */
export function parseNewRestaurant(value: unknown): Result<NewRestaurant, ValidationFailed> {
  if (!isRecord(value)) return err(validationFailed("the restaurant must be an object"));
  for (const field of ["name", "cuisine", "city", "location", "timeZone", "hours", "prepMinutes"]) {
    if (value[field] === undefined) return bad(field, "is required");
  }
  if (value.id !== undefined && (typeof value.id !== "string" || !/^[A-Za-z0-9_.:-]{1,100}$/.test(value.id))) return bad("id", "must be 1..100 of A-Z a-z 0-9 _ . : -");
  const checked = checkFields(value);
  return checked.ok ? ok(value as unknown as NewRestaurant) : checked;
}

/** Validates a patch: any subset of the fields, never the id. */
export function parseRestaurantPatch(value: unknown): Result<RestaurantPatch, ValidationFailed> {
  if (!isRecord(value)) return err(validationFailed("the change must be an object"));
  if (value.id !== undefined) return bad("id", "cannot be changed");
  const checked = checkFields(value);
  return checked.ok ? ok(value as RestaurantPatch) : checked;
}

/** The profile with a patch applied. */
export const applyPatch = (profile: RestaurantProfile, patch: RestaurantPatch): RestaurantProfile => ({
  ...profile,
  ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
  ...(patch.location ? { location: { lat: patch.location.lat, lng: patch.location.lng } } : {}),
});
