import type { Courier } from "../ports/couriers.js";
import type { Offer } from "../ports/offer-store.js";
import type { Principal } from "../ports/principal.js";

/**
 * The row-level security policies of the Postgres schema, as predicates. The in-memory stores filter every read
 * with them and check every write against them, as FORCE ROW LEVEL SECURITY would in Postgres.
 */
export const isPrivileged = (p: Principal): boolean => p.role === "admin" || p.role === "system";

/** Orders and order views: the customer who placed it, its restaurant's staff, its assigned courier. */
export function canSeeOrder(
  p: Principal,
  row: { readonly customerId: string; readonly restaurantId: string; readonly courierId: string | null },
): boolean {
  switch (p.role) {
    case "admin":
    case "system":
      return true;
    case "customer":
      return row.customerId === p.id;
    case "restaurant":
      return p.restaurantId !== undefined && row.restaurantId === p.restaurantId;
    case "courier":
      return row.courierId === p.id;
  }
}

/** Offers: the courier they are addressed to. */
export const canSeeOffer = (p: Principal, offer: Pick<Offer, "courierId">): boolean =>
  isPrivileged(p) || (p.role === "courier" && offer.courierId === p.id);

/** Courier profiles and positions: the courier themself. */
export const canSeeCourier = (p: Principal, courier: Pick<Courier, "id">): boolean =>
  isPrivileged(p) || (p.role === "courier" && courier.id === p.id);

/** Idempotency records: the principal that wrote them. */
export const canSeeIdempotency = (p: Principal, row: { readonly ownerId: string }): boolean =>
  isPrivileged(p) || row.ownerId === p.id;

/** Thrown when a write would create or change a row its principal may not see (a WITH CHECK violation). */
export class RowLevelSecurityError extends Error {
  override readonly name = "RowLevelSecurityError";
  readonly code = "ROW_LEVEL_SECURITY";
  readonly transient = false;
  constructor(table: string, p: Principal) {
    super(`new row violates row-level security policy for table "${table}" (principal ${p.role}:${p.id})`);
  }
}

/** Throws RowLevelSecurityError unless `allowed`. */
export function checkWrite(allowed: boolean, table: string, p: Principal): void {
  if (!allowed) throw new RowLevelSecurityError(table, p);
}

/** Restaurant profiles, menus and stock: written by that restaurant's staff, admin and system (read by all). */
export const canManageRestaurant = (p: Principal, restaurantId: string): boolean =>
  isPrivileged(p) || (p.role === "restaurant" && p.restaurantId === restaurantId);

/** Portion reservations: the ordering customer and the restaurant's staff. */
export const canSeeReservation = (p: Principal, row: { readonly restaurantId: string; readonly customerId: string }): boolean =>
  isPrivileged(p) || (p.role === "customer" && row.customerId === p.id) || (p.role === "restaurant" && p.restaurantId === row.restaurantId);
