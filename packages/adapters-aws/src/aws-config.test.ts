import { describe, expect, it } from "vitest";
import { awsBrokerConfigFromEnv, resolveAwsBrokerConfig } from "./aws-config.js";

const TOPIC = "tiffin.order-events";
const ARN = "arn:aws:sns:eu-west-1:123456789012:tiffin-order-events";
const PRODUCTION = { development: false };

function failure(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error("expected a configuration error");
}

describe("AWS broker config", () => {
  it("reads a production deployment: region and topic ARN, credentials left to the SDK", () => {
    const config = awsBrokerConfigFromEnv({ AWS_REGION: "eu-west-1", TIFFIN_SNS_TOPIC_ARN: ARN }, PRODUCTION, TOPIC);
    expect(config).toMatchObject({ region: "eu-west-1", topicArns: { [TOPIC]: ARN }, fifo: false, createTopology: false });
    expect(config.endpoint).toBeUndefined();
  });

  it("creates the topology against an emulator unless told otherwise", () => {
    const config = awsBrokerConfigFromEnv({ AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: "http://127.0.0.1:4566" }, PRODUCTION, TOPIC);
    expect(config).toMatchObject({ endpoint: "http://127.0.0.1:4566", createTopology: true, topicArns: {} });
  });

  it("takes FIFO from the topic ARN", () => {
    const config = awsBrokerConfigFromEnv({ AWS_REGION: "eu-west-1", TIFFIN_SNS_TOPIC_ARN: `${ARN}.fifo` }, PRODUCTION, TOPIC);
    expect(config.fifo).toBe(true);
  });

  it.each([
    [{}, "AWS_REGION"],
    [{ AWS_REGION: "eu-west-1" }, "TIFFIN_SNS_TOPIC_ARN is required"],
    [{ AWS_REGION: "eu-west-1", TIFFIN_SNS_TOPIC_ARN: "orders" }, "TIFFIN_SNS_TOPIC_ARN must be an SNS topic ARN"],
    [{ AWS_REGION: "eu-west-1", AWS_ENDPOINT_URL: "localhost 4566" }, "AWS_ENDPOINT_URL must be a URL"],
    [{ AWS_REGION: "eu-west-1", TIFFIN_SNS_TOPIC_ARN: ARN, TIFFIN_AWS_FIFO: "true" }, "must be a FIFO topic"],
    [{ AWS_REGION: "eu-west-1", TIFFIN_CREATE_TOPOLOGY: "yes" }, "TIFFIN_CREATE_TOPOLOGY must be"],
    [{ AWS_REGION: "eu-west-1", TIFFIN_SNS_TOPIC_ARN: ARN, TIFFIN_SQS_QUEUE_PREFIX: "tiffin." }, "TIFFIN_SQS_QUEUE_PREFIX"],
  ])("stops at startup on %o with one line naming the variable", (env, problem) => {
    const error = failure(() => awsBrokerConfigFromEnv(env, PRODUCTION, TOPIC));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain(problem);
    expect(error.message).not.toContain("\n");
  });

  it("creates the topology by default in embedded development, and never in production unless told", () => {
    expect(awsBrokerConfigFromEnv({ AWS_REGION: "eu-west-1" }, { development: true }, TOPIC).createTopology).toBe(true);
    expect(awsBrokerConfigFromEnv({ AWS_REGION: "eu-west-1", TIFFIN_SNS_TOPIC_ARN: ARN }, PRODUCTION, TOPIC).createTopology).toBe(false);
    const told = awsBrokerConfigFromEnv({ AWS_REGION: "eu-west-1", TIFFIN_CREATE_TOPOLOGY: "true" }, PRODUCTION, TOPIC);
    expect(told.createTopology).toBe(true);
    const emulator = { AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: "http://127.0.0.1:4566", TIFFIN_SNS_TOPIC_ARN: ARN };
    expect(awsBrokerConfigFromEnv({ ...emulator, TIFFIN_CREATE_TOPOLOGY: "false" }, PRODUCTION, TOPIC).createTopology).toBe(false);
  });

  it("validates timings given in code", () => {
    expect(failure(() => resolveAwsBrokerConfig({ region: "eu-west-1", waitTimeSeconds: 30 })).message).toContain("waitTimeSeconds");
    expect(failure(() => resolveAwsBrokerConfig({ region: "eu-west-1", visibilityTimeoutSeconds: 1 })).message).toContain(
      "visibilityTimeoutSeconds",
    );
  });
});
