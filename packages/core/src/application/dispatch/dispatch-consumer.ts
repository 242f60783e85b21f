import type { TransactionalEventHandler } from "../shared/inbox-consumer.js";
import type { UseCaseContext } from "../shared/use-case-context.js";
import { offerNext } from "./offer-next.js";

/** The consumer name (inbox) and subscription of courier assignment. */
export const DISPATCH_CONSUMER = "courier-assignment";

/** On `order.confirmed`, starts dispatch: the first offer, or a retry timer when nobody is free. */
export const dispatchOnConfirmed =
  (ctx: UseCaseContext): TransactionalEventHandler =>
  async (tx, event, message) => {
    if (event.type !== "order.confirmed") return;
    const outcome = await offerNext(tx, ctx, event.orderId, 0, message.id);
    ctx.logger.debug("dispatch round", { orderId: event.orderId, outcome });
  };
