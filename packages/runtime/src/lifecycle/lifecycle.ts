import type { Logger } from "@tiffin/core";

/**
 * When a part stops: `intake` (servers stop accepting and finish in-flight requests), then `work` (workers
 * finish in-flight steps), then `resources` (broker clients, pools).
 */
export type StopPhase = "intake" | "work" | "resources";
const PHASES: readonly StopPhase[] = ["intake", "work", "resources"];

/** One thing to stop on shutdown. */
export interface Stoppable {
  readonly name: string;
  readonly phase: StopPhase;
  stop(): Promise<void>;
}

/**
 * A process's lifecycle: readiness, and an orderly stop on SIGTERM/SIGINT. Stopping flips readiness to
 * false at once (so load balancers drain), then stops each registered part in order (servers stop
 * accepting and finish in-flight requests, workers finish in-flight steps, pools close), bounded by a grace
 * period after which the process exits anyway.
 */
export class Lifecycle {
  private readyFlag = false;
  private stopRequested = false;
  private stopping: Promise<void> | null = null;
  private readonly parts: Stoppable[] = [];

  constructor(
    private readonly logger: Logger,
    private readonly graceMs: number,
  ) {}

  get ready(): boolean {
    return this.readyFlag && !this.stopRequested;
  }

  get isStopping(): boolean {
    return this.stopRequested;
  }

  markReady(): void {
    this.readyFlag = true;
  }

  /** Registers a part to stop in `phase`; within a phase, parts stop in registration order. */
  onStop(name: string, phase: StopPhase, stop: () => Promise<void>): void {
    this.parts.push({ name, phase, stop });
  }

  /** Stops every part once; later calls return the same promise. Never rejects: failures are logged. */
  stop(reason: string): Promise<void> {
    // Readiness drops before the first part's stop runs (stopAll starts synchronously).
    this.stopRequested = true;
    this.stopping ??= this.stopAll(reason);
    return this.stopping;
  }

  /** Stops on SIGTERM/SIGINT, then exits 0 (1 when the grace period ran out). */
  exitOnSignals(exit: (code: number) => void = (code) => process.exit(code)): void {
    const onSignal = (signal: NodeJS.Signals) => {
      void this.stopWithin(signal).then((clean) => exit(clean ? 0 : 1));
    };
    process.once("SIGTERM", onSignal);
    process.once("SIGINT", onSignal);
  }

  /** Stops, resolving true when every part stopped within the grace period. */
  async stopWithin(reason: string): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.graceMs);
      timer.unref();
    });
    const clean = await Promise.race([this.stop(reason).then(() => true as const), expired]);
    clearTimeout(timer);
    if (!clean) this.logger.warn("grace period ended before everything stopped", { grace_ms: this.graceMs });
    return clean;
  }

  private async stopAll(reason: string): Promise<void> {
    this.logger.info("stopping", { reason });
    const ordered = PHASES.flatMap((phase) => this.parts.filter((part) => part.phase === phase));
    for (const part of ordered) {
      try {
        await part.stop();
      } catch (error) {
        this.logger.error("failed to stop cleanly", { part: part.name, err: error });
      }
    }
    this.logger.info("stopped", { reason });
  }
}
