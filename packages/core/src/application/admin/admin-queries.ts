import type { SagaState, SagaStatus } from "../../domain/payment-saga.js";
import { SAGA_STATUSES } from "../../domain/payment-saga.js";
import { type Result, err, ok } from "../../domain/result.js";
import type { DeadLetter } from "../../ports/messaging.js";
import type { LedgerEntry } from "../../ports/payment-gateway.js";
import type { Principal } from "../../ports/principal.js";
import { requireRole } from "../common/access.js";
import { type Forbidden, type NotFound, type ValidationFailed, notFound, validationFailed } from "../common/application.errors.js";
import type { UseCaseContext } from "../common/use-case-context.js";
import { OUTBOX_DEAD_LETTERS, outboxPosition, setAsideAsDeadLetter } from "../relay/outbox-dead-letters.js";

type AdminResult<T, E = never> = Promise<Result<T, Forbidden | E>>;

/** Sagas, most recently updated first, optionally in one status (`failed`: the manual-intervention list). */
export async function listSagas(
  ctx: UseCaseContext,
  principal: Principal,
  filter: { readonly status?: SagaStatus; readonly limit?: number },
): AdminResult<SagaState[], ValidationFailed> {
  const role = requireRole(principal, "admin");
  if (!role.ok) return role;
  if (filter.status !== undefined && !SAGA_STATUSES.includes(filter.status)) {
    return err(validationFailed(`status must be one of ${SAGA_STATUSES.join(", ")}`, { field: "status" }));
  }
  const limit = filter.limit ?? 100;
  const sagas = await ctx.uow.run(principal, (tx) => tx.sagas.list({ limit, ...(filter.status ? { status: filter.status } : {}) }));
  return ok(sagas);
}

/** One order's saga. */
export async function getSaga(ctx: UseCaseContext, principal: Principal, orderId: string): AdminResult<SagaState, NotFound> {
  const role = requireRole(principal, "admin");
  if (!role.ok) return role;
  const saga = await ctx.uow.run(principal, (tx) => tx.sagas.load(orderId));
  return saga === null ? err(notFound("saga", orderId)) : ok(saga);
}

/** Money movements for an order as the payment and payout providers recorded them. */
export async function listPayments(ctx: UseCaseContext, principal: Principal, orderId: string): AdminResult<LedgerEntry[]> {
  const role = requireRole(principal, "admin");
  if (!role.ok) return role;
  return ok(await ctx.ledger.entries(orderId));
}

/**
 * A subscription's dead letters, oldest first. NOT_FOUND when no dead-letter store is configured. The subscription
 * `outbox` lists the outbox records the broker refused for good (set aside by the relay).
 */
export async function listDeadLetters(
  ctx: UseCaseContext,
  principal: Principal,
  query: { readonly subscription: string; readonly limit?: number },
): AdminResult<DeadLetter[], NotFound> {
  const role = requireRole(principal, "admin");
  if (!role.ok) return role;
  if (query.subscription === OUTBOX_DEAD_LETTERS) {
    const records = await ctx.uow.run(principal, (tx) => tx.outbox.setAsideRecords(query.limit === undefined ? {} : { limit: query.limit }));
    return ok(records.map(setAsideAsDeadLetter));
  }
  if (ctx.deadLetters === null) return err(notFound("dead-letter queue", query.subscription));
  return ok(await ctx.deadLetters.list(query.subscription, query.limit === undefined ? {} : { limit: query.limit }));
}

/**
 * Sends a dead letter back to its subscription. An unknown id is NOT_FOUND, and so is one replayed already: it left
 * the queue, so a repeated replay sends nothing twice. An outbox dead letter (`outbox:<position>`) goes back in line
 * at its old place, so its order's held events follow it.
 */
export async function replayDeadLetter(ctx: UseCaseContext, principal: Principal, deadLetterId: string): AdminResult<{ replayed: string }, NotFound> {
  const role = requireRole(principal, "admin");
  if (!role.ok) return role;
  const position = outboxPosition(deadLetterId);
  if (position !== null) {
    const restored = await ctx.uow.run(principal, (tx) => tx.outbox.restore(position));
    return restored ? ok({ replayed: deadLetterId }) : err(notFound("dead letter", deadLetterId));
  }
  if (ctx.deadLetters === null) return err(notFound("dead letter", deadLetterId));
  const replayed = await ctx.deadLetters.replay(deadLetterId);
  return replayed ? ok({ replayed: deadLetterId }) : err(notFound("dead letter", deadLetterId));
}
