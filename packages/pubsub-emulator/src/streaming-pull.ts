import { randomUUID } from "node:crypto";
import { status, type ServerDuplexStream } from "@grpc/grpc-js";
import { ApiError } from "./api-error.js";
import { checkRange } from "./durations.js";
import type { EmulatorState } from "./emulator-state.js";
import { toStatus } from "./grpc-handlers.js";
import { receivedMessage, type ReceivedMessage } from "./received-message.js";
import type { Consumer, SubscriptionRuntime } from "./subscription-runtime.js";
import type { SubscriptionQueue } from "./subscription-queue.js";

interface StreamingPullRequest {
  subscription: string;
  ackIds: string[];
  modifyDeadlineSeconds: number[];
  modifyDeadlineAckIds: string[];
  streamAckDeadlineSeconds: number;
  maxOutstandingMessages: number;
  maxOutstandingBytes: number;
}

interface StreamingPullResponse {
  receivedMessages: ReceivedMessage[];
  subscriptionProperties: { exactlyOnceDeliveryEnabled: boolean; messageOrderingEnabled: boolean };
}

type Call = ServerDuplexStream<StreamingPullRequest, StreamingPullResponse>;

// One response carries at most this many messages when the stream sets no flow control.
const MAX_BATCH = 1000;

/**
 * StreamingPull, the client library's default path: the first request names the subscription, the stream's ack
 * deadline (10-600 s) and flow control; the server then sends messages while the stream has fewer than
 * `max_outstanding_messages` (and bytes) unacknowledged. Later requests may carry acks, deadline changes and a new
 * stream ack deadline. Leases of a stream that closes stay until their deadline passes, as in the service.
 */
export function streamingPull(state: EmulatorState): (call: Call) => void {
  return (call) => {
    let stream: StreamConsumer | undefined;
    const fail = (error: unknown): void => {
      stream?.runtime.detach(stream);
      stream = undefined;
      call.emit("error", toStatus(error));
    };
    call.on("data", (request: StreamingPullRequest) => {
      try {
        if (stream === undefined) {
          if (request.subscription === "") throw new ApiError(status.INVALID_ARGUMENT, "The first request must name a subscription.");
          const runtime = state.subscription(request.subscription);
          checkRange("stream_ack_deadline_seconds", request.streamAckDeadlineSeconds, 10, 600);
          stream = new StreamConsumer(call, runtime, request);
          runtime.attach(stream);
        } else if (request.subscription !== "" && request.subscription !== stream.runtime.resource.name) {
          throw new ApiError(status.INVALID_ARGUMENT, "Subsequent requests must not change the subscription.");
        }
        stream.apply(request);
      } catch (error) {
        fail(error);
      }
    });
    const close = (): void => {
      stream?.runtime.detach(stream);
      stream = undefined;
    };
    call.on("cancelled", close);
    call.on("end", () => {
      close();
      call.end();
    });
    call.on("error", close);
  };
}

class StreamConsumer implements Consumer {
  readonly id = `stream-${randomUUID()}`;
  private ackDeadlineSeconds: number;
  private readonly maxMessages: number;
  private readonly maxBytes: number;

  constructor(
    private readonly call: Call,
    readonly runtime: SubscriptionRuntime,
    first: StreamingPullRequest,
  ) {
    this.ackDeadlineSeconds = first.streamAckDeadlineSeconds;
    this.maxMessages = first.maxOutstandingMessages > 0 ? first.maxOutstandingMessages : Infinity;
    this.maxBytes = first.maxOutstandingBytes > 0 ? first.maxOutstandingBytes : Infinity;
  }

  apply(request: StreamingPullRequest): void {
    const { queue, secondMs } = this.runtime;
    if (request.ackIds.length > 0) queue.acknowledge(request.ackIds);
    if (request.modifyDeadlineAckIds.length !== request.modifyDeadlineSeconds.length) {
      throw new ApiError(status.INVALID_ARGUMENT, "modify_deadline_seconds and modify_deadline_ack_ids must have the same length.");
    }
    request.modifyDeadlineAckIds.forEach((ackId, i) => {
      const seconds = request.modifyDeadlineSeconds[i] ?? 0;
      checkRange("modify_deadline_seconds", seconds, 0, 600);
      queue.modifyAckDeadline([ackId], seconds * secondMs);
    });
    if (request.streamAckDeadlineSeconds > 0) {
      checkRange("stream_ack_deadline_seconds", request.streamAckDeadlineSeconds, 10, 600);
      this.ackDeadlineSeconds = request.streamAckDeadlineSeconds;
    }
  }

  offer(queue: SubscriptionQueue): void {
    if (this.call.cancelled || this.call.writableEnded) return;
    const outstanding = queue.outstanding(this);
    const room = Math.min(MAX_BATCH, this.maxMessages - outstanding.messages);
    if (room <= 0 || outstanding.bytes >= this.maxBytes) return;
    const deliveries = queue.take(this, room, this.maxBytes - outstanding.bytes, this.ackDeadlineSeconds * this.runtime.secondMs);
    if (deliveries.length === 0) return;
    this.call.write({
      receivedMessages: deliveries.map((d) => receivedMessage(d, this.runtime.deliveryAttempt(d))),
      subscriptionProperties: {
        exactlyOnceDeliveryEnabled: false,
        messageOrderingEnabled: this.runtime.resource.enableMessageOrdering,
      },
    });
  }
}
