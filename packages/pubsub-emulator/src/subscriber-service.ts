import { randomUUID } from "node:crypto";
import type { UntypedServiceImplementation } from "@grpc/grpc-js";
import { invalidArgument } from "./api-error.js";
import { checkRange } from "./durations.js";
import type { EmulatorState } from "./emulator-state.js";
import { page, unary } from "./grpc-handlers.js";
import { projectOf } from "./publisher-service.js";
import { receivedMessage } from "./received-message.js";
import { parseResourceName } from "./resource-names.js";
import { normalizeSubscription, type SubscriptionResource } from "./subscription-config.js";
import type { Consumer } from "./subscription-runtime.js";
import { streamingPull } from "./streaming-pull.js";

interface UpdateSubscriptionRequest {
  subscription: SubscriptionResource;
  updateMask: { paths: string[] } | null;
}

// Fields UpdateSubscription may change, by update_mask path; the others are immutable in the service.
const UPDATABLE: Record<string, keyof SubscriptionResource> = {
  ack_deadline_seconds: "ackDeadlineSeconds",
  push_config: "pushConfig",
  retry_policy: "retryPolicy",
  dead_letter_policy: "deadLetterPolicy",
  labels: "labels",
  message_retention_duration: "messageRetentionDuration",
  retain_acked_messages: "retainAckedMessages",
  expiration_policy: "expirationPolicy",
};

/** google.pubsub.v1.Subscriber: subscriptions, Pull, StreamingPull, Acknowledge, ModifyAckDeadline. */
export function subscriberService(state: EmulatorState, options: { pullWaitMs: number }): UntypedServiceImplementation {
  return {
    CreateSubscription: unary((resource: SubscriptionResource) => state.createSubscription(resource)),
    GetSubscription: unary((request: { subscription: string }) => state.subscription(request.subscription).resource),
    UpdateSubscription: unary((request: UpdateSubscriptionRequest) => {
      const runtime = state.subscription(request.subscription.name);
      const paths = request.updateMask?.paths ?? [];
      if (paths.length === 0) throw invalidArgument("The update_mask must name at least one field.");
      const next = { ...runtime.resource };
      for (const path of paths) {
        const field = UPDATABLE[path];
        if (field === undefined) throw invalidArgument(`Invalid update_mask provided in the UpdateSubscriptionRequest: the field ${path} cannot be updated.`);
        Object.assign(next, { [field]: request.subscription[field] });
      }
      const { resource, filter } = normalizeSubscription(next);
      runtime.resource = resource;
      runtime.filter = filter;
      runtime.pump();
      return resource;
    }),
    ListSubscriptions: unary((request: { project: string; pageSize: number; pageToken: string }) => {
      const all = [...state.subscriptions.values()]
        .map((s) => s.resource)
        .filter((s) => parseResourceName(s.name, "subscriptions").project === projectOf(request.project));
      const { items, nextPageToken } = page(all, request.pageSize, request.pageToken);
      return { subscriptions: items, nextPageToken };
    }),
    DeleteSubscription: unary((request: { subscription: string }) => {
      state.deleteSubscription(request.subscription);
      return {};
    }),
    ModifyPushConfig: unary((request: { subscription: string; pushConfig: SubscriptionResource["pushConfig"] }) => {
      const runtime = state.subscription(request.subscription);
      const { resource, filter } = normalizeSubscription({ ...runtime.resource, pushConfig: request.pushConfig });
      runtime.resource = resource;
      runtime.filter = filter;
      runtime.pump();
      return {};
    }),
    Acknowledge: unary((request: { subscription: string; ackIds: string[] }) => {
      const runtime = state.subscription(request.subscription);
      if (request.ackIds.length === 0) throw invalidArgument("No ack ids specified.");
      runtime.queue.acknowledge(request.ackIds);
      return {};
    }),
    ModifyAckDeadline: unary((request: { subscription: string; ackIds: string[]; ackDeadlineSeconds: number }) => {
      const runtime = state.subscription(request.subscription);
      if (request.ackIds.length === 0) throw invalidArgument("No ack ids specified.");
      checkRange("ack_deadline_seconds", request.ackDeadlineSeconds, 0, 600);
      runtime.queue.modifyAckDeadline(request.ackIds, request.ackDeadlineSeconds * runtime.secondMs);
      return {};
    }),
    Pull: unary((request: { subscription: string; maxMessages: number; returnImmediately: boolean }) => {
      const runtime = state.subscription(request.subscription);
      if (request.maxMessages <= 0) throw invalidArgument("max_messages must be greater than 0.");
      return new Promise((resolve) => {
        let settled = false;
        const waiter: Consumer = {
          id: `pull-${randomUUID()}`,
          offer(queue) {
            if (settled) return;
            const deliveries = queue.take(waiter, request.maxMessages, Infinity, runtime.ackDeadlineMs);
            if (deliveries.length === 0) return;
            done(deliveries.map((d) => receivedMessage(d, runtime.deliveryAttempt(d))));
          },
        };
        const done = (receivedMessages: ReturnType<typeof receivedMessage>[]): void => {
          settled = true;
          clearTimeout(timer);
          runtime.detach(waiter);
          resolve({ receivedMessages });
        };
        // Without return_immediately the service holds the request a while for messages to arrive.
        const timer = setTimeout(() => done([]), request.returnImmediately ? 0 : options.pullWaitMs);
        runtime.attach(waiter);
      });
    }),
    StreamingPull: streamingPull(state),
  };
}
