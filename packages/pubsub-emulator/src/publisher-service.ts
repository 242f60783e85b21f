import { Buffer } from "node:buffer";
import type { UntypedServiceImplementation } from "@grpc/grpc-js";
import type { EmulatorState, TopicResource } from "./emulator-state.js";
import { page, unary } from "./grpc-handlers.js";
import { parseResourceName } from "./resource-names.js";

interface PublishRequest {
  topic: string;
  messages: { data: Buffer; attributes: Record<string, string>; orderingKey: string }[];
}

interface ListRequest {
  project: string;
  topic: string;
  pageSize: number;
  pageToken: string;
}

/** google.pubsub.v1.Publisher: topics and Publish. */
export function publisherService(state: EmulatorState): UntypedServiceImplementation {
  return {
    CreateTopic: unary((topic: TopicResource) => state.createTopic(topic)),
    GetTopic: unary((request: { topic: string }) => state.topic(request.topic)),
    DeleteTopic: unary((request: { topic: string }) => {
      state.deleteTopic(request.topic);
      return {};
    }),
    ListTopics: unary((request: ListRequest) => {
      const topics = [...state.topics.values()].filter((t) => parseResourceName(t.name, "topics").project === projectOf(request.project));
      const { items, nextPageToken } = page(topics, request.pageSize, request.pageToken);
      return { topics: items, nextPageToken };
    }),
    ListTopicSubscriptions: unary((request: ListRequest) => {
      state.topic(request.topic);
      const names = [...state.subscriptions.values()].filter((s) => s.resource.topic === request.topic).map((s) => s.resource.name);
      const { items, nextPageToken } = page(names, request.pageSize, request.pageToken);
      return { subscriptions: items, nextPageToken };
    }),
    Publish: unary((request: PublishRequest) => {
      const messages = request.messages.map((m) => ({
        data: Buffer.from(m.data ?? []),
        attributes: m.attributes ?? {},
        orderingKey: m.orderingKey ?? "",
      }));
      return { messageIds: state.publish(request.topic, messages) };
    }),
  };
}

/** `projects/p` -> `p`. */
export const projectOf = (project: string): string => project.replace(/^projects\//, "");
