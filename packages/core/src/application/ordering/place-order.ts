import type { DomainEvent } from "../../domain/events.js";
import type { MenuError } from "../../domain/menu.errors.js";
import type { PricedCart } from "../../domain/menu-pricing.js";
import { deliveryDistance, isOpen } from "../../domain/restaurant.js";
import { type OrderChange, placeOrder as newOrder } from "../../domain/order.js";
import { type Result, err, ok } from "../../domain/result.js";
import { orderEventId, toCloudEvent } from "../../messaging/domain-event-envelope.js";
import type { Principal } from "../../ports/principal.js";
import type { OrderView } from "../../ports/read-models.js";
import type { TransactionStores } from "../../ports/unit-of-work.js";
import { reservePortions } from "../catalog/portions.js";
import { initialView } from "../projections/order-view-projection.js";
import { requireRole } from "../common/access.js";
import { isStorableText } from "../../domain/storable-text.js";
import { type Forbidden, type NotFound, type ValidationFailed, notFound, validationFailed } from "../common/application.errors.js";
import { type UseCaseContext, apiMeta } from "../common/use-case-context.js";
import {
  type IdempotencyKeyMissing,
  type IdempotencyKeyReused,
  type IdempotencyKeyTooLong,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  type DeliveryOutOfRange,
  type OrderTooLarge,
  type RestaurantClosed,
  deliveryOutOfRange,
  idempotencyKeyMissing,
  idempotencyKeyReused,
  idempotencyKeyTooLong,
  orderTooLarge,
  restaurantClosed,
} from "./ordering.errors.js";
import { parsePlaceOrder, type PlaceOrderInput, requestHash } from "./place-order-input.js";

/** Failures remembered under the idempotency key: the same request answers the same again. */
type PricingError = NotFound | RestaurantClosed | DeliveryOutOfRange | OrderTooLarge | MenuError;

/** What placing an order can fail with. */
export type PlaceOrderError = ValidationFailed | Forbidden | IdempotencyKeyMissing | IdempotencyKeyTooLong | IdempotencyKeyReused | PricingError;

/** A placed (or replayed) order. */
export interface PlacedOrder {
  readonly view: OrderView;
  /** True when this answers a repeat of an earlier request (HTTP `Idempotent-Replayed: true`). */
  readonly replayed: boolean;
}

/** What the idempotency record keeps: the first request's outcome. */
type StoredOutcome = { readonly ok: true; readonly view: OrderView } | { readonly ok: false; readonly error: PricingError };

/**
 * Prices the cart against the menu served now and reserves its portions; the restaurant must be open on its own
 * clock and not paused, and the address within its delivery radius. Everything is read in the placement's transaction, so a change made on any instance
 * holds for the next order.
 */
async function priceAndReserve(
  ctx: UseCaseContext,
  tx: TransactionStores,
  order: { readonly orderId: string; readonly customerId: string; readonly input: PlaceOrderInput; readonly at: Date },
): Promise<Result<PricedCart & { menuVersion: number }, PricingError>> {
  const { input } = order;
  const restaurant = await tx.catalog.restaurant(input.restaurantId);
  if (restaurant === null) return err(notFound("restaurant", input.restaurantId));
  if (!isOpen(restaurant, order.at)) return err(restaurantClosed(restaurant.id));
  const distance = deliveryDistance(restaurant, input.deliveryAddress);
  if (!distance.inRange) return err(deliveryOutOfRange(restaurant.id, distance.km, restaurant.deliveryRadiusKm));
  const menu = await ctx.menus.current(tx, restaurant.id);
  if (menu === null) return err(notFound("menu", restaurant.id));
  const priced = menu.pricing.price(input.items);
  if (!priced.ok) return priced;
  const publishable = checkPublishable(ctx, newOrder({ id: order.orderId, customerId: order.customerId, restaurantId: input.restaurantId, ...priced.value, menuVersion: menu.version, deliveryAddress: input.deliveryAddress, at: order.at.toISOString() }));
  if (!publishable.ok) return publishable;
  const reserved = await reservePortions(tx, menu, { orderId: order.orderId, customerId: order.customerId, items: input.items });
  return reserved.ok ? ok({ ...priced.value, menuVersion: menu.version }) : reserved;
}

/** Trace context the outbox stamps on an event later, at its largest (a `traceparent` and a full `tracestate`). */
const TRACE_CONTEXT_AT_MOST = { traceparent: `00-${"0".repeat(32)}-${"0".repeat(16)}-00`, tracestate: "x".repeat(512) };

/**
 * Refuses an order whose events the configured broker could not carry (ORDER_TOO_LARGE), rather than accept one that
 * would stop in the outbox. Only `order.placed` carries the cart; the order's later events are small.
 */
function checkPublishable(ctx: UseCaseContext, change: OrderChange): Result<void, OrderTooLarge> {
  const limit = ctx.messageSizeLimit;
  if (limit === null) return ok(undefined);
  const orderId = change.order.id;
  for (const [index, event] of change.events.entries()) {
    const envelope = toCloudEvent(event, orderEventId(orderId, change.order.version, index), { ...apiMeta(orderId, change.order.customerId), ...TRACE_CONTEXT_AT_MOST });
    const bytes = limit.messageBytes(envelope);
    if (bytes > limit.maxMessageBytes) return err(orderTooLarge(bytes, limit.maxMessageBytes));
  }
  return ok(undefined);
}

/**
 * A customer places an order. The menu's Composite prices the cart (a client amount is never read); the order,
 * recording the menu version it was priced against, with its `order.placed` outbox row, its initial view, its
 * portion reservations and the claim of the customer's Idempotency-Key commit in one transaction. The same key with the same request answers the first outcome again, even if the menu changed
 * since (pricing failures are remembered too, like Stripe's); the same key with another request is
 * IDEMPOTENCY_KEY_REUSED. Of concurrent requests with one key, the idempotency store lets exactly one create.
 */
export async function placeOrder(
  ctx: UseCaseContext,
  principal: Principal,
  command: { readonly idempotencyKey: string; readonly order: unknown },
): Promise<Result<PlacedOrder, PlaceOrderError>> {
  const role = requireRole(principal, "customer");
  if (!role.ok) return role;
  const key = command.idempotencyKey;
  if (typeof key !== "string" || key.length === 0) return err(idempotencyKeyMissing());
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) return err(idempotencyKeyTooLong(key.length));
  if (!isStorableText(key)) return err(validationFailed("the Idempotency-Key holds characters that cannot be stored", { field: "Idempotency-Key" }));
  const parsed = parsePlaceOrder(command.order);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  const hash = requestHash(input);
  const orderId = ctx.ids.next();

  return ctx.uow.run(principal, async (tx): Promise<Result<PlacedOrder, PlaceOrderError>> => {
    const now = ctx.clock.now();
    const at = now.toISOString();
    const priced = await priceAndReserve(ctx, tx, { orderId, customerId: principal.id, input, at: now });
    let change: OrderChange | null = null;
    let outcome: StoredOutcome;
    if (priced.ok) {
      change = newOrder({ id: orderId, customerId: principal.id, restaurantId: input.restaurantId, ...priced.value, deliveryAddress: input.deliveryAddress, at });
      const placed = change.events[0] as DomainEvent<"order.placed">;
      outcome = { ok: true, view: initialView(placed, orderEventId(orderId, 1, 0)) };
    } else {
      outcome = { ok: false, error: priced.error };
    }
    const claim = await tx.idempotency.claim({ scope: principal.id, key, requestHash: hash, response: outcome, createdAt: at });
    if (claim.outcome === "existing") {
      // This request only repeats an earlier one: give back what it reserved (nothing commits for it).
      if (priced.ok) await tx.catalog.releasePortions(orderId);
      if (claim.record.requestHash !== hash) return err(idempotencyKeyReused(key));
      return answer(claim.record.response as StoredOutcome, true);
    }
    if (change !== null && outcome.ok) {
      await tx.orders.create(change, apiMeta(orderId, principal.id));
      await tx.views.saveView(outcome.view);
    }
    return answer(outcome, false);
  });
}

const answer = (outcome: StoredOutcome, replayed: boolean): Result<PlacedOrder, PlaceOrderError> =>
  outcome.ok ? ok({ view: outcome.view, replayed }) : err(outcome.error);
