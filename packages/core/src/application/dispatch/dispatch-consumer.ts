import type { TransactionStores } from "../../ports/unit-of-work.js";
import type { TransactionalEventHandler } from "../common/consumer-shapes.js";
import type { UseCaseContext } from "../common/use-case-context.js";
import { offerExpireKey } from "./dispatch-timers.js";
import { offerNext } from "./offer-next.js";

/** The consumer name (inbox) and subscription of courier assignment. */
export const DISPATCH_CONSUMER = "courier-assignment";

/** The order event types courier assignment reacts to (its subscription's filter). */
export const DISPATCH_EVENT_TYPES = ["order.confirmed", "order.cancelled"] as const;

/**
 * On `order.confirmed`, starts dispatch: the first offer, or a retry timer when nobody is free. On
 * `order.cancelled`, withdraws the order's open offer, so its courier is free for other orders at once rather than
 * after the offer's expiry (an accept that races the withdrawal still fails: the order refuses a courier once cancelled).
 */
export const dispatchConsumer =
  (ctx: UseCaseContext): TransactionalEventHandler =>
  async (tx, event, message) => {
    if (event.type === "order.cancelled") {
      await withdrawOpenOffers(tx, ctx, event.orderId);
      return;
    }
    if (event.type !== "order.confirmed") return;
    const outcome = await offerNext(tx, ctx, event.orderId, 0, message.id);
    ctx.logger.debug("dispatch round", { orderId: event.orderId, outcome });
  };

async function withdrawOpenOffers(tx: TransactionStores, ctx: UseCaseContext, orderId: string): Promise<void> {
  for (const offer of await tx.offers.forOrder(orderId)) {
    if (offer.status !== "open") continue;
    const withdrawn = await tx.offers.resolve(offer.id, offer.token, "withdrawn", await tx.clock.now());
    // Read in this transaction and still open, so only a store fault can refuse: let the broker retry it.
    if (!withdrawn.ok) throw new Error(`offer ${offer.id} of cancelled order ${orderId} could not be withdrawn: ${withdrawn.error.code}`);
    await tx.timers.cancel(offerExpireKey(offer.id));
    ctx.logger.info("offer withdrawn: order cancelled", { orderId, offerId: offer.id, courierId: offer.courierId });
  }
}
