import type { DeadLetter, DomainError, LedgerEntry, Offer, Order, OrderView, Result, SagaState } from "@tiffin/core";
import type { Courier, ItemStock, NearbyRestaurant, Restaurant, ServedMenu } from "@tiffin/core";
import type { Static } from "typebox";
import type { MenuSchema } from "../schemas/catalog.schemas.js";
import { HttpProblem } from "../problems/problem.js";

/** The value of an ok Result; an error Result becomes the problem response for its code. */
export function unwrap<T>(result: Result<T, DomainError>): T {
  if (result.ok) return result.value;
  throw HttpProblem.from(result.error);
}

/** The order view as the API shows it: bookkeeping fields of the read model stay inside. */
export const orderView = (view: OrderView) => ({
  id: view.id,
  status: view.status,
  restaurantId: view.restaurantId,
  customerId: view.customerId,
  courierId: view.courierId,
  lines: view.lines.map((line) => ({ ...line, options: [...line.options] })),
  total: view.total,
  menuVersion: view.menuVersion,
  paymentStatus: view.paymentStatus,
  timeline: [...view.timeline],
  courierPosition: view.courierPosition,
  cancellationReason: view.cancellationReason ?? null,
  version: view.version,
  ...(view.traceId === undefined ? {} : { traceId: view.traceId }),
});

export const orderState = (order: Order) => ({ id: order.id, status: order.status, version: order.version });

export const restaurant = (r: NearbyRestaurant) => ({
  id: r.id,
  name: r.name,
  cuisine: r.cuisine,
  location: r.location,
  open: r.open,
  distanceKm: Math.round(r.distanceKm * 1000) / 1000,
  deliveryRadiusKm: r.deliveryRadiusKm,
});

export const offer = (o: Offer) => ({ id: o.id, orderId: o.orderId, restaurantId: o.restaurantId, token: o.token, expiresAt: o.expiresAt });

export const saga = (s: SagaState) => ({
  orderId: s.orderId,
  status: s.status,
  step: s.step,
  attempts: s.attempts,
  lastError: s.lastError,
  updatedAt: s.updatedAt,
});

export const ledgerEntry = (e: LedgerEntry) => ({
  kind: e.kind,
  party: e.party,
  partyId: e.partyId,
  amount: e.amount,
  idempotencyKey: e.idempotencyKey,
  at: e.at,
});

/** A dead letter without its payload: ids and the reason are what an operator needs to decide on a replay. */
export const deadLetter = (d: DeadLetter) => ({
  id: d.id,
  subscription: d.subscription,
  messageId: d.message?.id ?? null,
  type: d.message?.type ?? null,
  orderId: d.message?.subject ?? null,
  reason: d.reason,
  attempts: d.attempts,
  deadLetteredAt: d.deadLetteredAt,
});

export const list = <T>(items: readonly T[], nextCursor: string | null = null) => ({ items: [...items], nextCursor });

/** The menu as served, with its version; its readonly arrays become the schema's plain ones. */
export const menu = (m: ServedMenu) => ({ ...m.document, restaurantId: m.restaurantId, version: m.version }) as Static<typeof MenuSchema>;

/** A restaurant as its staff and admins see it. */
export const restaurantDetails = (r: Restaurant) => ({
  id: r.id,
  name: r.name,
  cuisine: r.cuisine,
  city: r.city,
  location: r.location,
  timeZone: r.timeZone,
  hours: r.hours as Record<string, { opens: string; closes: string }[]>,
  prepMinutes: r.prepMinutes,
  closedNow: r.closedNow,
  deliveryRadiusKm: r.deliveryRadiusKm,
  open: r.open,
});

export const stock = (s: ItemStock & { soldOut: boolean }) => ({
  itemId: s.itemId,
  available: s.available,
  portionsLeft: s.portionsLeft,
  soldOut: s.soldOut,
  unavailableOptions: [...s.unavailableOptions],
});

export const courier = (c: Courier) => ({
  id: c.id,
  name: c.name,
  city: c.city,
  vehicle: c.vehicle,
  speedKmh: c.speedKmh,
  ratePerKm: c.ratePerKm,
  available: c.available,
  active: c.active,
  position: c.position,
  positionAt: c.positionAt,
});
