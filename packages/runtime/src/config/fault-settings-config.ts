import { type Env, RECONCILIATION_DEFAULTS, type SimulatedFaultRates, fraction, integer } from "@tiffin/core";

/**
 * Faults the simulated providers and the auto kitchen show, how soon the payment saga notices a stalled step, and how
 * soon the reconciliation sweep looks for what a lost message left undone.
 * All default to "behave", and to production's timings; the reliability suite (`npm run chaos`) turns them up.
 */
export interface FaultSettings {
  /** The simulated payment and payout providers' random faults. */
  readonly providers: SimulatedFaultRates;
  /** A share of charges the simulated card processor declines (a business refusal). */
  readonly paymentDeclineRate: number;
  /** With TIFFIN_KITCHEN=auto: a share of orders the kitchen rejects. */
  readonly kitchenRejectRate: number;
  /** A saga step in flight for longer than this is re-issued by the recovery sweep. */
  readonly sagaStalledAfterMs: number;
  /** How often a worker runs the saga recovery sweep. */
  readonly recoveryIntervalMs: number;
  /** The reconciliation sweep compares only state unchanged for this long (a message still on its way is no loss). */
  readonly reconciliationGraceMs: number;
  /** How often a worker runs the reconciliation sweep. */
  readonly reconciliationIntervalMs: number;
}

const HOUR_MS = 3_600_000;

export function faultSettings(env: Env): FaultSettings {
  return {
    providers: {
      failureRate: fraction(env, "TIFFIN_PAYMENT_FAILURE_RATE", 0),
      hangRate: fraction(env, "TIFFIN_PAYMENT_HANG_RATE", 0),
      lostReplyRate: fraction(env, "TIFFIN_PAYMENT_LOST_REPLY_RATE", 0),
      lateReplyRate: fraction(env, "TIFFIN_PAYMENT_LATE_REPLY_RATE", 0),
      lateReplyMs: integer(env, "TIFFIN_PAYMENT_LATE_REPLY_MS", 10_000, { min: 0, max: HOUR_MS }),
      outageEveryMs: integer(env, "TIFFIN_PAYMENT_OUTAGE_EVERY_MS", 0, { min: 0, max: HOUR_MS }),
      outageMs: integer(env, "TIFFIN_PAYMENT_OUTAGE_MS", 0, { min: 0, max: HOUR_MS }),
    },
    paymentDeclineRate: fraction(env, "TIFFIN_PAYMENT_DECLINE_RATE", 0),
    kitchenRejectRate: fraction(env, "TIFFIN_KITCHEN_REJECT_RATE", 0),
    // The saga runner refuses a threshold within its gateway pipeline's worst case (26 s with the default
    // resilience) at start, with a message saying so; here only the range is checked.
    sagaStalledAfterMs: integer(env, "TIFFIN_SAGA_STALLED_AFTER_MS", 60_000, { min: 1_000, max: HOUR_MS }),
    recoveryIntervalMs: integer(env, "TIFFIN_RECOVERY_INTERVAL_MS", 30_000, { min: 100, max: HOUR_MS }),
    reconciliationGraceMs: integer(env, "TIFFIN_RECONCILIATION_GRACE_MS", RECONCILIATION_DEFAULTS.graceMs, { min: 1_000, max: 24 * HOUR_MS }),
    reconciliationIntervalMs: integer(env, "TIFFIN_RECONCILIATION_INTERVAL_MS", RECONCILIATION_DEFAULTS.intervalMs, { min: 100, max: HOUR_MS }),
  };
}
