import type { LatLng } from "../domain/geo.js";
import type { TransactionStores } from "./unit-of-work.js";

/** One position report of a courier: where, when (the reporting server's clock), and the city it is sharded by. */
export interface PositionFix {
  readonly courierId: string;
  readonly city: string;
  readonly position: LatLng;
  readonly at: string;
}

/** A courier's latest known position. */
export interface LatestPosition {
  readonly position: LatLng;
  readonly at: string;
}

/** Couriers near a point in one city whose latest fix is at or after `freshSince`. */
export interface NearestSearch {
  readonly city: string;
  readonly point: LatLng;
  readonly radiusKm: number;
  /** ISO time: older fixes are not candidates (the courier's app stopped reporting). */
  readonly freshSince: string;
  readonly limit: number;
  readonly exclude?: readonly string[];
}

/** A courier found by a nearest search. */
export interface NearPosition {
  readonly courierId: string;
  readonly position: LatLng;
  readonly distanceKm: number;
}

/**
 * Live courier positions, apart from the durable courier directory, because a metro's couriers report several
 * times a second in total and a relational transaction per report does not scale (Redis GEO does).
 *
 * Guarantees every adapter keeps (the contract suite checks them):
 * - a courier's latest position never goes back in time: a fix older than the stored one is ignored;
 * - `nearest` answers only couriers whose latest fix is fresh (`freshSince`), in the searched city, within the
 *   radius, nearest first (ties by id), at most `limit`;
 * - a courier who reports from another city leaves the first city's searches.
 * It knows nothing of shifts or load: dispatch checks those in its own transaction (`CourierLocator.candidates`).
 */
export interface CourierPositions {
  /** Stores a fix unless the courier's stored one is newer; true when it became the latest. */
  record(fix: PositionFix): Promise<boolean>;
  /**
   * The courier's latest position, or null. A store kept in the database reads through `tx` when given one
   * (no second connection while the caller holds a transaction); other stores ignore it.
   */
  latest(courierId: string, tx?: TransactionStores): Promise<LatestPosition | null>;
  /** Couriers near a point; `tx` as for `latest`. */
  nearest(search: NearestSearch, tx?: TransactionStores): Promise<NearPosition[]>;
}
