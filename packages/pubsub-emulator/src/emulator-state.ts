import { Buffer } from "node:buffer";
import { alreadyExists, notFound } from "./api-error.js";
import { checkPublishRequest, type IncomingMessage } from "./message-limits.js";
import { DELETED_TOPIC, parseResourceName } from "./resource-names.js";
import { normalizeSubscription, type SubscriptionResource } from "./subscription-config.js";
import type { StoredMessage } from "./subscription-queue.js";
import { SubscriptionRuntime } from "./subscription-runtime.js";

export interface TopicResource {
  name: string;
  labels: Record<string, string>;
}

/** Topics and subscriptions of every project the emulator serves, and the publish fan-out between them. */
export class EmulatorState {
  readonly topics = new Map<string, TopicResource>();
  readonly subscriptions = new Map<string, SubscriptionRuntime>();
  private nextMessageId = 1;

  constructor(
    /** Milliseconds per second of ack deadlines and backoffs (1000 in real time; tests shrink it). */
    readonly secondMs: number,
    private readonly onSubscriptionCreated: (runtime: SubscriptionRuntime) => void = () => undefined,
  ) {}

  createTopic(topic: TopicResource): TopicResource {
    parseResourceName(topic.name, "topics");
    if (this.topics.has(topic.name)) throw alreadyExists(topic.name);
    const stored = { name: topic.name, labels: topic.labels ?? {} };
    this.topics.set(topic.name, stored);
    return stored;
  }

  topic(name: string): TopicResource {
    parseResourceName(name, "topics");
    const topic = this.topics.get(name);
    if (topic === undefined) throw notFound(name);
    return topic;
  }

  deleteTopic(name: string): void {
    this.topic(name);
    this.topics.delete(name);
    // Subscriptions outlive their topic and report it as deleted.
    for (const runtime of this.subscriptions.values()) {
      if (runtime.resource.topic === name) runtime.resource = { ...runtime.resource, topic: DELETED_TOPIC };
    }
  }

  createSubscription(input: SubscriptionResource): SubscriptionResource {
    const { resource, filter } = normalizeSubscription(input);
    if (this.subscriptions.has(resource.name)) throw alreadyExists(resource.name);
    this.topic(resource.topic);
    const runtime = new SubscriptionRuntime(resource, filter, this.secondMs, (topic, message, attributes) =>
      this.forward(topic, message, attributes),
    );
    this.subscriptions.set(resource.name, runtime);
    this.onSubscriptionCreated(runtime);
    return resource;
  }

  subscription(name: string): SubscriptionRuntime {
    parseResourceName(name, "subscriptions");
    const runtime = this.subscriptions.get(name);
    if (runtime === undefined) throw notFound(name);
    return runtime;
  }

  deleteSubscription(name: string): SubscriptionRuntime {
    const runtime = this.subscription(name);
    this.subscriptions.delete(name);
    runtime.close();
    return runtime;
  }

  /** Stores the messages and hands each to every subscription of the topic that exists now. */
  publish(topicName: string, messages: readonly IncomingMessage[]): string[] {
    this.topic(topicName);
    checkPublishRequest(messages);
    return messages.map((message) => this.fanOut(topicName, message).messageId);
  }

  private fanOut(topicName: string, message: IncomingMessage): StoredMessage {
    const stored: StoredMessage = {
      messageId: String(this.nextMessageId++),
      data: Buffer.from(message.data),
      attributes: { ...message.attributes },
      publishTime: new Date(),
      orderingKey: message.orderingKey,
    };
    for (const runtime of this.subscriptions.values()) {
      if (runtime.resource.topic === topicName) runtime.accept(stored);
    }
    return stored;
  }

  private forward(topicName: string, message: StoredMessage, attributes: Record<string, string>): boolean {
    if (!this.topics.has(topicName)) return false;
    this.fanOut(topicName, { data: message.data, attributes, orderingKey: message.orderingKey });
    return true;
  }

  close(): void {
    for (const runtime of this.subscriptions.values()) runtime.close();
  }
}
