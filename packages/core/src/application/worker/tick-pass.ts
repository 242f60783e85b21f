import type { Logger } from "../../ports/logger.js";

/** How much one tick may do, so a request-driven platform's request deadline is never at risk. */
export interface TickLimits {
  /** Outbox batches relayed at most (default 20, i.e. 2,000 records at the default batch size). */
  readonly maxRelayBatches?: number;
  /** Timer batches fired at most (default 10). */
  readonly maxTimerBatches?: number;
}

export const TICK_DEFAULTS = { maxRelayBatches: 20, maxTimerBatches: 10 } as const;

/** What one tick did. A part that failed reports its error and the others still ran. */
export interface TickReport {
  readonly relayed: number;
  readonly timersFired: number;
  readonly sagasRecovered: number;
  /** Repairs made by the reconciliation sweep; null while no sweep is wired in. */
  readonly reconciled: number | null;
  /** False when a limit was reached with work left: the next tick (or a push) carries on. */
  readonly drained: boolean;
  readonly errors: readonly { readonly part: string; readonly message: string }[];
}

/** The background parts a tick drives; each returns how much it did in one call. */
export interface TickParts {
  /** Relays one outbox batch; 0 when nothing is pending. */
  readonly relayOnce?: () => Promise<number>;
  /** Fires one batch of due timers; 0 when none is due. */
  readonly pollTimersOnce?: () => Promise<number>;
  /** Re-issues stalled saga steps (bounded by the saga runner's own batch size). */
  readonly recoverSagas?: () => Promise<number | void>;
  /** One bounded reconciliation pass; returns the repairs made. */
  readonly reconcile?: () => Promise<number>;
}

/**
 * One bounded pass of everything a worker otherwise does on timers: relay the outbox, fire due timers, re-issue
 * stalled saga steps, reconcile. It is what `POST /tasks/tick` runs on platforms that give CPU only while a request
 * is in flight (Cloud Run, App Runner), where polling loops stall between requests. Every part is idempotent and
 * lease-based, so a tick may overlap a running worker or another tick.
 */
export async function runTick(parts: TickParts, logger: Logger, limits: TickLimits = {}): Promise<TickReport> {
  const maxRelay = limits.maxRelayBatches ?? TICK_DEFAULTS.maxRelayBatches;
  const maxTimers = limits.maxTimerBatches ?? TICK_DEFAULTS.maxTimerBatches;
  const errors: { part: string; message: string }[] = [];
  let drained = true;
  const attempt = async <T>(part: string, run: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      logger.warn("tick part failed", { part, err: error });
      errors.push({ part, message: (error as Error).message });
      drained = false;
      return fallback;
    }
  };
  const repeat = async (once: () => Promise<number>, max: number): Promise<number> => {
    let total = 0;
    for (let round = 0; round < max; round += 1) {
      const done = await once();
      total += done;
      if (done === 0) return total;
    }
    drained = false;
    return total;
  };
  const { relayOnce, pollTimersOnce, recoverSagas, reconcile } = parts;
  const relayed = relayOnce === undefined ? 0 : await attempt("relay", () => repeat(relayOnce, maxRelay), 0);
  const timersFired = pollTimersOnce === undefined ? 0 : await attempt("timers", () => repeat(pollTimersOnce, maxTimers), 0);
  const sagasRecovered = recoverSagas === undefined ? 0 : await attempt("recovery", async () => (await recoverSagas()) ?? 0, 0);
  const reconciled = reconcile === undefined ? null : await attempt("reconciliation", reconcile, 0);
  // Timers and recovery write new outbox rows (offers, refunds): publish them in this pass rather than the next.
  const relayedAfter = relayOnce === undefined || timersFired + sagasRecovered + (reconciled ?? 0) === 0 ? 0 : await attempt("relay", () => repeat(relayOnce, maxRelay), 0);
  return { relayed: relayed + relayedAfter, timersFired, sagasRecovered, reconciled, drained, errors };
}
