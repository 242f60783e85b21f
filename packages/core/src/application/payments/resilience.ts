import {
  ExponentialBackoff,
  SamplingBreaker,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  isBrokenCircuitError,
  retry,
  timeout,
  wrap,
} from "cockatiel";
import { isTransient } from "../../ports/infrastructure.errors.js";

/** How gateway calls are retried, broken and timed out. */
export interface ResilienceConfig {
  /** Retries after the first call, on transient errors only (default 3). */
  readonly maxRetries: number;
  /** First backoff delay; later ones grow exponentially with decorrelated jitter (default 100 ms)... */
  readonly initialDelayMs: number;
  /** ...up to this (default 2 s). */
  readonly maxDelayMs: number;
  /** Each call is abandoned (and its signal aborted) after this long (default 5 s). */
  readonly timeoutMs: number;
  /** The circuit opens when more than this ratio of calls fail in the sample window (default 0.5)... */
  readonly breakerThreshold: number;
  /** ...over this window (default 10 s)... */
  readonly breakerWindowMs: number;
  /** ...given at least this many calls per second, so a quiet gateway does not trip on one failure (default 2). */
  readonly breakerMinimumRps: number;
  /** An open circuit lets one trial call through after this long (default 10 s). */
  readonly halfOpenAfterMs: number;
}

export const DEFAULT_RESILIENCE: ResilienceConfig = {
  maxRetries: 3,
  initialDelayMs: 100,
  maxDelayMs: 2_000,
  timeoutMs: 5_000,
  breakerThreshold: 0.5,
  breakerWindowMs: 10_000,
  breakerMinimumRps: 2,
  halfOpenAfterMs: 10_000,
};

/** Rejects nonsense up front, naming the setting. */
export function validateResilience(config: ResilienceConfig): ResilienceConfig {
  for (const [name, value] of Object.entries(config)) {
    if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`resilience.${name} must be a non-negative number, got ${value}`);
  }
  if (!(config.breakerThreshold > 0 && config.breakerThreshold < 1)) {
    throw new RangeError(`resilience.breakerThreshold must be between 0 and 1 (exclusive), got ${config.breakerThreshold}`);
  }
  return config;
}

/**
 * The longest one call through the pipeline can take before it answers or gives up: every attempt timing out, with
 * the longest backoff between them. A step in flight is live for at least this long.
 */
export const worstCaseMs = (config: ResilienceConfig): number =>
  (config.maxRetries + 1) * config.timeoutMs + config.maxRetries * config.maxDelayMs;

/**
 * The policy every gateway call runs through: retry (outermost; transient errors only, never into an open
 * circuit) around a circuit breaker (counts transient failures) around an aggressive timeout (rejects at once
 * and aborts the call's signal). A permanent error passes straight through. Share one per gateway so the
 * breaker sees all of that gateway's calls. `onCircuit` hears each change of the breaker's state.
 */
export function gatewayPipeline(config: ResilienceConfig, onCircuit?: (transition: CircuitTransition) => void) {
  const retryable = handleWhen((error) => isTransient(error) && !isBrokenCircuitError(error));
  const breaker = circuitBreaker(handleWhen(isTransient), {
    halfOpenAfter: config.halfOpenAfterMs,
    breaker: new SamplingBreaker({
      threshold: config.breakerThreshold,
      duration: config.breakerWindowMs,
      minimumRps: config.breakerMinimumRps,
    }),
  });
  if (onCircuit !== undefined) {
    breaker.onBreak(() => onCircuit("opened"));
    breaker.onHalfOpen(() => onCircuit("half_open"));
    breaker.onReset(() => onCircuit("closed"));
  }
  return wrap(
    retry(retryable, {
      maxAttempts: config.maxRetries,
      backoff: new ExponentialBackoff({ initialDelay: config.initialDelayMs, maxDelay: config.maxDelayMs }),
    }),
    breaker,
    timeout(config.timeoutMs, TimeoutStrategy.Aggressive),
  );
}

export type GatewayPipeline = ReturnType<typeof gatewayPipeline>;

/** A gateway's circuit breaker changed state: `opened` (calls fail fast), `half_open` (one trial call), `closed`. */
export type CircuitTransition = "opened" | "half_open" | "closed";
