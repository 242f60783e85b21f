/**
 * The JSON shapes of Tiffin's public HTTP API as a client sees them. The simulator declares its
 * own copy on purpose: it is an outside client and depends on the wire format, not on `@tiffin/core`.
 */

export interface LatLng {
  readonly lat: number;
  readonly lng: number;
}

export interface Money {
  readonly amount: number;
  readonly currency: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export interface Restaurant {
  readonly id: string;
  readonly name: string;
  readonly cuisine: string;
  readonly location: LatLng;
  readonly open: boolean;
  readonly distanceKm: number;
}

export interface OptionGroup {
  readonly id: string;
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly options: readonly { readonly id: string; readonly name: string; readonly priceDelta: Money }[];
}

export interface MenuItem {
  readonly id: string;
  readonly name: string;
  readonly price: Money;
  readonly available: boolean;
  readonly optionGroups: readonly OptionGroup[];
}

export interface Menu {
  readonly restaurantId: string;
  readonly currency: string;
  readonly categories: readonly { readonly id: string; readonly name: string; readonly items: readonly MenuItem[] }[];
}

/** One line of a place-order body. */
export interface OrderItem {
  readonly itemId: string;
  readonly quantity: number;
  readonly options?: readonly string[];
}

export type OrderStatus = "placed" | "confirmed" | "preparing" | "ready" | "picked_up" | "delivered" | "cancelled";

export interface OrderView {
  readonly id: string;
  readonly status: OrderStatus;
  readonly restaurantId: string;
  readonly customerId: string;
  readonly courierId: string | null;
  readonly total: Money;
  readonly paymentStatus: string;
  readonly timeline: readonly { readonly status: OrderStatus; readonly at: string }[];
  readonly courierPosition: LatLng | null;
  readonly version: number;
}

export interface Offer {
  readonly id: string;
  readonly orderId: string;
  readonly restaurantId: string;
  readonly token: number;
  readonly expiresAt: string;
}

/** One money movement as the payment and payout providers recorded it (`GET /admin/payments/:orderId`). */
export interface LedgerItem {
  readonly kind: "charge" | "refund" | "payout" | "clawback";
  readonly party: "customer" | "restaurant" | "courier";
  readonly amount: Money;
  readonly idempotencyKey: string;
  readonly at: string;
}

/** RFC 9457 problem details with Tiffin's stable `code`. */
export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status: number;
  readonly detail?: string;
  readonly code?: string;
}
