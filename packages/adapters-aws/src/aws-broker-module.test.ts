import { Container } from "inversify";
import { describe, expect, it } from "vitest";
import { TOKENS } from "@tiffin/core";
import { AWS_BROKER, awsBrokerModule } from "./aws-broker-module.js";
import type { AwsBroker } from "./aws-broker.js";
import { SnsPublisher } from "./sns-publisher.js";
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
