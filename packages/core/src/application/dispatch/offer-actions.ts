import { assignCourier } from "../../domain/order.js";
import { type Result, err, ok } from "../../domain/result.js";
import type { Offer, OfferError } from "../../ports/offer-store.js";
import { type Principal, SYSTEM_PRINCIPAL } from "../../ports/principal.js";
import type { TransactionStores } from "../../ports/unit-of-work.js";
import { requireRole } from "../common/access.js";
import { type Forbidden, type NotFound, type ValidationFailed, notFound, validationFailed } from "../common/application.errors.js";
import { retryOnConflict, transact } from "../common/transaction.js";
import { type UseCaseContext, workerMeta } from "../common/use-case-context.js";
import { offerExpireKey } from "./dispatch-timers.js";
import { type OfferStale, offerStale } from "./offers.errors.js";
import { offerNext } from "./offer-next.js";
import { schedulePickupDeadline } from "./pickup-deadline.js";

/** A courier's answer to an offer: the offer and the fencing token it came with. */
export interface OfferAnswer {
  readonly offerId: string;
  readonly token: number;
}

/** What accepting or declining an offer can fail with. */
export type OfferActionError = ValidationFailed | Forbidden | NotFound | OfferStale;

function checkAnswer(principal: Principal, answer: OfferAnswer): Result<void, OfferActionError> {
  const role = requireRole(principal, "courier");
  if (!role.ok) return role;
  if (!Number.isSafeInteger(answer.token)) return err(validationFailed("token must be an integer", { field: "token" }));
  return ok(undefined);
}

/** Loads the offer if it is the principal's; another courier's offer looks absent. */
async function ownOffer(tx: TransactionStores, principal: Principal, offerId: string): Promise<Offer | null> {
  const offer = await tx.offers.get(offerId);
  return offer !== null && offer.courierId === principal.id ? offer : null;
}

const fromOfferError = (offerId: string, error: OfferError): NotFound | OfferStale =>
  error.code === "OFFER_NOT_FOUND" ? notFound("offer", offerId) : offerStale(offerId, error.message);

/**
 * Moves the caller's offer from open to `to` (compare-and-set on its fencing token and, for an accept, its expiry)
 * and cancels its expiry timer; `then` does the rest in the same transaction, and an `err` from it rolls it all back.
 * The same answer repeated (same offer, token and decision) finds the offer already so and gets it back unchanged,
 * so a courier's app may retry an answer whose reply it never got. Runs as the system principal after checking the
 * offer is the caller's, because the courier cannot see the order (row-level security) until it is assigned to them.
 */
async function answerOffer(
  ctx: UseCaseContext,
  principal: Principal,
  answer: OfferAnswer,
  to: "accepted" | "declined",
  then: (tx: TransactionStores, offer: Offer, now: Date) => Promise<Result<void, OfferActionError>>,
): Promise<Result<Offer, OfferActionError>> {
  const checked = checkAnswer(principal, answer);
  if (!checked.ok) return checked;
  return retryOnConflict(() =>
    transact<Offer, OfferActionError>(ctx.uow, SYSTEM_PRINCIPAL, async (tx) => {
      const offer = await ownOffer(tx, principal, answer.offerId);
      if (offer === null) return err(notFound("offer", answer.offerId));
      // The same answer sent again, as a client does when the first reply was lost: answered as before, nothing changes.
      if (offer.status === to && offer.token === answer.token) return ok(offer);
      // The database's clock decides whether the offer is still live, as it decided its expiry.
      const now = await tx.clock.now();
      const resolved = await tx.offers.resolve(offer.id, answer.token, to, now);
      if (!resolved.ok) return err(fromOfferError(offer.id, resolved.error));
      await tx.timers.cancel(offerExpireKey(offer.id));
      const done = await then(tx, resolved.value, now);
      return done.ok ? ok(resolved.value) : done;
    }),
  );
}

/** A courier accepts an offer: the offer's compare-and-set and the order taking the courier are one transaction. */
export const acceptOffer = (ctx: UseCaseContext, principal: Principal, answer: OfferAnswer) =>
  answerOffer(ctx, principal, answer, "accepted", async (tx, offer, now) => {
    const assigned = await tx.orders.update(
      offer.orderId,
      (order) => assignCourier(order, principal.id, offer.id, now.toISOString()),
      workerMeta(offer.orderId, offer.id),
    );
    // The order was cancelled or took another courier meanwhile: the whole accept rolls back.
    if (!assigned.ok) return err(offerStale(offer.id, "the order no longer needs this courier"));
    const deadline = new Date(now.getTime() + ctx.config.dispatch.pickupTimeoutMs);
    await schedulePickupDeadline(tx, ctx, { orderId: offer.orderId, courierId: principal.id, offerId: offer.id, assignedAt: now.toISOString() }, deadline);
    return ok(undefined);
  });

/** A courier declines an offer; the order is offered to the next candidate in the same transaction. */
export const declineOffer = (ctx: UseCaseContext, principal: Principal, answer: OfferAnswer) =>
  answerOffer(ctx, principal, answer, "declined", async (tx, offer) => {
    await offerNext(tx, ctx, offer.orderId, 0, offer.id);
    return ok(undefined);
  });

/** The principal's open, unexpired offers (a courier holds at most one). */
export async function openOffers(ctx: UseCaseContext, principal: Principal): Promise<Result<Offer[], Forbidden>> {
  const role = requireRole(principal, "courier");
  if (!role.ok) return role;
  const { offers, now } = await ctx.uow.run(principal, async (tx) => ({
    offers: await tx.offers.openForCourier(principal.id),
    now: (await tx.clock.now()).toISOString(),
  }));
  return ok(offers.filter((o) => o.expiresAt > now));
}
