import { randomUUID } from "node:crypto";
import type { Message } from "rhea";
import type { ResolvedEntityProperties } from "./config.js";
import type { StoredMessage } from "./stored-message.js";

/** How a client settles a locked message. */
export type Settlement =
  | { readonly kind: "complete" }
  | { readonly kind: "abandon"; readonly properties?: Readonly<Record<string, unknown>> }
  | {
      readonly kind: "dead-letter";
      readonly reason?: string;
      readonly description?: string;
      readonly properties?: Readonly<Record<string, unknown>>;
    };

/** A failure the service reports with an AMQP error condition. */
export class BrokerError extends Error {
  constructor(
    readonly condition: string,
    message: string,
  ) {
    super(message);
  }
}

export const CONDITIONS = {
  lockLost: "com.microsoft:message-lock-lost",
  sessionLockLost: "com.microsoft:session-lock-lost",
  sessionCannotBeLocked: "com.microsoft:session-cannot-be-locked",
  notFound: "com.microsoft:entity-not-found",
  messageNotFound: "com.microsoft:message-not-found",
  timeout: "com.microsoft:timeout",
  sizeExceeded: "amqp:link:message-size-exceeded",
  notImplemented: "amqp:not-implemented",
  invalidField: "amqp:invalid-field",
} as const;

interface SessionLock {
  readonly owner: object;
  until: number;
  timer: ReturnType<typeof setTimeout>;
}

const DEAD_LETTER_QUEUE_PROPERTIES: ResolvedEntityProperties = {
  lockDurationMs: 60_000,
  maxDeliveryCount: Number.MAX_SAFE_INTEGER,
  requiresSession: false,
};

/**
 * One queue or subscription (and, inside it, its `$DeadLetterQueue`): sequence numbers, peek-lock with lock
 * expiry, abandon and redelivery with `deliveryCount`, dead-lettering after `MaxDeliveryCount`, scheduled messages
 * and session locks. It knows nothing of AMQP; the server turns its answers into frames.
 */
export class MessageQueue {
  readonly deadLetterQueue: MessageQueue | undefined;
  private readonly messages = new Map<number, StoredMessage>();
  private readonly locked = new Map<string, StoredMessage>();
  private readonly sessions = new Map<string, SessionLock>();
  private readonly changeListeners = new Set<() => void>();
  private readonly sessionLostListeners = new Set<(owner: object, sessionId: string) => void>();
  private nextSequence = 1;
  private scheduleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly path: string,
    readonly properties: ResolvedEntityProperties,
    withDeadLetterQueue = true,
  ) {
    this.deadLetterQueue = withDeadLetterQueue ? new MessageQueue(`${path}/$DeadLetterQueue`, DEAD_LETTER_QUEUE_PROPERTIES, false) : undefined;
  }

  /** Calls `listener` whenever a message may have become available. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Calls `listener` when the session lock of a receiver runs out. */
  onSessionLost(listener: (owner: object, sessionId: string) => void): () => void {
    this.sessionLostListeners.add(listener);
    return () => this.sessionLostListeners.delete(listener);
  }

  /** Stores a message (visible at once or at `visibleAt`) and returns its sequence number. */
  enqueue(message: Message, options: { visibleAt?: number; deliveryCount?: number } = {}): number {
    const now = Date.now();
    const sequenceNumber = this.nextSequence++;
    const groupId = message.group_id;
    this.messages.set(sequenceNumber, {
      sequenceNumber,
      message,
      enqueuedAt: now,
      visibleAt: options.visibleAt ?? now,
      sessionId: typeof groupId === "string" ? groupId : undefined,
      deliveryCount: options.deliveryCount ?? 0,
      lock: undefined,
    });
    if ((options.visibleAt ?? now) > now) this.armScheduleTimer();
    else this.changed();
    return sequenceNumber;
  }

  /** Removes a scheduled message that is not yet visible; false when there is none. */
  cancelScheduled(sequenceNumber: number): boolean {
    const stored = this.messages.get(sequenceNumber);
    if (stored === undefined || stored.visibleAt <= Date.now()) return false;
    return this.messages.delete(sequenceNumber);
  }

  /**
   * The next visible, unlocked message for `owner` (of `sessionId` for a session receiver), in sequence order. In
   * peek-lock mode it is locked for the lock duration; otherwise it is removed.
   */
  take(owner: object, sessionId: string | undefined, peekLock: boolean): StoredMessage | undefined {
    const now = Date.now();
    if (sessionId !== undefined && this.sessions.get(sessionId)?.owner !== owner) return undefined;
    for (const stored of this.messages.values()) {
      if (stored.lock !== undefined || stored.visibleAt > now) continue;
      if (this.properties.requiresSession && stored.sessionId !== sessionId) continue;
      if (!peekLock) {
        this.messages.delete(stored.sequenceNumber);
        return stored;
      }
      const token = randomUUID();
      stored.lock = { token, until: now + this.properties.lockDurationMs, owner, timer: undefined };
      if (sessionId === undefined) stored.lock.timer = this.expireAt(stored.lock.until, () => this.lockExpired(stored, token));
      else stored.lock.until = this.sessions.get(sessionId)?.until ?? stored.lock.until;
      this.locked.set(token, stored);
      return stored;
    }
    return undefined;
  }

  /** Settles a locked message; throws `message-lock-lost` when its lock expired or it was settled already. */
  settle(lockToken: string, settlement: Settlement): void {
    const stored = this.locked.get(lockToken);
    if (stored === undefined) throw new BrokerError(CONDITIONS.lockLost, `The lock ${lockToken} is lost or the message was settled already.`);
    this.unlock(stored);
    if (settlement.kind === "complete") {
      this.messages.delete(stored.sequenceNumber);
    } else if (settlement.kind === "abandon") {
      stored.message = withProperties(stored.message, settlement.properties);
      this.redeliver(stored);
    } else {
      this.deadLetter(stored, {
        ...settlement.properties,
        DeadLetterReason: settlement.reason,
        DeadLetterErrorDescription: settlement.description,
      });
    }
    this.changed();
  }

  /** Extends a message lock by the lock duration and returns the new expiry. */
  renewLock(lockToken: string): number {
    const stored = this.locked.get(lockToken);
    const lock = stored?.lock;
    if (stored === undefined || lock === undefined) throw new BrokerError(CONDITIONS.lockLost, `The lock ${lockToken} is lost.`);
    if (stored.sessionId !== undefined && this.properties.requiresSession) return lock.until;
    if (lock.timer !== undefined) clearTimeout(lock.timer);
    lock.until = Date.now() + this.properties.lockDurationMs;
    lock.timer = this.expireAt(lock.until, () => this.lockExpired(stored, lock.token));
    return lock.until;
  }

  /** Messages from `fromSequenceNumber` on, in order, without locking them (scheduled and locked ones included). */
  peek(fromSequenceNumber: number, count: number, sessionId?: string): StoredMessage[] {
    const found: StoredMessage[] = [];
    for (const stored of this.messages.values()) {
      if (found.length >= count) break;
      if (stored.sequenceNumber < fromSequenceNumber) continue;
      if (sessionId !== undefined && stored.sessionId !== sessionId) continue;
      found.push(stored);
    }
    return found;
  }

  /** Visible messages waiting to be received. */
  activeMessageCount(): number {
    const now = Date.now();
    return [...this.messages.values()].filter((m) => m.lock === undefined && m.visibleAt <= now).length;
  }

  /**
   * Locks a session for `owner`: the one asked for if no one else holds it, else the session whose oldest visible
   * message is oldest among unlocked sessions. Undefined when there is none.
   */
  acquireSession(owner: object, requested: string | undefined): string | undefined {
    const now = Date.now();
    let sessionId = requested;
    if (sessionId === undefined) {
      for (const stored of this.messages.values()) {
        if (stored.sessionId === undefined || stored.visibleAt > now || stored.lock !== undefined) continue;
        if (!this.sessions.has(stored.sessionId)) {
          sessionId = stored.sessionId;
          break;
        }
      }
    } else if (this.sessions.has(sessionId)) {
      return undefined;
    }
    if (sessionId === undefined) return undefined;
    const id = sessionId;
    const until = now + this.properties.lockDurationMs;
    this.sessions.set(id, { owner, until, timer: this.expireAt(until, () => this.sessionExpired(id, owner)) });
    return id;
  }

  /** Extends a session lock held by `owner` (any holder when absent) and returns the new expiry. */
  renewSessionLock(sessionId: string, owner?: object): number {
    const session = this.sessions.get(sessionId);
    if (session === undefined || (owner !== undefined && session.owner !== owner)) {
      throw new BrokerError(CONDITIONS.sessionLockLost, `The session lock of "${sessionId}" is lost.`);
    }
    clearTimeout(session.timer);
    session.until = Date.now() + this.properties.lockDurationMs;
    session.timer = this.expireAt(session.until, () => this.sessionExpired(sessionId, session.owner));
    for (const stored of this.locked.values()) if (stored.sessionId === sessionId && stored.lock) stored.lock.until = session.until;
    return session.until;
  }

  /** Hands a session lock to another owner (the receiver link that was being attached). */
  transferSession(sessionId: string, from: object, to: object): void {
    const session = this.sessions.get(sessionId);
    if (session?.owner !== from) throw new BrokerError(CONDITIONS.sessionLockLost, `The session lock of "${sessionId}" is lost.`);
    clearTimeout(session.timer);
    this.sessions.set(sessionId, { owner: to, until: session.until, timer: this.expireAt(session.until, () => this.sessionExpired(sessionId, to)) });
  }

  sessionLockedUntil(sessionId: string): number | undefined {
    return this.sessions.get(sessionId)?.until;
  }

  /** The receiver went away: its sessions are unlocked and their locked messages come back (counted as deliveries). */
  releaseOwner(owner: object): void {
    for (const [sessionId, session] of this.sessions) {
      if (session.owner === owner) this.releaseSession(sessionId);
    }
  }

  close(): void {
    if (this.scheduleTimer !== undefined) clearTimeout(this.scheduleTimer);
    for (const stored of this.locked.values()) if (stored.lock?.timer) clearTimeout(stored.lock.timer);
    for (const session of this.sessions.values()) clearTimeout(session.timer);
    this.deadLetterQueue?.close();
  }

  private releaseSession(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (session === undefined) return;
    clearTimeout(session.timer);
    this.sessions.delete(sessionId);
    for (const stored of [...this.locked.values()]) {
      if (stored.sessionId !== sessionId) continue;
      this.unlock(stored);
      this.redeliver(stored);
    }
    this.changed();
  }

  private sessionExpired(sessionId: string, owner: object): void {
    if (this.sessions.get(sessionId)?.owner !== owner) return;
    this.releaseSession(sessionId);
    for (const listener of this.sessionLostListeners) listener(owner, sessionId);
  }

  private lockExpired(stored: StoredMessage, token: string): void {
    if (stored.lock?.token !== token) return;
    this.unlock(stored);
    this.redeliver(stored);
    this.changed();
  }

  private unlock(stored: StoredMessage): void {
    if (stored.lock === undefined) return;
    if (stored.lock.timer !== undefined) clearTimeout(stored.lock.timer);
    this.locked.delete(stored.lock.token);
    stored.lock = undefined;
  }

  /** A delivery that did not settle counts; past `MaxDeliveryCount` the message is dead-lettered. */
  private redeliver(stored: StoredMessage): void {
    stored.deliveryCount += 1;
    if (stored.deliveryCount >= this.properties.maxDeliveryCount) {
      this.deadLetter(stored, {
        DeadLetterReason: "MaxDeliveryCountExceeded",
        DeadLetterErrorDescription: `Message could not be consumed after ${this.properties.maxDeliveryCount} delivery attempts.`,
      });
    }
  }

  private deadLetter(stored: StoredMessage, properties: Record<string, unknown>): void {
    this.messages.delete(stored.sequenceNumber);
    if (this.deadLetterQueue === undefined) return;
    const message = withProperties(stored.message, properties);
    message.message_annotations = { ...message.message_annotations, "x-opt-deadletter-source": this.path };
    this.deadLetterQueue.enqueue(message, { deliveryCount: stored.deliveryCount });
  }

  private armScheduleTimer(): void {
    if (this.scheduleTimer !== undefined) clearTimeout(this.scheduleTimer);
    const now = Date.now();
    const next = Math.min(...[...this.messages.values()].map((m) => m.visibleAt).filter((at) => at > now));
    if (!Number.isFinite(next)) return;
    this.scheduleTimer = this.expireAt(next, () => {
      this.scheduleTimer = undefined;
      this.changed();
      this.armScheduleTimer();
    });
  }

  private expireAt(at: number, action: () => void): ReturnType<typeof setTimeout> {
    const timer = setTimeout(action, Math.max(0, at - Date.now()));
    timer.unref();
    return timer;
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }
}

function withProperties(message: Message, properties: Readonly<Record<string, unknown>> | undefined): Message {
  if (properties === undefined) return message;
  const defined = Object.fromEntries(Object.entries(properties).filter(([, value]) => value !== undefined));
  return { ...message, application_properties: { ...message.application_properties, ...defined } };
}
