import type { Sender } from "rhea";
import { types } from "./codec.js";
import { CONDITIONS, type MessageQueue } from "./message-queue.js";

const SESSION_FILTER = "com.microsoft:session-filter";
const TIMEOUT_PROPERTY = "com.microsoft:timeout";
const DEFAULT_WAIT_MS = 60_000;
const DOTNET_EPOCH_TICKS = 621_355_968_000_000_000n;

/**
 * A receiver asking for a session. As the service does, the broker answers the attach only once it could lock a
 * session (the one named in the session filter, or the next with messages), or after the wait the client sent
 * in `com.microsoft:timeout`; then it attaches without a session and detaches with `com.microsoft:timeout`.
 */
export class SessionAttach {
  private readonly owner = {};
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopListening: (() => void) | undefined;
  private done = false;

  constructor(
    readonly sender: Sender,
    private readonly queue: MessageQueue,
    /** Builds the consumer that takes over the session lock. */
    private readonly attached: (sessionId: string) => object,
  ) {}

  start(): void {
    const requested = this.requestedSession();
    holdAttach(this.sender);
    if (this.tryLock(requested)) return;
    if (requested !== undefined) return this.refuse(CONDITIONS.sessionCannotBeLocked, `The session '${requested}' is locked by another receiver.`);
    const wait = Number(this.sender.properties?.[TIMEOUT_PROPERTY] ?? DEFAULT_WAIT_MS);
    this.timer = setTimeout(() => this.refuse(CONDITIONS.timeout, "No session became available within the wait."), wait);
    this.timer.unref();
    this.stopListening = this.queue.onChange(() => void this.tryLock(undefined));
  }

  cancel(): void {
    this.finish();
  }

  private tryLock(requested: string | undefined): boolean {
    if (this.done) return true;
    // The consumer link becomes the lock owner, so the lock is taken under a placeholder and handed over.
    const sessionId = this.queue.acquireSession(this.owner, requested);
    if (sessionId === undefined) return false;
    this.finish();
    this.attach(sessionId);
    return true;
  }

  private attach(sessionId: string): void {
    const until = this.queue.sessionLockedUntil(sessionId) ?? Date.now();
    this.sender.set_source({ ...this.sender.source, filter: { [SESSION_FILTER]: sessionId } } as never);
    local(this.sender).properties = { "com.microsoft:locked-until-utc": types.wrap_long(dotnetTicks(until)) };
    this.queue.transferSession(sessionId, this.owner, this.attached(sessionId));
    this.sender.open();
  }

  private refuse(condition: string, description: string): void {
    if (this.done) return;
    this.finish();
    this.sender.set_source({ ...this.sender.source, filter: undefined } as never);
    this.sender.open();
    this.sender.close({ condition, description });
  }

  private finish(): void {
    this.done = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.stopListening?.();
  }

  private requestedSession(): string | undefined {
    const value = (this.sender.source?.filter as Record<string, unknown> | undefined)?.[SESSION_FILTER];
    return typeof value === "string" ? value : undefined;
  }
}

const local = (sender: Sender): Record<string, unknown> => (sender as unknown as { local: { attach: Record<string, unknown> } }).local.attach;

/**
 * rhea answers an attach as soon as it arrives; taking back its pending "open" lets the broker answer later with
 * `sender.open()`, which is how the service holds a session receiver's attach.
 */
function holdAttach(sender: Sender): void {
  const state = (sender as unknown as { state: { local_open: boolean; open_requests: number } }).state;
  state.local_open = false;
  state.open_requests -= 1;
}

/** .NET ticks (100 ns since 0001-01-01) as 8 big-endian bytes: the service's `locked-until-utc`. */
function dotnetTicks(ms: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64BE(BigInt(Math.round(ms)) * 10_000n + DOTNET_EPOCH_TICKS);
  return bytes;
}
