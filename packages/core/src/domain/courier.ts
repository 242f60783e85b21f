import type { LatLng } from "./geo.js";
import type { Money } from "./money.js";

/** An available courier near a restaurant, with what the matching strategies rank on. */
export interface CourierCandidate {
  readonly courierId: string;
  readonly position: LatLng;
  /** Average travel speed in km/h. */
  readonly speedKmh: number;
  /** Orders the courier is carrying now. */
  readonly activeOrders: number;
  /** What the courier charges per kilometre. */
  readonly ratePerKm: Money;
}

/** How a courier travels; it sets the speed the `fastest` strategy ranks by. */
export type Vehicle = "foot" | "bicycle" | "scooter" | "car";

/** Average urban speed per vehicle in km/h (door to door, traffic and parking included). */
export const VEHICLE_SPEED_KMH: Readonly<Record<Vehicle, number>> = { foot: 5, bicycle: 15, scooter: 25, car: 20 };

export const isVehicle = (value: unknown): value is Vehicle => typeof value === "string" && Object.hasOwn(VEHICLE_SPEED_KMH, value);
