/**
 * The environment every scenario's processes share, from its parameters: kitchens on auto with a short preparation,
 * a pickup deadline short enough that its timer (which outlives a delivered order until it is due, then ends as a
 * no-op) fires within the run, so "timers empty" can hold at the end; and the saga's stall threshold and recovery sweep short enough that work a crash left behind is picked up within
 * the run (production waits 60 s and 30 s; the stall threshold must exceed the gateway pipeline's 26 s worst case).
 */
export function platformEnv(params: Readonly<Record<string, number>>): Record<string, string> {
  return {
    TIFFIN_KITCHEN: "auto",
    TIFFIN_KITCHEN_PREP_MS: String(params.prepMs ?? 2000),
    TIFFIN_PICKUP_TIMEOUT_MS: String(params.pickupTimeoutMs ?? 20_000),
    TIFFIN_SAGA_STALLED_AFTER_MS: String(params.sagaStalledAfterMs ?? 30_000),
    TIFFIN_RECOVERY_INTERVAL_MS: String(params.recoveryIntervalMs ?? 5000),
  };
}
