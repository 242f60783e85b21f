import { type KeyObject, randomUUID, sign } from "node:crypto";
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { type SnsHttpMessage, stringToSign } from "../sns-push/sns-signature.js";
import type { QueueRef } from "../topology.js";

/** A wrapped SNS HTTP notification before signing. */
export type UnsignedSnsMessage = Omit<SnsHttpMessage, "Signature" | "SignatureVersion" | "SigningCertURL">;

/** Signs an SNS HTTP message as SNS does (SignatureVersion 2: SHA256withRSA over the canonical string). */
export function signSnsMessage(message: UnsignedSnsMessage, key: KeyObject, certUrl: string): SnsHttpMessage {
  const unsigned = { ...message, SignatureVersion: "2" as const, SigningCertURL: certUrl, Signature: "" };
  return { ...unsigned, Signature: sign("RSA-SHA256", Buffer.from(stringToSign(unsigned), "utf8"), key).toString("base64") };
}

/**
 * Plays SNS's HTTPS delivery in tests: takes what the topic's filtered subscriptions hold (fauxqs queues), wraps
 * each message as a signed SNS notification and POSTs it to `POST /push/<subscription>`; a 2xx deletes it, anything
 * else leaves it to come back after its visibility timeout, as SNS retries a failed delivery.
 */
export class SnsHttpPusher {
  readonly answers: { subscription: string; status: number; type: string }[] = [];

  constructor(
    private readonly sqs: SQSClient,
    private readonly queues: Readonly<Record<string, QueueRef>>,
    private readonly options: { topicArn: string; key: KeyObject; certUrl: string; pushUrl: (subscription: string) => string },
  ) {}

  /** Pushes what is waiting in every subscription once; resolves to how many messages were acknowledged. */
  async pushOnce(): Promise<number> {
    let acked = 0;
    for (const [subscription, queue] of Object.entries(this.queues)) {
      const received = await this.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 2, MessageAttributeNames: ["All"] }),
      );
      for (const message of received.Messages ?? []) {
        const attributes = Object.fromEntries(
          Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, { Type: "String", Value: value.StringValue ?? "" }]),
        );
        const notification = this.notification({ Message: message.Body ?? "", MessageAttributes: attributes });
        const status = await this.post(subscription, notification);
        this.answers.push({ subscription, status, type: attributes.type?.Value ?? "?" });
        if (status >= 200 && status < 300) {
          acked += 1;
          await this.sqs.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: message.ReceiptHandle }));
        }
      }
    }
    return acked;
  }

  /** A signed notification of the configured topic; `overrides` change fields before signing. */
  notification(fields: Pick<UnsignedSnsMessage, "Message"> & Partial<UnsignedSnsMessage>): SnsHttpMessage {
    return signSnsMessage(
      { Type: "Notification", MessageId: randomUUID(), TopicArn: this.options.topicArn, Timestamp: new Date().toISOString(), ...fields },
      this.options.key,
      this.options.certUrl,
    );
  }

  async post(subscription: string, body: unknown, headers: Record<string, string> = {}): Promise<number> {
    const response = await fetch(this.options.pushUrl(subscription), {
      method: "POST",
      headers: { "content-type": "text/plain; charset=UTF-8", "x-amz-sns-message-type": "Notification", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    await response.arrayBuffer();
    return response.status;
  }
}
