import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
  paginateListSubscriptionsByTopic,
} from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, SetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { InfrastructureError, InfrastructureErrorCode } from "@tiffin/core";
import type { SubscriptionSpec } from "@tiffin/core";
import { resolveSubscriptionSpec } from "@tiffin/core";
import type { AwsClients } from "./aws-clients.js";
import type { ResolvedAwsBrokerConfig } from "./aws-config.js";
import { aws, awsFault, isMissingResource } from "./aws-errors.js";
import { queueNames, topicName, type QueueNames } from "./names.js";

/** A subscription's queue and dead-letter queue. */
export interface QueueRef extends QueueNames {
  readonly url: string;
  readonly arn: string;
  readonly dlqUrl: string;
  /** Deliveries before SQS's redrive moves a message to the dead-letter queue. */
  readonly maxReceiveCount: number;
}

const misconfigured = (message: string): InfrastructureError =>
  new InfrastructureError(InfrastructureErrorCode.Misconfigured, message, { transient: false });

/**
 * Finds (and, with `createTopology`, creates) the SNS topics, SQS queues, dead-letter queues and subscriptions
 * behind logical topics and subscriptions. Every step is idempotent; results are cached per process.
 */
export class AwsTopology {
  private readonly topics = new Map<string, Promise<string>>();
  private readonly queues = new Map<string, Promise<QueueRef>>();
  /** Subscriptions this process has ensured; a plain lookup must not stand in for creating or updating. */
  private readonly ensured = new Map<string, Promise<QueueRef>>();

  constructor(
    private readonly clients: AwsClients,
    private readonly config: ResolvedAwsBrokerConfig,
  ) {}

  /** The SNS topic ARN of a logical topic: configured, or created when allowed. */
  topicArn(topic: string): Promise<string> {
    return cached(this.topics, topic, async () => {
      const configured = this.config.topicArns[topic];
      if (configured !== undefined) return configured;
      if (!this.config.createTopology) {
        throw misconfigured(`no SNS topic ARN for topic "${topic}": set TIFFIN_SNS_TOPIC_ARN, or run "tiffin topology"`);
      }
      const fifo = this.config.fifo ? { FifoTopic: "true" } : undefined;
      const name = topicName(topic, this.config.fifo);
      const created = await aws(`CreateTopic ${name}`, () =>
        this.clients.sns.send(new CreateTopicCommand({ Name: name, ...(fifo ? { Attributes: fifo } : {}) })),
      );
      if (created.TopicArn === undefined) throw misconfigured(`CreateTopic ${name} returned no ARN`);
      return created.TopicArn;
    });
  }

  /** An existing subscription's queues (for dead letters and depth); never creates anything. */
  queue(subscription: string): Promise<QueueRef> {
    return cached(this.queues, subscription, () => this.lookUpQueues(subscription));
  }

  /** Makes sure the subscription's queues exist and receive the topic's messages, then returns them. */
  ensureSubscription(spec: SubscriptionSpec): Promise<QueueRef> {
    const { maxDeliveries } = resolveSubscriptionSpec(spec);
    const ensured = cached(this.ensured, spec.subscription, async () => {
      const topicArn = await this.topicArn(spec.topic);
      if (!this.config.createTopology) {
        const ref = await this.lookUpQueues(spec.subscription);
        if ((await this.findSubscription(topicArn, ref.arn)) === undefined) {
          throw misconfigured(`queue ${ref.queue} is not subscribed to ${topicArn}; run "tiffin topology" (or apply the Terraform) first`);
        }
        return ref;
      }
      const names = queueNames(this.config.queuePrefix, spec.subscription, this.config.fifo);
      const fifo: Record<string, string> = this.config.fifo ? { FifoQueue: "true" } : {};
      const dlq = await this.ensureQueue(names.dlq, { ...fifo, MessageRetentionPeriod: "1209600" });
      const queue = await this.ensureQueue(names.queue, {
        ...fifo,
        VisibilityTimeout: String(this.config.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: maxDeliveries }),
      });
      await this.setAttributes(queue.url, { Policy: snsDeliveryPolicy(queue.arn, topicArn) });
      await this.ensureSnsSubscription(topicArn, queue.arn, spec.eventTypes);
      return { ...names, url: queue.url, arn: queue.arn, dlqUrl: dlq.url, maxReceiveCount: maxDeliveries };
    });
    this.queues.set(spec.subscription, ensured);
    ensured.catch(() => this.queues.delete(spec.subscription));
    return ensured;
  }

  private async lookUpQueues(subscription: string): Promise<QueueRef> {
    const names = queueNames(this.config.queuePrefix, subscription, this.config.fifo);
    const [queue, dlq] = await Promise.all([this.existingQueue(names.queue), this.existingQueue(names.dlq)]);
    if (queue === undefined || dlq === undefined) {
      throw misconfigured(`SQS queues ${names.queue} and ${names.dlq} must exist for subscription "${subscription}": run "tiffin topology" (or apply the Terraform) first`);
    }
    const attributes = await this.attributes(queue.url, ["RedrivePolicy"]);
    const redrive = JSON.parse(attributes.RedrivePolicy ?? "{}") as { maxReceiveCount?: number | string };
    return { ...names, url: queue.url, arn: queue.arn, dlqUrl: dlq.url, maxReceiveCount: Number(redrive.maxReceiveCount ?? 0) };
  }

  private async existingQueue(name: string): Promise<{ url: string; arn: string } | undefined> {
    try {
      const { QueueUrl } = await this.clients.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
      if (QueueUrl === undefined) return undefined;
      return { url: QueueUrl, arn: (await this.attributes(QueueUrl, ["QueueArn"])).QueueArn ?? "" };
    } catch (error) {
      if (isMissingResource(error)) return undefined;
      throw awsFault(`GetQueueUrl ${name}`, error);
    }
  }

  private async ensureQueue(name: string, attributes: Record<string, string>): Promise<{ url: string; arn: string }> {
    const existing = await this.existingQueue(name);
    if (existing !== undefined) {
      const { FifoQueue: _fixedAtCreation, ...settable } = attributes;
      await this.setAttributes(existing.url, settable);
      return existing;
    }
    const { QueueUrl } = await aws(`CreateQueue ${name}`, () =>
      this.clients.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes })),
    );
    if (QueueUrl === undefined) throw misconfigured(`CreateQueue ${name} returned no URL`);
    return { url: QueueUrl, arn: (await this.attributes(QueueUrl, ["QueueArn"])).QueueArn ?? "" };
  }

  private async attributes(url: string, names: ("QueueArn" | "RedrivePolicy")[]): Promise<Record<string, string>> {
    const result = await aws(`GetQueueAttributes ${url}`, () =>
      this.clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: names })),
    );
    return result.Attributes ?? {};
  }

  private async setAttributes(url: string, attributes: Record<string, string>): Promise<void> {
    await aws(`SetQueueAttributes ${url}`, () =>
      this.clients.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes })),
    );
  }

  private async findSubscription(topicArn: string, queueArn: string): Promise<string | undefined> {
    const pages = paginateListSubscriptionsByTopic({ client: this.clients.sns }, { TopicArn: topicArn });
    try {
      for await (const page of pages) {
        const found = page.Subscriptions?.find((s) => s.Protocol === "sqs" && s.Endpoint === queueArn);
        if (found?.SubscriptionArn !== undefined) return found.SubscriptionArn;
      }
    } catch (error) {
      throw awsFault(`ListSubscriptionsByTopic ${topicArn}`, error);
    }
    return undefined;
  }

  /** Raw delivery (the CloudEvent arrives as sent) and a filter policy on `type` when the subscription has one. */
  private async ensureSnsSubscription(topicArn: string, queueArn: string, eventTypes?: readonly string[]): Promise<void> {
    const filterPolicy = eventTypes === undefined ? "{}" : JSON.stringify({ type: [...eventTypes] });
    const existing = await this.findSubscription(topicArn, queueArn);
    if (existing === undefined) {
      await aws(`Subscribe ${queueArn} to ${topicArn}`, () =>
        this.clients.sns.send(
          new SubscribeCommand({
            TopicArn: topicArn,
            Protocol: "sqs",
            Endpoint: queueArn,
            ReturnSubscriptionArn: true,
            Attributes: { RawMessageDelivery: "true", ...(eventTypes === undefined ? {} : { FilterPolicy: filterPolicy }) },
          }),
        ),
      );
      return;
    }
    const current = await aws(`GetSubscriptionAttributes ${existing}`, () =>
      this.clients.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: existing })),
    );
    const wanted = { RawMessageDelivery: "true", FilterPolicy: filterPolicy };
    for (const [name, value] of Object.entries(wanted)) {
      if ((current.Attributes?.[name] ?? (name === "FilterPolicy" ? "{}" : "")) === value) continue;
      await aws(`SetSubscriptionAttributes ${existing}`, () =>
        this.clients.sns.send(
          new SetSubscriptionAttributesCommand({ SubscriptionArn: existing, AttributeName: name, AttributeValue: value }),
        ),
      );
    }
  }
}

/** Lets the topic (and only it) deliver into the queue. */
function snsDeliveryPolicy(queueArn: string, topicArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "tiffin-sns-delivery",
        Effect: "Allow",
        Principal: { Service: "sns.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: queueArn,
        Condition: { ArnEquals: { "aws:SourceArn": topicArn } },
      },
    ],
  });
}

function cached<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const promise = load();
  cache.set(key, promise);
  promise.catch(() => cache.delete(key));
  return promise;
}
