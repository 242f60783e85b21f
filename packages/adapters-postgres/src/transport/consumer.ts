import {
  type CloudEvent,
  type HandlerOutcome,
  type Logger,
  type MessageHandler,
  type ResolvedSubscriptionSpec,
  decideDelivery,
  decodeCloudEvent,
} from "@tiffin/core";
import type { Database } from "../sql/database.js";
import { num } from "../stores/rows.js";
import { BUS_SQL } from "./bus-sql.js";

export interface ConsumerOptions {
  readonly pollIntervalMs: number;
  readonly visibilityTimeoutMs: number;
  readonly logger: Logger;
  /** Source of backoff jitter. */
  readonly random: () => number;
}

interface ClaimedRow {
  id: unknown;
  attributes: Record<string, string>;
  body: string;
  deliveries: number;
}

const reasonOf = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/**
 * One `subscribe` call. A cycle is one statement that deletes the messages handled since the last cycle and
 * claims as many new ones as there are free handler slots, so nothing waits in memory when it closes. The delivery
 * policy decides what happens to a message whose handler failed: nacked with a delay, or dead-lettered. It cycles on the subscription's NOTIFY, on a poll, when
 * handlers finish, and when a nacked message becomes visible again.
 */
export class Consumer {
  private readonly running = new Set<Promise<void>>();
  private readonly handled: string[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly poll: NodeJS.Timeout;
  private readonly inFlight = new Set<string>();
  private cycle: Promise<void> | null = null;
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly spec: ResolvedSubscriptionSpec,
    private readonly handler: MessageHandler,
    private readonly options: ConsumerOptions,
  ) {
    this.poll = setInterval(() => this.wake(), options.pollIntervalMs);
    this.heartbeat = setInterval(() => void this.extendLeases(), Math.max(100, options.visibilityTimeoutMs / 3));
  }

  get subscription(): string {
    return this.spec.subscription;
  }

  /** Schedules one cycle; wake-ups that arrive before it runs (several handlers finishing) share it. */
  wake(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.cycle) return void this.cycle.then(() => this.wake());
      this.cycle = this.runCycle().finally(() => {
        this.cycle = null;
      });
    });
  }

  private async runCycle(): Promise<void> {
    const acks = this.handled.splice(0);
    const free = this.closed ? 0 : this.spec.concurrency - this.inFlight.size;
    if (free <= 0 && acks.length === 0) return;
    try {
      const rows =
        free > 0
          ? await this.db.query<ClaimedRow>(BUS_SQL.claim, [this.spec.subscription, free, this.options.visibilityTimeoutMs, acks])
          : await this.db.query<ClaimedRow>(BUS_SQL.ack, [acks]);
      rows.sort((a, b) => num(a.id) - num(b.id));
      for (const row of rows) this.start(row);
      if (rows.length === free && free > 0) this.wake();
    } catch (error) {
      // Unacked messages reappear after their visibility timeout; the next wake-up claims again.
      this.options.logger.warn("bus cycle failed", { subscription: this.spec.subscription, err: reasonOf(error) });
    }
  }

  private start(row: ClaimedRow): void {
    const id = String(row.id);
    this.inFlight.add(id);
    const task = this.deliver(id, row)
      .catch((error: unknown) => {
        this.options.logger.error("bus settle failed; the message reappears after its visibility timeout", {
          subscription: this.spec.subscription,
          err: reasonOf(error),
        });
      })
      .finally(() => {
        this.inFlight.delete(id);
        this.running.delete(task);
        this.wake();
      });
    this.running.add(task);
  }

  private async deliver(id: string, row: ClaimedRow): Promise<void> {
    const attempt = num(row.deliveries);
    const outcome = await this.run(row, attempt);
    const verdict = decideDelivery(outcome, attempt, this.spec, this.options.random);
    if (verdict.action === "ack") {
      this.handled.push(id);
    } else if (verdict.action === "retry") {
      await this.db.query(BUS_SQL.nack, [id, verdict.delayMs]);
      this.wakeAfter(verdict.delayMs);
    } else {
      await this.db.query(BUS_SQL.deadLetter, [id, verdict.reason]);
    }
  }

  private async run(row: ClaimedRow, attempt: number): Promise<HandlerOutcome> {
    let message: CloudEvent;
    try {
      message = decodeCloudEvent({ attributes: row.attributes, body: row.body });
    } catch (error) {
      return { kind: "unparseable", error };
    }
    try {
      await this.handler(message, { subscription: this.spec.subscription, attempt });
      return { kind: "handled" };
    } catch (error) {
      return { kind: "failed", error };
    }
  }

  private wakeAfter(delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.wake();
    }, delayMs + 1);
    this.timers.add(timer);
  }

  /** Keeps long-running handlers' messages hidden so no other consumer gets them meanwhile. */
  private async extendLeases(): Promise<void> {
    if (this.inFlight.size === 0) return;
    await this.db.query(BUS_SQL.extend, [[...this.inFlight], this.options.visibilityTimeoutMs]).catch(() => undefined);
  }

  /** Stops claiming, waits for running handlers, and acknowledges what they handled. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.poll);
    clearInterval(this.heartbeat);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    while (this.running.size > 0 || this.cycle) {
      await Promise.all([...this.running, this.cycle]);
    }
    const acks = this.handled.splice(0);
    if (acks.length === 0) return;
    await this.db.query(BUS_SQL.ack, [acks]).catch((error: unknown) => {
      this.options.logger.warn("final acks failed; those messages are redelivered", { subscription: this.spec.subscription, err: reasonOf(error) });
    });
  }
}
