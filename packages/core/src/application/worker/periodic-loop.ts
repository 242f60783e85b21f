import type { Logger } from "../../ports/logger.js";

/**
 * Runs `tick` again and again: at once while it reports work done (a positive count), else after `intervalMs`.
 * `wake()` cuts a wait short (e.g. on a database notification); `stop()` lets the running tick finish and
 * resolves when it has. A tick that throws is logged and retried after the interval.
 */
export class PeriodicLoop {
  private running = false;
  private done: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | null = null;
  private pendingWake = false;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly tick: () => Promise<number>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.done = this.loop();
  }

  wake(): void {
    this.pendingWake = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.done;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let worked = 0;
      try {
        worked = await this.tick();
      } catch (error) {
        this.logger.error(`${this.name} failed; retrying`, { loop: this.name, err: error });
      }
      if (worked === 0 && this.running) await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    if (this.pendingWake) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.wakeUp = null;
        this.pendingWake = false;
        resolve();
      };
      const timer = setTimeout(finish, this.intervalMs);
      this.wakeUp = finish;
    });
  }
}
