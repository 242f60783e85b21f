import type { TimerHandler } from "../timers/timer-poller.js";
import type { UseCaseContext } from "../common/use-case-context.js";
import { DispatchTimer } from "./dispatch-timers.js";
import { offerNext } from "./offer-next.js";
import { checkPickupDeadline } from "./pickup-deadline.js";

const text = (value: unknown): string => (typeof value === "string" ? value : String(value));
const count = (value: unknown): number => (typeof value === "number" && Number.isSafeInteger(value) ? value : 0);

/** Timer handlers of courier dispatch, by kind. */
export function dispatchTimerHandlers(ctx: UseCaseContext): Record<string, TimerHandler> {
  return {
    /** Expires the offer if it is still open (an accept or decline got there first otherwise), then offers on. */
    [DispatchTimer.OfferExpire]: async (tx, timer) => {
      const offerId = text(timer.payload.offerId);
      const expired = await tx.offers.resolve(offerId, count(timer.payload.token), "expired", await tx.clock.now());
      if (!expired.ok && expired.error.code !== "OFFER_STALE") {
        ctx.logger.warn("offer to expire not found", { offerId, code: expired.error.code });
      }
      await offerNext(tx, ctx, text(timer.payload.orderId), 0, timer.id);
    },
    [DispatchTimer.Retry]: async (tx, timer) => {
      await offerNext(tx, ctx, text(timer.payload.orderId), count(timer.payload.attempt), timer.id);
    },
    [DispatchTimer.PickupDeadline]: (tx, timer) => checkPickupDeadline(tx, ctx, timer),
  };
}
