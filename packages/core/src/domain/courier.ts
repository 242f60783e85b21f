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
