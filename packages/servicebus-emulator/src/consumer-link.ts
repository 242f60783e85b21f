import type { Delivery, Sender } from "rhea";
import { BrokerError, CONDITIONS, type MessageQueue, type Settlement } from "./message-queue.js";
import type { StoredMessage } from "./stored-message.js";
import { deadLetteredOutcome, rejectedOutcome, types } from "./codec.js";

const DEAD_LETTER_CONDITION = "com.microsoft:dead-letter";

/**
 * A receiver of the client, seen from the broker: an AMQP sender link that hands out messages of one queue,
 * subscription or dead-letter queue (one session, when the entity has sessions) as credit allows, and turns the
 * client's dispositions into settlements.
 */
export class ConsumerLink {
  private readonly tokens = new WeakMap<Delivery, string>();
  private readonly unsubscribe: (() => void)[] = [];
  private pumpScheduled = false;

  constructor(
    readonly sender: Sender,
    readonly queue: MessageQueue,
    readonly sessionId: string | undefined,
  ) {
    this.unsubscribe.push(queue.onChange(() => this.schedulePump()));
    this.unsubscribe.push(
      queue.onSessionLost((owner, id) => {
        if (owner !== this) return;
        sender.close({ condition: CONDITIONS.sessionLockLost, description: `The session lock of "${id}" has expired.` });
      }),
    );
  }

  /** Peek-lock unless the client asked for pre-settled deliveries (receive-and-delete). */
  get peekLock(): boolean {
    return this.sender.snd_settle_mode !== 1;
  }

  /**
   * Pumps once the current burst of frames is processed. rhea reports dispositions, and takes credit for what was
   * sent, only after it has handled every frame it read; a pump in between would see a message still locked that
   * the client just abandoned, or credit already spent.
   */
  schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Sends as many messages as the client's credit allows; answers a drain request when nothing is left. */
  private pump(): void {
    if (!this.sender.is_open()) return;
    for (let credit = (this.sender as unknown as { credit: number }).credit; credit > 0; credit -= 1) {
      const stored = this.queue.take(this, this.sessionId, this.peekLock);
      if (stored === undefined) break;
      this.send(stored);
    }
    answerDrain(this.sender);
  }

  /** Applies the client's disposition and settles the delivery with the outcome, or with the error on failure. */
  settle(delivery: Delivery): void {
    const token = this.tokens.get(delivery);
    const state = delivery.remote_state as
      | { constructor: { composite_type?: string }; error?: { condition?: string; info?: Record<string, unknown> }; undeliverable_here?: boolean; message_annotations?: Record<string, unknown> }
      | undefined;
    if (token === undefined || state === undefined) return;
    try {
      this.queue.settle(token, toSettlement(state.constructor.composite_type, state));
      // Settle with the client's own outcome, re-encoded (rhea hands it over decoded); a dead-letter's `rejected`
      // carries an error the SDK would take for a failure, so it is confirmed with a `rejected` without one.
      const outcome =
        state.constructor.composite_type === "rejected" ? deadLetteredOutcome() : (state as unknown as { described(): unknown }).described();
      delivery.update(true, outcome);
    } catch (error) {
      const failure = error instanceof BrokerError ? error : new BrokerError("amqp:internal-error", String(error));
      delivery.update(true, rejectedOutcome(failure.condition, failure.message));
    }
  }

  close(): void {
    for (const stop of this.unsubscribe) stop();
    this.queue.releaseOwner(this);
  }

  private send(stored: StoredMessage): void {
    const lock = stored.lock;
    const annotations: Record<string, unknown> = {
      ...stored.message.message_annotations,
      "x-opt-sequence-number": types.wrap_long(stored.sequenceNumber),
      "x-opt-enqueued-time": types.wrap_timestamp(stored.enqueuedAt),
    };
    if (lock !== undefined) annotations["x-opt-locked-until"] = types.wrap_timestamp(lock.until);
    const outgoing = { ...stored.message, delivery_count: stored.deliveryCount, message_annotations: annotations };
    const tag = lock === undefined ? Buffer.from(String(stored.sequenceNumber)) : lockTokenTag(lock.token);
    const delivery = this.sender.send(outgoing, tag);
    if (lock !== undefined) this.tokens.set(delivery, lock.token);
  }
}

/** rhea's sender internals that a drain answer needs. */
interface DrainState {
  _draining: boolean;
  credit: number;
  delivery_count: number;
  issue_flow: boolean;
  connection: { _register(): void };
  _get_drain(): boolean;
}

/**
 * Answers a receiver's `drain` once nothing is left to send: a flow with `drain=true` that uses up the credit left,
 * which the SDK waits for before it returns a receive batch. rhea answers only while credit is left, but a drain
 * that raced the last message (credit already spent) must be answered too, or the SDK gives up and closes the
 * link. rhea writes transfers before flows, so the credit is used up when the flow is written, after the messages
 * just sent took theirs.
 */
function answerDrain(sender: Sender): void {
  const link = sender as unknown as DrainState;
  if (!link._draining) return;
  link._draining = false;
  const original = link._get_drain;
  link._get_drain = () => {
    link._get_drain = original;
    link.delivery_count += link.credit;
    link.credit = 0;
    return true;
  };
  link.issue_flow = true;
  link.connection._register();
}

function toSettlement(
  outcome: string | undefined,
  state: { error?: { condition?: string; info?: Record<string, unknown> }; undeliverable_here?: boolean; message_annotations?: Record<string, unknown> },
): Settlement {
  if (outcome === "accepted") return { kind: "complete" };
  if (outcome === "released") return { kind: "abandon" };
  if (outcome === "modified") {
    if (state.undeliverable_here === true) throw new BrokerError(CONDITIONS.notImplemented, "The emulator does not defer messages.");
    return state.message_annotations === undefined ? { kind: "abandon" } : { kind: "abandon", properties: state.message_annotations };
  }
  if (outcome === "rejected") {
    const info = state.error?.condition === DEAD_LETTER_CONDITION ? { ...state.error.info } : {};
    const { DeadLetterReason: reason, DeadLetterErrorDescription: description, ...properties } = info;
    return {
      kind: "dead-letter",
      ...(typeof reason === "string" ? { reason } : {}),
      ...(typeof description === "string" ? { description } : {}),
      properties,
    };
  }
  throw new BrokerError(CONDITIONS.invalidField, `Unknown outcome "${outcome}".`);
}

/**
 * The delivery tag that makes the SDK show `token` as the lock token: it reads tags as .NET GUID bytes (the first
 * three groups little-endian) and sends them back in RFC 4122 order in management requests.
 */
export function lockTokenTag(token: string): Buffer {
  const bytes = Buffer.from(token.replaceAll("-", ""), "hex");
  return Buffer.concat([bytes.subarray(0, 4).reverse(), bytes.subarray(4, 6).reverse(), bytes.subarray(6, 8).reverse(), bytes.subarray(8)]);
}

/** Reads a lock token sent as an AMQP uuid (16 bytes in RFC 4122 order) or a string. */
export function lockTokenString(value: unknown): string {
  if (typeof value === "string") return value.toLowerCase();
  if (Buffer.isBuffer(value) && value.length === 16) {
    const hex = value.toString("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  throw new BrokerError(CONDITIONS.invalidField, "A lock token must be a uuid.");
}
