import type { LatLng } from "./geo.js";
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
}

/** Whether the restaurant takes orders at `instant`: within its hours on its own clock and not paused. */
export const isOpen = (restaurant: RestaurantProfile, instant: Date): boolean =>
  !restaurant.closedNow && isOpenAt(restaurant.hours, restaurant.timeZone, instant);
