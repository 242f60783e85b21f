import type { SubscriptionSpec } from "../../ports/messaging.js";
import type { ReconciliationOptions } from "../reconciliation/reconciler.js";
import type { TiffinOptions } from "../tiffin-deps.js";

/** A loop's cadence and batch. */
export interface LoopOptions {
  /** Wait between polls when there was nothing to do. */
  readonly intervalMs?: number;
  readonly batchSize?: number;
  /** How long claimed work is ours before another process may take it. */
  readonly leaseMs?: number;
}

/** The parts a worker process can run; all on by default. Turn some off to scale them separately. */
export type WorkerPart = "relay" | "timers" | "recovery" | "reconciliation" | "paymentSaga" | "kitchen" | "courierAssignment" | "projections";

/** Worker settings; every one has a default. */
export interface WorkerOptions extends TiffinOptions {
  /** This process's id for outbox and timer leases (default: a random UUID). */
  readonly workerId?: string;
  /** Outbox relay (defaults: every 100 ms, 100 records, 30 s lease). */
  readonly relay?: LoopOptions;
  /** Timer poller (defaults: every 250 ms, 50 timers, 30 s lease). */
  readonly timers?: LoopOptions;
  /** Saga recovery sweep cadence (default every 30 s). */
  readonly recovery?: Pick<LoopOptions, "intervalMs">;
  /** Reconciliation sweep (defaults: every 60 s, 100 orders and 100 sagas a pass, state unchanged for 5 min). */
  readonly reconciliation?: ReconciliationOptions & Pick<LoopOptions, "intervalMs">;
  /** Delivery settings applied to every subscription (the broker's defaults otherwise). */
  readonly delivery?: Pick<SubscriptionSpec, "concurrency" | "maxDeliveries" | "retry">;
  /** Parts to run (default all). */
  readonly parts?: readonly WorkerPart[];
}

/** Every part, the default of `parts`. */
export const ALL_WORKER_PARTS: readonly WorkerPart[] = [
  "relay",
  "timers",
  "recovery",
  "reconciliation",
  "paymentSaga",
  "kitchen",
  "courierAssignment",
  "projections",
];

/** Defaults of the worker loops. */
export const WORKER_DEFAULTS = {
  relay: { intervalMs: 100, batchSize: 100, leaseMs: 30_000 },
  timers: { intervalMs: 250, batchSize: 50, leaseMs: 30_000 },
  recovery: { intervalMs: 30_000 },
  reconciliation: { intervalMs: 60_000 },
} as const;
