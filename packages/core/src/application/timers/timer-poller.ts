import { SYSTEM_PRINCIPAL } from "../../ports/principal.js";
import type { Timer } from "../../ports/timers.js";
import type { TransactionStores } from "../../ports/unit-of-work.js";
import { retryOnConflict } from "../common/transaction.js";
import type { UseCaseContext } from "../common/use-case-context.js";

/** Does what a timer of one kind is for, inside the transaction that also completes the timer. */
export type TimerHandler = (tx: TransactionStores, timer: Timer) => Promise<void>;

/** Where and how much a timer poller claims. */
export interface TimerPollerOptions {
  /** This poller's lease owner id; unique per process. */
  readonly owner: string;
  /** Timers claimed per poll (default 50). */
  readonly batchSize?: number;
  /** How long a claimed timer is ours before another poller may take it (default 30 s). */
  readonly leaseMs?: number;
}

/**
 * Fires due durable timers: claim a batch, dispatch each by kind, and complete it in the same transaction as the
 * handler's writes, so a timer's effects happen once even if the poller dies (the timer is then re-claimed after
 * its lease and its transaction never committed). A handler that throws leaves the timer to be retried after
 * the lease; a timer of an unknown kind is completed and logged.
 */
export class TimerPoller {
  private readonly batchSize: number;
  private readonly leaseMs: number;

  constructor(
    private readonly ctx: UseCaseContext,
    private readonly handlers: Readonly<Record<string, TimerHandler>>,
    private readonly options: TimerPollerOptions,
  ) {
    this.batchSize = options.batchSize ?? 50;
    this.leaseMs = options.leaseMs ?? 30_000;
  }

  /** Fires the timers due now; returns how many were claimed. */
  async pollOnce(): Promise<number> {
    const { uow } = this.ctx;
    // Due by the database's clock, on which their due times were written: a skewed worker fires nothing early.
    const due = await uow.run(SYSTEM_PRINCIPAL, async (tx) => tx.timers.claimDue(this.options.owner, await tx.clock.now(), this.batchSize, this.leaseMs));
    for (const timer of due) await this.fire(timer);
    return due.length;
  }

  private async fire(timer: Timer): Promise<void> {
    const handler = this.handlers[timer.kind];
    const logger = this.ctx.logger;
    try {
      await retryOnConflict(() =>
        this.ctx.uow.run(SYSTEM_PRINCIPAL, async (tx) => {
          if (handler) await handler(tx, timer);
          else logger.error("no handler for timer kind; dropping it", { kind: timer.kind, timerId: timer.id });
          await tx.timers.complete(this.options.owner, timer.id);
        }),
      );
    } catch (error) {
      logger.error("timer failed; it fires again after its lease", { kind: timer.kind, timerId: timer.id, err: error });
    }
  }
}
