import { type DeliveryVerdict, type PushIntake, type PushReceiver, PushRejectedError, type PushRequest } from "@tiffin/core";
import { unpackAttributes } from "../message-attributes.js";
import { type SnsHttpMessage, hasValidSignature, isAllowedSnsUrl, parseSnsMessage } from "./sns-signature.js";

/** What the SNS push receiver needs. */
export interface SnsPushConfig {
  /** The topic whose subscription confirmations and notifications are accepted; every other topic is refused. */
  readonly topicArn: string;
  /** Tests only: another prefix signing-certificate and subscribe URLs may start with. */
  readonly testCertUrlPrefix?: string;
  /** How URLs are fetched (default: global fetch with a 5 s timeout). */
  readonly fetch?: (url: string) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;
}

const FETCH_TIMEOUT_MS = 5_000;

/**
 * Receives SNS HTTPS deliveries (wrapped, the default; raw delivery carries neither a signature nor the message
 * attributes, so it is refused). Every message is checked before use: the topic must be the configured one, the
 * signing certificate must come from `sns.<region>.amazonaws.com`, and the signature must verify. A subscription
 * confirmation for the configured topic is confirmed by fetching its SubscribeURL; notifications become messages.
 * SNS gives no delivery count, so the attempt is unknown: SNS's own delivery policy bounds the retries and its
 * subscription dead-letter queue takes what it gives up on.
 */
export class SnsPushReceiver implements PushReceiver {
  private readonly certificates = new Map<string, Promise<string>>();
  private readonly fetchUrl: NonNullable<SnsPushConfig["fetch"]>;

  constructor(private readonly config: SnsPushConfig) {
    this.fetchUrl = config.fetch ?? ((url) => fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) }));
  }

  async receive(request: PushRequest): Promise<PushIntake> {
    if (request.headers["x-amz-sns-rawdelivery"] === "true") {
      throw new PushRejectedError(403, "raw SNS delivery is unsigned; subscribe without RawMessageDelivery");
    }
    const message = parseSnsMessage(request.body);
    if (message === undefined) throw new PushRejectedError(401, "not a signed SNS message");
    if (message.TopicArn !== this.config.topicArn) throw new PushRejectedError(403, `topic ${message.TopicArn} is not the configured one`);
    if (!isAllowedSnsUrl(message.SigningCertURL, "certificate", this.config.testCertUrlPrefix)) {
      throw new PushRejectedError(403, "the signing certificate is not served by SNS");
    }
    let valid: boolean;
    try {
      valid = hasValidSignature(message, await this.certificate(message.SigningCertURL));
    } catch {
      valid = false;
    }
    if (!valid) throw new PushRejectedError(403, "the SNS signature does not verify");
    switch (message.Type) {
      case "SubscriptionConfirmation":
        return this.confirm(message);
      case "UnsubscribeConfirmation":
        return { kind: "control", detail: "unsubscribe confirmation ignored" };
      case "Notification":
        return { kind: "message", message: { attributes: unpackAttributes(attributesOf(message)), body: message.Message }, attempt: null };
    }
  }

  /** 2xx acknowledges; a 5xx makes SNS retry under its delivery policy, then move the message to the subscription DLQ. */
  statusFor(verdict: DeliveryVerdict): number {
    // SNS documents retries for server errors only; a dead-letter verdict therefore also answers 5xx, so the message
    // reaches the subscription's dead-letter queue when the policy is exhausted instead of being dropped.
    return verdict.action === "ack" ? 200 : verdict.action === "retry" ? 503 : 500;
  }

  private async confirm(message: SnsHttpMessage): Promise<PushIntake> {
    const url = message.SubscribeURL;
    if (url === undefined || !isAllowedSnsUrl(url, "subscribe", this.config.testCertUrlPrefix)) {
      throw new PushRejectedError(403, "the SubscribeURL is not an SNS URL");
    }
    const answer = await this.fetchUrl(url);
    if (!answer.ok) throw new Error(`confirming the SNS subscription answered ${answer.status}`);
    return { kind: "control", detail: `subscription to ${message.TopicArn} confirmed` };
  }

  /** Certificates are cached per URL; a failed fetch is forgotten so the next message tries again. */
  private certificate(url: string): Promise<string> {
    let pending = this.certificates.get(url);
    if (pending === undefined) {
      pending = this.fetchUrl(url).then(async (answer) => {
        if (!answer.ok) throw new Error(`signing certificate answered ${answer.status}`);
        return answer.text();
      });
      pending.catch(() => this.certificates.delete(url));
      this.certificates.set(url, pending);
    }
    return pending;
  }
}

function attributesOf(message: SnsHttpMessage): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, attribute] of Object.entries(message.MessageAttributes ?? {})) {
    if (attribute.Type === "String") result[name] = attribute.Value;
  }
  return result;
}
