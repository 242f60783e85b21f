import { CANCELLABLE_FROM, abandonUnclaimed, cancel } from "../../domain/order.js";
import type { Order } from "../../domain/order.js";
import type { TransactionStores } from "../../ports/unit-of-work.js";
import { type UseCaseContext, workerMeta } from "../common/use-case-context.js";
import { type DispatchRetryPayload, DispatchTimer, type OfferExpirePayload, offerExpireKey } from "./dispatch-timers.js";

/** What one dispatch round did. */
export type DispatchOutcome = "offered" | "waiting" | "cancelled" | "nothing_to_do";

const DISPATCHABLE: readonly Order["status"][] = ["confirmed", "preparing", "ready"];
const CANDIDATE_LIMIT = 20;
const NEAREST_LIMIT = 60;

/**
 * One dispatch round for an order, inside the caller's transaction: if it still needs a courier and
 * has no open offer, rank the couriers near the restaurant with the configured strategy and offer it to the first
 * one free (the offer store's unique constraints decide races), with an expiry timer. Couriers already offered this
 * order are skipped. After `maxCandidates` offers the order is cancelled with `no_courier`; when nobody is free right
 * now, a retry timer looks again up to `noCourierRetries` times before cancelling. `attempt` counts those retries.
 * An order whose food is ready can no longer be cancelled by dispatch's counts, so for it dispatch keeps retrying and
 * offers it to every courier again, including those who let an earlier offer lapse (but not a courier released for
 * not picking it up), until `readyTimeoutMs` after the food was ready: then it is abandoned as `no_courier`.
 * An accepted offer whose courier was released no longer holds the order.
 */
export async function offerNext(
  tx: TransactionStores,
  ctx: UseCaseContext,
  orderId: string,
  attempt: number,
  causationId?: string,
): Promise<DispatchOutcome> {
  const order = await tx.orders.load(orderId);
  if (order === null || order.courierId !== null || !DISPATCHABLE.includes(order.status)) return "nothing_to_do";
  const offers = await tx.offers.forOrder(orderId);
  if (offers.some((o) => o.status === "open")) return "nothing_to_do";
  const { config } = ctx;
  // Once the food is ready the order cannot be cancelled: then every courier is a candidate again.
  const cancellable = CANCELLABLE_FROM.includes(order.status);
  // Offer expiry, retry times and the ready deadline are on the database's clock, like every durable time.
  const now = await tx.clock.now();
  if (cancellable && offers.length >= config.dispatch.maxCandidates) return cancelNoCourier(tx, ctx, order, now, causationId);
  if (!cancellable && order.readyAt !== undefined && now.getTime() - Date.parse(order.readyAt) >= config.dispatch.readyTimeoutMs) {
    return abandonNoCourier(tx, ctx, order, now, causationId);
  }

  const restaurant = await tx.catalog.restaurant(order.restaurantId);
  if (restaurant === null) {
    ctx.logger.error("restaurant of order not found", { orderId, restaurantId: order.restaurantId });
    return cancellable ? cancelNoCourier(tx, ctx, order, now, causationId) : "nothing_to_do";
  }
  // Positions come from the positions store (the database by default, Redis at scale); shift, activity and load
  // from this transaction. Couriers off shift still report, so the search reaches further than the candidates kept.
  const found = await ctx.positions.nearest(
    {
      city: restaurant.city,
      point: restaurant.location,
      radiusKm: config.dispatch.searchRadiusKm,
      freshSince: new Date(ctx.clock.now().getTime() - config.dispatch.positionMaxAgeMs).toISOString(),
      exclude: (cancellable ? offers : offers.filter((o) => o.status === "accepted")).map((o) => o.courierId),
      limit: NEAREST_LIMIT,
    },
    tx,
  );
  const candidates = (await tx.locator.candidates(found)).slice(0, CANDIDATE_LIMIT);
  const strategy = ctx.matching.resolve({ restaurantId: restaurant.id, city: restaurant.city });
  const ranked = strategy.rank({ pickup: restaurant.location, dropoff: order.deliveryAddress }, candidates);

  const expiresAt = new Date(now.getTime() + config.dispatch.offerTtlMs).toISOString();
  for (const candidate of ranked) {
    const offerId = ctx.ids.next();
    const opened = await tx.offers.open({
      id: offerId,
      orderId,
      restaurantId: order.restaurantId,
      courierId: candidate.courierId,
      expiresAt,
      createdAt: now.toISOString(),
    });
    if (opened.ok) {
      const payload: OfferExpirePayload = { offerId, orderId, token: opened.value.token };
      await tx.timers.schedule({ id: ctx.ids.next(), kind: DispatchTimer.OfferExpire, key: offerExpireKey(offerId), dueAt: expiresAt, payload: { ...payload } });
      return "offered";
    }
    if (opened.error.code === "OFFER_ORDER_BUSY") return "nothing_to_do";
    // OFFER_COURIER_BUSY: this courier is considering another order; try the next one.
  }
  if (cancellable && attempt >= config.dispatch.noCourierRetries) return cancelNoCourier(tx, ctx, order, now, causationId);
  await scheduleRetry(tx, ctx, order.id, attempt + 1, `${offers.length}:${attempt + 1}`, now);
  return "waiting";
}

async function scheduleRetry(tx: TransactionStores, ctx: UseCaseContext, orderId: string, attempt: number, round: string, now: Date): Promise<void> {
  const payload: DispatchRetryPayload = { orderId, attempt };
  await tx.timers.schedule({
    id: ctx.ids.next(),
    kind: DispatchTimer.Retry,
    key: `${DispatchTimer.Retry}:${orderId}:${round}`,
    dueAt: new Date(now.getTime() + ctx.config.dispatch.noCourierRetryDelayMs).toISOString(),
    payload: { ...payload },
  });
}

async function cancelNoCourier(
  tx: TransactionStores,
  ctx: UseCaseContext,
  order: Order,
  now: Date,
  causationId?: string,
): Promise<DispatchOutcome> {
  const result = await tx.orders.update(order.id, (o) => cancel(o, "no_courier", now.toISOString()), workerMeta(order.id, causationId));
  if (result.ok) return "cancelled";
  throw new Error(`order ${order.id} could not be cancelled for no_courier: ${result.error.code}`);
}

async function abandonNoCourier(tx: TransactionStores, ctx: UseCaseContext, order: Order, now: Date, causationId?: string): Promise<DispatchOutcome> {
  const result = await tx.orders.update(order.id, (o) => abandonUnclaimed(o, now.toISOString()), workerMeta(order.id, causationId));
  if (!result.ok) throw new Error(`ready order ${order.id} could not be abandoned for no_courier: ${result.error.code}`);
  ctx.logger.warn("ready order abandoned: no courier took it in time", { orderId: order.id });
  return "cancelled";
}
