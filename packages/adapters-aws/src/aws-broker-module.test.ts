import { Container } from "inversify";
import { describe, expect, it } from "vitest";
import { TOKENS } from "@tiffin/core";
import { AWS_BROKER, awsBrokerModule, brokerModule, pushReceiver } from "./aws-broker-module.js";
import type { AwsBroker } from "./aws-broker.js";
import { SnsPublisher } from "./sns-publisher.js";
import { SnsPushReceiver } from "./sns-push/sns-push-receiver.js";
import { SqsDeadLetters } from "./sqs-dead-letters.js";
import { SqsSubscriber } from "./sqs-subscriber.js";

describe("awsBrokerModule", () => {
  it("binds the messaging ports to one broker, built without touching the network", async () => {
    const container = new Container();
    container.load(awsBrokerModule({ region: "eu-west-1", endpoint: "http://127.0.0.1:9", createTopology: true }));
    const broker = container.get<AwsBroker>(AWS_BROKER);
    expect(container.get(TOKENS.MessagePublisher)).toBeInstanceOf(SnsPublisher);
    expect(container.get(TOKENS.MessageSubscriber)).toBe(broker.subscriber);
    expect(container.get(TOKENS.DeadLetters)).toBeInstanceOf(SqsDeadLetters);
    expect(broker.subscriber).toBeInstanceOf(SqsSubscriber);
    await container.unbindAllAsync();
  });

  it("fails on first use when the region is missing, naming AWS_REGION", async () => {
    const container = new Container();
    container.load(awsBrokerModule({ region: "" }));
    expect(() => container.get(TOKENS.MessagePublisher)).toThrow(/AWS_REGION/);
  });
});

describe("the AWS adapter factories", () => {
  const ARN = "arn:aws:sns:eu-west-1:123456789012:tiffin-order-events";
  const failure = (run: () => unknown): { code?: string; message: string } => {
    try {
      run();
    } catch (error) {
      return error as { code?: string; message: string };
    }
    throw new Error("expected a configuration error");
  };

  it("brokerModule binds the broker and its topology from the environment", async () => {
    const container = new Container();
    container.load(brokerModule({ AWS_REGION: "eu-west-1", TIFFIN_SNS_TOPIC_ARN: ARN }, { development: false }));
    const broker = container.get<AwsBroker>(AWS_BROKER);
    expect(container.get(TOKENS.BrokerTopology)).toBe(broker);
    expect(broker.config).toMatchObject({ createTopology: false, topicArns: { "tiffin.order-events": ARN } });
    await container.unbindAllAsync();
  });

  it("brokerModule refuses a production environment without a topic, naming TIFFIN_SNS_TOPIC_ARN", () => {
    const error = failure(() => brokerModule({ AWS_REGION: "eu-west-1" }, { development: false }));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toMatch(/^TIFFIN_SNS_TOPIC_ARN is required/);
  });

  it("pushReceiver accepts the configured topic and refuses what a deployment must not set", () => {
    expect(pushReceiver({ TIFFIN_SNS_TOPIC_ARN: ARN })).toBeInstanceOf(SnsPushReceiver);
    expect(failure(() => pushReceiver({})).message).toMatch(/^TIFFIN_SNS_TOPIC_ARN is required when TIFFIN_DELIVERY=push/);
    expect(failure(() => pushReceiver({ TIFFIN_SNS_TOPIC_ARN: "orders" })).message).toMatch(/^TIFFIN_SNS_TOPIC_ARN must be an SNS topic ARN/);
    const production = { TIFFIN_SNS_TOPIC_ARN: ARN, TIFFIN_SNS_TEST_CERT_URL_PREFIX: "http://127.0.0.1:9/", NODE_ENV: "production" };
    expect(failure(() => pushReceiver(production)).message).toMatch(/tests only/);
  });
});
