import type { SubscriptionSpec } from "../ports/messaging.js";

/** The defaults that `SubscriptionSpec` documents, for every broker adapter to share. */
export const SUBSCRIPTION_DEFAULTS = {
  maxDeliveries: 5,
  concurrency: 10,
  retry: { minDelayMs: 1_000, maxDelayMs: 60_000 },
} as const;

/** A subscription spec with every optional setting filled in. */
export interface ResolvedSubscriptionSpec extends SubscriptionSpec {
  readonly maxDeliveries: number;
  readonly concurrency: number;
  readonly retry: { readonly minDelayMs: number; readonly maxDelayMs: number };
}

/** Applies the documented defaults and rejects settings no broker could honour. */
export function resolveSubscriptionSpec(spec: SubscriptionSpec): ResolvedSubscriptionSpec {
  const resolved = {
    ...spec,
    maxDeliveries: spec.maxDeliveries ?? SUBSCRIPTION_DEFAULTS.maxDeliveries,
    concurrency: spec.concurrency ?? SUBSCRIPTION_DEFAULTS.concurrency,
    retry: spec.retry ?? SUBSCRIPTION_DEFAULTS.retry,
  };
  if (!Number.isInteger(resolved.maxDeliveries) || resolved.maxDeliveries < 1) {
    throw new RangeError(`subscription "${spec.subscription}": maxDeliveries must be an integer >= 1`);
  }
  if (!Number.isInteger(resolved.concurrency) || resolved.concurrency < 1) {
    throw new RangeError(`subscription "${spec.subscription}": concurrency must be an integer >= 1`);
  }
  const { minDelayMs, maxDelayMs } = resolved.retry;
  if (!(minDelayMs >= 0) || !(maxDelayMs >= minDelayMs)) {
    throw new RangeError(`subscription "${spec.subscription}": retry needs 0 <= minDelayMs <= maxDelayMs`);
  }
  return resolved;
}

/**
 * The wait before redelivering a message whose `attempt`-th delivery failed: `min * 2^(attempt-1)` capped at
 * `max`, with "equal jitter" (a uniform pick in the upper half). Half the delay stays fixed so each attempt
 * waits at least as long as the previous one could have, while the random half spreads a burst of failures.
 */
export function redeliveryDelayMs(
  attempt: number,
  retry: { readonly minDelayMs: number; readonly maxDelayMs: number },
  random: () => number = Math.random,
): number {
  const nominal = Math.min(retry.maxDelayMs, retry.minDelayMs * 2 ** Math.max(0, attempt - 1));
  return nominal / 2 + random() * (nominal / 2);
}
