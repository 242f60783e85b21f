import { status } from "@grpc/grpc-js";
import { ApiError, invalidArgument } from "./api-error.js";
import { checkRange, durationSeconds, toDuration, type ProtoDuration } from "./durations.js";
import { parseResourceName } from "./resource-names.js";
import { compileFilter, type AttributeFilter } from "./subscription-filter.js";

/** The Subscription message fields the emulator reads (camelCase, as the proto loader gives them). */
export interface SubscriptionResource {
  name: string;
  topic: string;
  pushConfig: {
    pushEndpoint: string;
    attributes: Record<string, string>;
    oidcToken: { serviceAccountEmail: string; audience: string } | null;
    noWrapper?: unknown;
  } | null;
  ackDeadlineSeconds: number;
  retainAckedMessages: boolean;
  messageRetentionDuration: ProtoDuration | null;
  labels: Record<string, string>;
  enableMessageOrdering: boolean;
  expirationPolicy: unknown;
  filter: string;
  deadLetterPolicy: { deadLetterTopic: string; maxDeliveryAttempts: number } | null;
  retryPolicy: { minimumBackoff: ProtoDuration | null; maximumBackoff: ProtoDuration | null } | null;
  detached: boolean;
  enableExactlyOnceDelivery: boolean;
  state?: string;
}

const DEFAULT_ACK_DEADLINE_SECONDS = 10;
const DEFAULT_RETENTION_SECONDS = 7 * 24 * 3600;

/**
 * Validates a subscription as CreateSubscription and UpdateSubscription do, and fills in the service's defaults:
 * ack deadline 10 s (10-600), dead-letter max delivery attempts 5 (5-100), retry backoff 10 s / 600 s (0-600),
 * a filter of at most 256 bytes in the documented language.
 */
export function normalizeSubscription(input: SubscriptionResource): { resource: SubscriptionResource; filter: AttributeFilter } {
  parseResourceName(input.name, "subscriptions");
  parseResourceName(input.topic, "topics");
  const ackDeadlineSeconds = input.ackDeadlineSeconds || DEFAULT_ACK_DEADLINE_SECONDS;
  checkRange("ack_deadline_seconds", ackDeadlineSeconds, 10, 600);
  if (input.enableExactlyOnceDelivery) {
    throw new ApiError(status.UNIMPLEMENTED, "Exactly-once delivery is not supported by this emulator.");
  }
  if (input.pushConfig?.noWrapper) throw new ApiError(status.UNIMPLEMENTED, "Unwrapped push is not supported by this emulator.");
  let deadLetterPolicy = input.deadLetterPolicy;
  if (deadLetterPolicy !== null && deadLetterPolicy.deadLetterTopic !== "") {
    parseResourceName(deadLetterPolicy.deadLetterTopic, "topics");
    const maxDeliveryAttempts = deadLetterPolicy.maxDeliveryAttempts || 5;
    checkRange("max_delivery_attempts", maxDeliveryAttempts, 5, 100);
    deadLetterPolicy = { deadLetterTopic: deadLetterPolicy.deadLetterTopic, maxDeliveryAttempts };
  } else {
    deadLetterPolicy = null;
  }
  let retryPolicy = input.retryPolicy;
  if (retryPolicy !== null) {
    const min = durationSeconds(retryPolicy.minimumBackoff) ?? 10;
    const max = durationSeconds(retryPolicy.maximumBackoff) ?? 600;
    checkRange("minimum_backoff", min, 0, 600);
    checkRange("maximum_backoff", max, 0, 600);
    if (min > max) throw invalidArgument("Invalid retry policy: minimum_backoff must not exceed maximum_backoff.");
    retryPolicy = { minimumBackoff: toDuration(min), maximumBackoff: toDuration(max) };
  }
  const filter = compileFilter(input.filter);
  const resource: SubscriptionResource = {
    ...input,
    ackDeadlineSeconds,
    deadLetterPolicy,
    retryPolicy,
    messageRetentionDuration: input.messageRetentionDuration ?? toDuration(DEFAULT_RETENTION_SECONDS),
    state: "ACTIVE",
  };
  return { resource, filter };
}

/**
 * Redelivery backoff in seconds after the `attempt`-th delivery was nacked or expired: exponential from the
 * policy's minimum, capped at its maximum. Without a retry policy the service redelivers at once; a push
 * subscription without one backs off from 100 ms to 60 s, as push delivery does.
 */
export function backoffSeconds(resource: SubscriptionResource, attempt: number): number {
  const exponent = 2 ** Math.max(0, attempt - 1);
  if (resource.retryPolicy !== null) {
    const min = durationSeconds(resource.retryPolicy.minimumBackoff) ?? 10;
    const max = durationSeconds(resource.retryPolicy.maximumBackoff) ?? 600;
    return Math.min(max, min * exponent);
  }
  if (resource.pushConfig !== null && resource.pushConfig.pushEndpoint !== "") return Math.min(60, 0.1 * exponent);
  return 0;
}
