import { cancel } from "../../domain/order.js";
import { OrderErrorCode } from "../../domain/order.errors.js";
import { type SagaInput, decide, evolve } from "../../domain/payment-saga.js";
import { sagaEventId, sagaEvents } from "../../domain/payment-saga-events.js";
import type { MessageMeta } from "../../messaging/cloud-event.js";
import { toCloudEvent } from "../../messaging/domain-event-envelope.js";
import { ORDER_EVENTS_TOPIC } from "../../messaging/topology.js";
import type { Logger } from "../../ports/logger.js";
import type { TransactionStores } from "../../ports/unit-of-work.js";
import { type MoneyCommand, isMoneyCommand } from "./saga-steps.js";

/**
 * Applies one input to an order's saga inside the caller's transaction: saves the new state (compare-and-set on
 * its version), cancels the order when the saga says so, and appends the saga's events to the outbox with
 * deterministic ids. Returns whether the saga changed, read and saved in this one transaction (so concurrent callers
 * never both count a change), and the money command the new state put in flight (already persisted, so the caller
 * runs it after commit) or null. An input that changes nothing writes nothing. The input is stamped with the
 * database's clock, so the saga's `updatedAt` (which the stalled-step sweep compares) never follows a skewed process.
 */
export async function applySagaInput(
  tx: TransactionStores,
  orderId: string,
  given: SagaInput,
  context: { readonly source: string; readonly logger: Logger },
): Promise<{ readonly changed: boolean; readonly command: MoneyCommand | null }> {
  const input: SagaInput = { ...given, at: (await tx.clock.now()).toISOString() };
  const before = await tx.sagas.load(orderId);
  const after = evolve(before, input);
  if (after === null || after === before) return { changed: false, command: null };
  const commands = decide(before, input);
  await tx.sagas.save(after);
  const causationId = ("messageId" in input ? input.messageId : undefined) ?? after.causationId;
  const meta: MessageMeta = {
    source: context.source,
    correlationId: after.correlationId ?? orderId,
    ...(causationId === null || causationId === undefined ? {} : { causationId }),
  };
  for (const command of commands) {
    if (command.type !== "cancel_order") continue;
    const result = await tx.orders.update(command.orderId, (order) => cancel(order, command.reason, input.at), meta);
    // Already cancelled (e.g. by the customer) or past cancelling: the saga's own outcome stands either way.
    if (!result.ok && result.error.code !== OrderErrorCode.InvalidTransition) {
      context.logger.warn("payment saga could not cancel the order", { orderId, code: result.error.code });
    }
  }
  const events = sagaEvents(before, after, input);
  if (events.length > 0) {
    await tx.outbox.append(ORDER_EVENTS_TOPIC, events.map((event) => toCloudEvent(event, sagaEventId(event), meta)));
  }
  return { changed: true, command: commands.find(isMoneyCommand) ?? null };
}
