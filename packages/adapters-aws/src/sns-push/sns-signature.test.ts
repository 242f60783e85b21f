import { describe, expect, it } from "vitest";
import { type SnsHttpMessage, isAllowedSnsUrl, parseSnsMessage, stringToSign } from "./sns-signature.js";

const NOTIFICATION: SnsHttpMessage = {
  Type: "Notification",
  MessageId: "m-1",
  TopicArn: "arn:aws:sns:eu-west-1:123456789012:tiffin-order-events",
  Message: '{"a":1}',
  Timestamp: "2026-12-01T00:00:00.000Z",
  SignatureVersion: "2",
  Signature: "c2ln",
  SigningCertURL: "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem",
};

describe("SNS message authentication", () => {
  it("fetches certificates and subscribe URLs only from SNS hosts over https", () => {
    expect(isAllowedSnsUrl("https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem", "certificate")).toBe(true);
    expect(isAllowedSnsUrl("https://sns.cn-north-1.amazonaws.com.cn/x.pem", "certificate")).toBe(true);
    expect(isAllowedSnsUrl("https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=t", "subscribe")).toBe(true);
    for (const url of [
      "http://sns.eu-west-1.amazonaws.com/x.pem",
      "https://sns.eu-west-1.amazonaws.com.evil.example/x.pem",
      "https://evil.example/sns.eu-west-1.amazonaws.com/x.pem",
      "https://sns.eu-west-1.amazonaws.com:8443/x.pem",
      "https://user@sns.eu-west-1.amazonaws.com/x.pem",
      "https://sns.eu-west-1.amazonaws.com/x.txt",
      "not a url",
    ]) {
      expect(isAllowedSnsUrl(url, "certificate"), url).toBe(false);
    }
    expect(isAllowedSnsUrl("http://127.0.0.1:9/cert.pem", "certificate", "http://127.0.0.1:9/")).toBe(true);
  });

  it("signs the documented fields in the documented order", () => {
    expect(stringToSign(NOTIFICATION)).toBe(
      'Message\n{"a":1}\nMessageId\nm-1\nTimestamp\n2026-12-01T00:00:00.000Z\nTopicArn\narn:aws:sns:eu-west-1:123456789012:tiffin-order-events\nType\nNotification\n',
    );
    expect(stringToSign({ ...NOTIFICATION, Subject: "s" })).toContain("MessageId\nm-1\nSubject\ns\nTimestamp\n");
    const confirmation = stringToSign({ ...NOTIFICATION, Type: "SubscriptionConfirmation", Token: "t", SubscribeURL: "https://sns.eu-west-1.amazonaws.com/?x" });
    expect(confirmation).toBe(
      'Message\n{"a":1}\nMessageId\nm-1\nSubscribeURL\nhttps://sns.eu-west-1.amazonaws.com/?x\nTimestamp\n2026-12-01T00:00:00.000Z\nToken\nt\nTopicArn\narn:aws:sns:eu-west-1:123456789012:tiffin-order-events\nType\nSubscriptionConfirmation\n',
    );
  });

  it("reads only complete SNS messages", () => {
    expect(parseSnsMessage(JSON.stringify(NOTIFICATION))).toEqual(NOTIFICATION);
    expect(parseSnsMessage("not json")).toBeUndefined();
    expect(parseSnsMessage(JSON.stringify({ ...NOTIFICATION, Signature: undefined }))).toBeUndefined();
    expect(parseSnsMessage(JSON.stringify({ ...NOTIFICATION, SignatureVersion: "3" }))).toBeUndefined();
    expect(parseSnsMessage(JSON.stringify({ ...NOTIFICATION, Type: "Other" }))).toBeUndefined();
  });
});
