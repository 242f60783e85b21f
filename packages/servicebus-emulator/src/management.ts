import type { Message } from "rhea";
import { lockTokenString } from "./consumer-link.js";
import { BrokerError, CONDITIONS, type Settlement } from "./message-queue.js";
import type { Namespace, ScheduledCopy } from "./namespace.js";
import { decodeMessage, encodeMessage, types } from "./codec.js";

type Body = Record<string, unknown>;
type Operation = (entity: string, body: Body) => Body | undefined;

const STATUS: Record<string, number> = {
  [CONDITIONS.lockLost]: 410,
  [CONDITIONS.sessionLockLost]: 410,
  [CONDITIONS.notFound]: 404,
  [CONDITIONS.messageNotFound]: 404,
  [CONDITIONS.notImplemented]: 501,
  [CONDITIONS.invalidField]: 400,
};

/**
 * The `$management` request/response operations the SDK uses on an entity (`<entity>/$management`): lock renewal,
 * scheduling, peeking, settlement by lock token. Other operations answer `amqp:not-implemented`.
 */
export class Management {
  private readonly scheduled = new Map<number, readonly ScheduledCopy[]>();
  private nextScheduleId = 1;
  private readonly operations: Record<string, Operation> = {
    "com.microsoft:renew-lock": (entity, body) => ({
      expirations: list(body["lock-tokens"]).map((token) => new Date(this.namespace.queue(entity).renewLock(lockTokenString(token)))),
    }),
    "com.microsoft:renew-session-lock": (entity, body) => ({
      expiration: new Date(this.namespace.queue(entity).renewSessionLock(String(body["session-id"]))),
    }),
    "com.microsoft:schedule-message": (entity, body) => ({
      "sequence-numbers": types.wrap_array(list(body.messages).map((entry) => this.schedule(entity, entry as Body)), 0x81, undefined),
    }),
    "com.microsoft:cancel-scheduled-message": (entity, body) => {
      for (const id of list(body["sequence-numbers"])) this.cancel(toNumber(id));
      return {};
    },
    "com.microsoft:peek-message": (entity, body) => {
      const sessionId = typeof body["session-id"] === "string" ? body["session-id"] : undefined;
      const found = this.namespace.queue(entity).peek(toNumber(body["from-sequence-number"]), toNumber(body["message-count"]), sessionId);
      if (found.length === 0) return undefined;
      return {
        messages: found.map((stored) => ({
          message: encodeMessage({
            ...stored.message,
            delivery_count: stored.deliveryCount,
            message_annotations: {
              ...stored.message.message_annotations,
              "x-opt-sequence-number": types.wrap_long(stored.sequenceNumber),
              "x-opt-enqueued-time": types.wrap_timestamp(stored.enqueuedAt),
            },
          }),
        })),
      };
    },
    "com.microsoft:update-disposition": (entity, body) => {
      const queue = this.namespace.queue(entity);
      const settlement = dispositionOf(body);
      for (const token of list(body["lock-tokens"])) queue.settle(lockTokenString(token), settlement);
      return {};
    },
  };

  constructor(private readonly namespace: Namespace) {}

  /** Answers one request; failures become a status code and error condition, as the service sends them. */
  handle(entity: string, request: Message): Message {
    const properties = request.application_properties ?? {};
    const operation = this.operations[String(properties.operation)];
    try {
      if (operation === undefined) throw new BrokerError(CONDITIONS.notImplemented, `The emulator does not implement ${String(properties.operation)}.`);
      const body = operation(entity, (request.body ?? {}) as Body);
      return response(request, body === undefined ? 204 : 200, body === undefined ? "No Content" : "OK", body ?? {});
    } catch (error) {
      const failure = error instanceof BrokerError ? error : new BrokerError("amqp:internal-error", String(error));
      return { ...response(request, STATUS[failure.condition] ?? 500, failure.message, {}), application_properties: {
        statusCode: STATUS[failure.condition] ?? 500,
        statusDescription: failure.message,
        errorCondition: failure.condition,
      } };
    }
  }

  private schedule(entity: string, entry: Body): number {
    const message = decodeMessage(entry.message as Buffer);
    const at = message.message_annotations?.["x-opt-scheduled-enqueue-time"];
    const visibleAt = at instanceof Date ? at.getTime() : Number(at ?? Date.now());
    const id = this.nextScheduleId++;
    this.scheduled.set(id, this.namespace.schedule(entity, message, visibleAt));
    return id;
  }

  private cancel(id: number): void {
    const copies = this.scheduled.get(id);
    if (copies === undefined) throw new BrokerError(CONDITIONS.messageNotFound, `No scheduled message ${id}.`);
    this.scheduled.delete(id);
    for (const { queue, sequenceNumber } of copies) queue.cancelScheduled(sequenceNumber);
  }
}

function dispositionOf(body: Body): Settlement {
  const status = String(body["disposition-status"]);
  const properties = (body["properties-to-modify"] ?? undefined) as Record<string, unknown> | undefined;
  if (status === "completed") return { kind: "complete" };
  if (status === "abandoned") return properties === undefined ? { kind: "abandon" } : { kind: "abandon", properties };
  if (status === "suspended") {
    const reason = body["deadletter-reason"];
    const description = body["deadletter-description"];
    return {
      kind: "dead-letter",
      ...(typeof reason === "string" ? { reason } : {}),
      ...(typeof description === "string" ? { description } : {}),
      ...(properties === undefined ? {} : { properties }),
    };
  }
  throw new BrokerError(CONDITIONS.notImplemented, `The emulator does not support disposition "${status}".`);
}

function response(request: Message, statusCode: number, statusDescription: string, body: Body): Message {
  return { correlation_id: request.message_id, to: request.reply_to, application_properties: { statusCode, statusDescription }, body } as Message;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);

/** AMQP longs arrive as numbers, or as 8 big-endian bytes when they do not fit a double. */
export function toNumber(value: unknown): number {
  if (Buffer.isBuffer(value)) return Number(value.readBigInt64BE());
  return Number(value);
}
