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

interface ArmedFault {
  readonly operation: SimulatedOperation;
  readonly fault: SimulatedFault;
  remaining: number;
}

/** Injected faults plus a random transient failure rate, shared by the calls of one simulated gateway. */
export class SimulatedFaults {
  private readonly armed: ArmedFault[] = [];

  constructor(
    private readonly failureRate: number,
    private readonly random: () => number,
  ) {
    if (!(Number.isFinite(failureRate) && failureRate >= 0 && failureRate <= 1)) {
      throw new InfrastructureError(
        InfrastructureErrorCode.Misconfigured,
        `simulated gateway failureRate (TIFFIN_PAYMENT_FAILURE_RATE) must be a number in 0..1, got ${failureRate}`,
        { transient: false },
      );
    }
  }

  inject(operation: SimulatedOperation, fault: SimulatedFault): void {
    this.armed.push({ operation, fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.armed.length = 0;
  }

  /** Throws, hangs or returns, as the armed faults and the failure rate say for this call. */
  async before(operation: SimulatedOperation, party: PayoutParty | undefined, signal: AbortSignal | undefined): Promise<void> {
    const hit = this.armed.find(
      (a) => a.operation === operation && a.remaining > 0 && (a.fault.party === undefined || a.fault.party === party),
    );
    if (hit !== undefined) {
      hit.remaining -= 1;
      if (hit.fault.kind === "hang") await hang(operation, signal);
      throw fault(operation, hit.fault.kind === "transient");
    }
    if (this.failureRate > 0 && this.random() < this.failureRate) throw fault(operation, true);
  }
}

function fault(operation: SimulatedOperation, transient: boolean): InfrastructureError {
  const code = transient ? InfrastructureErrorCode.Unavailable : InfrastructureErrorCode.Unexpected;
  const kind = transient ? "temporarily unavailable" : "rejected the request permanently";
  return new InfrastructureError(code, `simulated provider ${kind} (${operation})`, { transient });
}

function hang(operation: SimulatedOperation, signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    const abort = (): void =>
      reject(new InfrastructureError(InfrastructureErrorCode.Timeout, `simulated provider hung (${operation})`, { transient: true }));
    if (signal?.aborted) abort();
    signal?.addEventListener("abort", abort, { once: true });
  });
}
