import type { PayoutParty } from "../domain/events.js";
import { InfrastructureError, InfrastructureErrorCode } from "../ports/infrastructure.errors.js";

/** A provider operation that faults can be injected into. */
export type SimulatedOperation = "charge" | "refund" | "payout" | "clawback";

/**
 * A fault the simulated provider shows before it executes a request (so a faulted call never moves money):
 * `transient` throws a retryable InfrastructureError, `permanent` a non-retryable one, `hang` never answers
 * until the caller aborts the call (then throws a transient timeout). `times` limits how many calls it hits;
 * without it, every call until `clearFaults()`.
 */
export interface SimulatedFault {
  readonly kind: "transient" | "permanent" | "hang";
  readonly times?: number;
  /** For payouts and clawbacks: hit only this party's calls. */
  readonly party?: PayoutParty;
}

/**
 * Random faults of a simulated provider, each a probability (0..1) per call; all default to 0. `failureRate` and
 * `hangRate` strike before the request executes (no money moves); `lostReplyRate` and `lateReplyRate` after it
 * executed, so the money moved although the caller may never learn it: what reconciliation exists to find.
 */
export interface SimulatedFaultRates {
  /** A retryable error before executing (TIFFIN_PAYMENT_FAILURE_RATE). */
  readonly failureRate?: number;
  /** No answer until the caller aborts, then a transient timeout; nothing executed (TIFFIN_PAYMENT_HANG_RATE). */
  readonly hangRate?: number;
  /** Executes, then throws a transient error as if the reply were lost on the way (TIFFIN_PAYMENT_LOST_REPLY_RATE). */
  readonly lostReplyRate?: number;
  /** Executes, then answers only after `lateReplyMs`; a caller that gave up first sees a timeout (TIFFIN_PAYMENT_LATE_REPLY_RATE). */
  readonly lateReplyRate?: number;
  /** How late a late reply is (TIFFIN_PAYMENT_LATE_REPLY_MS, default 10 s: past the gateway pipeline's 5 s timeout). */
  readonly lateReplyMs?: number;
  /**
   * Outages: every `outageEveryMs` since the gateway was made, the provider is down for the first `outageMs`: every
   * call fails transiently before it executes, as a provider's outage looks (TIFFIN_PAYMENT_OUTAGE_EVERY_MS and
   * TIFFIN_PAYMENT_OUTAGE_MS; none unless both are set). What trips the gateway pipeline's circuit breaker.
   */
  readonly outageEveryMs?: number;
  readonly outageMs?: number;
}

/** The variable each rate is read from, to name it when a value is out of range. */
const RATE_VARIABLES = {
  failureRate: "TIFFIN_PAYMENT_FAILURE_RATE",
  hangRate: "TIFFIN_PAYMENT_HANG_RATE",
  lostReplyRate: "TIFFIN_PAYMENT_LOST_REPLY_RATE",
  lateReplyRate: "TIFFIN_PAYMENT_LATE_REPLY_RATE",
} as const;

const DEFAULT_LATE_REPLY_MS = 10_000;

interface ArmedFault {
  readonly operation: SimulatedOperation;
  readonly fault: SimulatedFault;
  remaining: number;
}

/** Injected faults plus random ones at configured rates, shared by the calls of one simulated gateway. */
export class SimulatedFaults {
  private readonly armed: ArmedFault[] = [];
  private readonly lateReplyMs: number;
  private readonly madeAt = Date.now();

  constructor(
    private readonly rates: SimulatedFaultRates,
    private readonly random: () => number,
  ) {
    for (const [name, variable] of Object.entries(RATE_VARIABLES)) {
      const rate = rates[name as keyof typeof RATE_VARIABLES] ?? 0;
      if (!(Number.isFinite(rate) && rate >= 0 && rate <= 1)) throw misconfigured(`simulated gateway ${name} (${variable}) must be a number in 0..1, got ${rate}`);
    }
    this.lateReplyMs = rates.lateReplyMs ?? DEFAULT_LATE_REPLY_MS;
    if (!(Number.isInteger(this.lateReplyMs) && this.lateReplyMs >= 0)) {
      throw misconfigured(`simulated gateway lateReplyMs (TIFFIN_PAYMENT_LATE_REPLY_MS) must be a non-negative integer, got ${this.lateReplyMs}`);
    }
    const { outageEveryMs = 0, outageMs = 0 } = rates;
    if (!(Number.isInteger(outageEveryMs) && Number.isInteger(outageMs) && outageMs >= 0 && (outageMs === 0 || outageEveryMs > outageMs))) {
      throw misconfigured(
        `simulated gateway outages (TIFFIN_PAYMENT_OUTAGE_EVERY_MS ${outageEveryMs}, TIFFIN_PAYMENT_OUTAGE_MS ${outageMs}) must be whole milliseconds, the period longer than the outage`,
      );
    }
  }

  /** Whether the provider is in one of its outages now. */
  private down(): boolean {
    const { outageEveryMs = 0, outageMs = 0 } = this.rates;
    return outageMs > 0 && (Date.now() - this.madeAt) % outageEveryMs < outageMs;
  }

  inject(operation: SimulatedOperation, fault: SimulatedFault): void {
    this.armed.push({ operation, fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.armed.length = 0;
  }

  /** Runs `execute` (the provider doing the work) between the faults that strike before and after it. */
  async around<T>(operation: SimulatedOperation, party: PayoutParty | undefined, signal: AbortSignal | undefined, execute: () => Promise<T>): Promise<T> {
    await this.before(operation, party, signal);
    const answer = await execute();
    await this.after(operation, signal);
    return answer;
  }

  /** Throws, hangs or returns, as the armed faults and the rates say for this call. */
  private async before(operation: SimulatedOperation, party: PayoutParty | undefined, signal: AbortSignal | undefined): Promise<void> {
    const hit = this.armed.find(
      (a) => a.operation === operation && a.remaining > 0 && (a.fault.party === undefined || a.fault.party === party),
    );
    if (hit !== undefined) {
      hit.remaining -= 1;
      if (hit.fault.kind === "hang") await hang(operation, signal);
      throw fault(operation, hit.fault.kind === "transient");
    }
    if (this.down() || this.strikes(this.rates.failureRate)) throw fault(operation, true);
    if (this.strikes(this.rates.hangRate)) await hang(operation, signal);
  }

  /** After the work is done: the reply is lost, or comes late (a caller that aborts meanwhile sees a timeout). */
  private async after(operation: SimulatedOperation, signal: AbortSignal | undefined): Promise<void> {
    if (this.strikes(this.rates.lostReplyRate)) {
      throw new InfrastructureError(InfrastructureErrorCode.Unavailable, `simulated provider executed the request but its reply was lost (${operation})`, { transient: true });
    }
    if (this.strikes(this.rates.lateReplyRate)) await late(operation, this.lateReplyMs, signal);
  }

  private strikes(rate: number | undefined): boolean {
    return rate !== undefined && rate > 0 && this.random() < rate;
  }
}

const misconfigured = (message: string): InfrastructureError =>
  new InfrastructureError(InfrastructureErrorCode.Misconfigured, message, { transient: false });

function fault(operation: SimulatedOperation, transient: boolean): InfrastructureError {
  const code = transient ? InfrastructureErrorCode.Unavailable : InfrastructureErrorCode.Unexpected;
  const kind = transient ? "temporarily unavailable" : "rejected the request permanently";
  return new InfrastructureError(code, `simulated provider ${kind} (${operation})`, { transient });
}

const timedOut = (operation: SimulatedOperation, what: string): InfrastructureError =>
  new InfrastructureError(InfrastructureErrorCode.Timeout, `simulated provider ${what} (${operation})`, { transient: true });

function hang(operation: SimulatedOperation, signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    const abort = (): void => reject(timedOut(operation, "hung"));
    if (signal?.aborted) abort();
    signal?.addEventListener("abort", abort, { once: true });
  });
}

function late(operation: SimulatedOperation, ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, ms);
    const abort = (): void => {
      clearTimeout(timer);
      reject(timedOut(operation, "executed the request, but the caller gave up before its late reply"));
    };
    if (signal?.aborted) abort();
    else signal?.addEventListener("abort", abort, { once: true });
  });
}
