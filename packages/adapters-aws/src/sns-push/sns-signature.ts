import { X509Certificate, verify } from "node:crypto";

/** An SNS HTTP(S) message as SNS posts it (wrapped delivery), with the fields signature checks need. */
export interface SnsHttpMessage {
  readonly Type: "Notification" | "SubscriptionConfirmation" | "UnsubscribeConfirmation";
  readonly MessageId: string;
  readonly TopicArn: string;
  readonly Message: string;
  readonly Timestamp: string;
  readonly SignatureVersion: "1" | "2";
  readonly Signature: string;
  readonly SigningCertURL: string;
  readonly Subject?: string;
  readonly Token?: string;
  readonly SubscribeURL?: string;
  readonly MessageAttributes?: Readonly<Record<string, { readonly Type: string; readonly Value: string }>>;
}

/** The only hosts real SNS serves signing certificates and subscription URLs from. */
const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

/**
 * Whether an SNS-supplied URL (signing certificate, SubscribeURL) may be fetched: https on `sns.<region>.amazonaws.com`
 * (with a `.pem` path for certificates), or, in tests only, under `testPrefix`. Anything else is refused unfetched,
 * so a forged message can neither point verification at its own key nor make the worker call an arbitrary URL.
 */
export function isAllowedSnsUrl(raw: string, kind: "certificate" | "subscribe", testPrefix?: string): boolean {
  if (testPrefix !== undefined && raw.startsWith(testPrefix)) return true;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== "https:" || url.port !== "" || url.username !== "" || !SNS_HOST.test(url.hostname)) return false;
  return kind === "subscribe" || url.pathname.endsWith(".pem");
}

/** The fields SNS signs, in its documented order, each as `name\nvalue\n`. */
export function stringToSign(message: SnsHttpMessage): string {
  const fields =
    message.Type === "Notification"
      ? ["Message", "MessageId", ...(message.Subject === undefined ? [] : ["Subject"]), "Timestamp", "TopicArn", "Type"]
      : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];
  return fields.map((name) => `${name}\n${String((message as unknown as Record<string, unknown>)[name] ?? "")}\n`).join("");
}

/** Verifies the message's signature with the signing certificate (SHA1withRSA for version 1, SHA256withRSA for 2). */
export function hasValidSignature(message: SnsHttpMessage, certificatePem: string): boolean {
  const certificate = new X509Certificate(certificatePem);
  const algorithm = message.SignatureVersion === "2" ? "RSA-SHA256" : "RSA-SHA1";
  return verify(algorithm, Buffer.from(stringToSign(message), "utf8"), certificate.publicKey, Buffer.from(message.Signature, "base64"));
}

/** Reads a body as an SNS HTTP message; undefined when it is not one (missing or mistyped fields). */
export function parseSnsMessage(body: string): SnsHttpMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const m = value as Record<string, unknown>;
  const strings = ["Type", "MessageId", "TopicArn", "Message", "Timestamp", "SignatureVersion", "Signature", "SigningCertURL"];
  if (!strings.every((name) => typeof m[name] === "string")) return undefined;
  if (!["Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"].includes(m.Type as string)) return undefined;
  if (m.SignatureVersion !== "1" && m.SignatureVersion !== "2") return undefined;
  return value as SnsHttpMessage;
}
