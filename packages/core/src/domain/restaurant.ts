import { type LatLng, distanceKm } from "./geo.js";
import { type WeeklyHours, isOpenAt } from "./opening-hours.js";

/** A restaurant as the catalog stores it; whether it is open is derived (`isOpen`), never stored. */
export interface RestaurantProfile {
  readonly id: string;
  readonly name: string;
  readonly cuisine: string;
  readonly city: string;
  readonly location: LatLng;
  /** IANA time zone its `hours` are written in. */
  readonly timeZone: string;
  readonly hours: WeeklyHours;
  /** Default preparation time in minutes, for kitchens and estimates. */
  readonly prepMinutes: number;
  /** Intake paused by staff (a rush, a broken oven), whatever the hours say. */
  readonly closedNow: boolean;
  /** How far it delivers: addresses farther than this (great-circle, from `location`) are refused. */
  readonly deliveryRadiusKm: number;
}

/** The delivery radius of a restaurant created without one. */
export const DEFAULT_DELIVERY_RADIUS_KM = 10;
/** The widest delivery radius a restaurant may set. */
export const MAX_DELIVERY_RADIUS_KM = 100;

/** How far `address` is from the restaurant, and whether that is within its delivery radius. */
export function deliveryDistance(restaurant: RestaurantProfile, address: LatLng): { readonly km: number; readonly inRange: boolean } {
  const km = distanceKm(restaurant.location, address);
  return { km, inRange: km <= restaurant.deliveryRadiusKm };
}

/** Whether the restaurant takes orders at `instant`: within its hours on its own clock and not paused. */
export const isOpen = (restaurant: RestaurantProfile, instant: Date): boolean =>
  !restaurant.closedNow && isOpenAt(restaurant.hours, restaurant.timeZone, instant);
