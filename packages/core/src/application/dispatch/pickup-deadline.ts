import { releaseCourier } from "../../domain/order.js";
import type { Timer } from "../../ports/timers.js";
import type { TransactionStores } from "../../ports/unit-of-work.js";
import { type UseCaseContext, workerMeta } from "../common/use-case-context.js";
import { DispatchTimer, type PickupDeadlinePayload, pickupDeadlineKey } from "./dispatch-timers.js";
import { offerNext } from "./offer-next.js";

/** Schedules a check of the courier's pickup deadline at `dueAt`, in the caller's transaction. */
export async function schedulePickupDeadline(tx: TransactionStores, ctx: UseCaseContext, payload: PickupDeadlinePayload, dueAt: Date): Promise<void> {
  const due = dueAt.toISOString();
  await tx.timers.schedule({
    id: ctx.ids.next(),
    kind: DispatchTimer.PickupDeadline,
    key: pickupDeadlineKey(payload.offerId, due),
    dueAt: due,
    payload: { ...payload },
  });
}

/**
 * The pickup deadline: a courier has `pickupTimeoutMs` from the later of accepting and the food being ready. Until the
 * food is ready the check comes back later; once the deadline passed with the order still waiting for that courier,
 * the courier is released (the order is theirs no longer) and the order is offered again, to couriers other than
 * those who let it down. A picked-up, cancelled or reassigned order ends the check.
 */
export async function checkPickupDeadline(tx: TransactionStores, ctx: UseCaseContext, timer: Timer): Promise<void> {
  const payload = timer.payload as unknown as PickupDeadlinePayload;
  const order = await tx.orders.load(payload.orderId);
  if (order === null || order.courierId !== payload.courierId || !["confirmed", "preparing", "ready"].includes(order.status)) return;
  const now = await tx.clock.now();
  const timeout = ctx.config.dispatch.pickupTimeoutMs;
  const from = order.readyAt === undefined ? null : Math.max(Date.parse(order.readyAt), Date.parse(payload.assignedAt));
  const deadline = from === null ? now.getTime() + timeout : from + timeout;
  if (from === null || now.getTime() < deadline) {
    await schedulePickupDeadline(tx, ctx, payload, new Date(deadline));
    return;
  }
  const released = await tx.orders.update(order.id, (o) => releaseCourier(o, payload.courierId, now.toISOString()), workerMeta(order.id, timer.id));
  if (!released.ok) throw new Error(`order ${order.id} could not release courier ${payload.courierId}: ${released.error.code}`);
  ctx.logger.warn("courier did not pick up in time; offering the order again", { orderId: order.id, courierId: payload.courierId });
  await offerNext(tx, ctx, order.id, 0, timer.id);
}
