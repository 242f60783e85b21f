/** The shapes the console reads from the public HTTP API (see /openapi.json). */

export interface Money {
  readonly amount: number;
  readonly currency: string;
}

export interface LatLng {
  readonly lat: number;
  readonly lng: number;
}

export type OrderStatus = "placed" | "confirmed" | "preparing" | "ready" | "picked_up" | "delivered" | "cancelled";

export interface OrderLine {
  readonly itemId: string;
  readonly name: string;
  readonly quantity: number;
  readonly options: readonly { id: string; name: string; priceDelta: Money }[];
  readonly unitPrice: Money;
  readonly lineTotal: Money;
}

export interface OrderView {
  readonly id: string;
  readonly status: OrderStatus;
  readonly restaurantId: string;
  readonly customerId: string;
  readonly courierId: string | null;
  readonly lines: readonly OrderLine[];
  readonly total: Money;
  readonly menuVersion: number;
  readonly paymentStatus: "pending" | "captured" | "declined" | "refunded" | "refund_failed" | "paid_out";
  readonly timeline: readonly { status: string; at: string }[];
  readonly courierPosition: LatLng | null;
  readonly cancellationReason: string | null;
  readonly version: number;
  readonly traceId?: string;
}

export interface Restaurant {
  readonly id: string;
  readonly name: string;
  readonly cuisine: string;
  readonly location: LatLng;
  readonly open: boolean;
  readonly distanceKm: number;
}

export interface RestaurantDetails {
  readonly id: string;
  readonly name: string;
  readonly location: LatLng;
  readonly closedNow: boolean;
  readonly open: boolean;
}

export interface MenuOption {
  readonly id: string;
  readonly name: string;
  readonly priceDelta: Money;
  readonly available: boolean;
}

export interface OptionGroup {
  readonly id: string;
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly options: readonly MenuOption[];
}

export interface MenuItem {
  readonly id: string;
  readonly name: string;
  readonly price: Money;
  readonly available: boolean;
  readonly soldOut: boolean;
  readonly optionGroups: readonly OptionGroup[];
}

export interface Combo {
  readonly id: string;
  readonly name: string;
  readonly itemIds: readonly string[];
  readonly available: boolean;
  readonly soldOut: boolean;
  readonly pricing: { kind: "fixed"; price: Money } | { kind: "discount"; off: Money };
}

export interface Menu {
  readonly restaurantId: string;
  readonly version: number;
  readonly currency: string;
  readonly categories: readonly { id: string; name: string; items: readonly MenuItem[] }[];
  readonly combos: readonly Combo[];
}

export interface Offer {
  readonly id: string;
  readonly orderId: string;
  readonly restaurantId: string;
  readonly token: number;
  readonly expiresAt: string;
}

export interface Saga {
  readonly orderId: string;
  readonly status: string;
  readonly step: string | null;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly updatedAt: string;
}

export interface LedgerEntry {
  readonly kind: string;
  readonly party: string;
  readonly partyId: string;
  readonly amount: Money;
  readonly idempotencyKey: string;
  readonly at: string;
}

export interface DeadLetter {
  readonly id: string;
  readonly subscription: string;
  readonly messageId: string | null;
  readonly type: string | null;
  readonly orderId: string | null;
  readonly reason: string;
  readonly attempts: number;
  readonly deadLetteredAt: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string | null;
}

/** A demo identity the embedded server offers, with a token minted for it. */
export interface DemoIdentity {
  readonly label: string;
  readonly role: "customer" | "restaurant" | "courier" | "admin";
  readonly sub: string;
  readonly restaurantId?: string;
  readonly token: string;
}
