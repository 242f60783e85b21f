import { describe, expect, it } from "vitest";
import { awsBrokerConfigFromEnv, resolveAwsBrokerConfig } from "./aws-config.js";

const TOPIC = "tiffin.order-events";
const ARN = "arn:aws:sns:eu-west-1:123456789012:tiffin-order-events";

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
    const config = awsBrokerConfigFromEnv({ AWS_REGION: "eu-west-1", TIFFIN_SNS_TOPIC_ARN: ARN }, TOPIC);
    expect(config).toMatchObject({ region: "eu-west-1", topicArns: { [TOPIC]: ARN }, fifo: false, createTopology: false });
    expect(config.endpoint).toBeUndefined();
  });

  it("creates the topology against an emulator unless told otherwise", () => {
    const config = awsBrokerConfigFromEnv({ AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: "http://127.0.0.1:4566" }, TOPIC);
    expect(config).toMatchObject({ endpoint: "http://127.0.0.1:4566", createTopology: true, topicArns: {} });
  });

  it("takes FIFO from the topic ARN", () => {
    const config = awsBrokerConfigFromEnv({ AWS_REGION: "eu-west-1", TIFFIN_SNS_TOPIC_ARN: `${ARN}.fifo` }, TOPIC);
    expect(config.fifo).toBe(true);
  });

  it.each([
    [{}, "AWS_REGION"],
    [{ AWS_REGION: "eu-west-1" }, "TIFFIN_SNS_TOPIC_ARN is required"],
    [{ AWS_REGION: "eu-west-1", TIFFIN_SNS_TOPIC_ARN: "orders" }, "not an SNS topic ARN"],
    [{ AWS_REGION: "eu-west-1", AWS_ENDPOINT_URL: "localhost 4566" }, "AWS_ENDPOINT_URL must be a URL"],
    [{ AWS_REGION: "eu-west-1", TIFFIN_SNS_TOPIC_ARN: ARN, TIFFIN_AWS_FIFO: "true" }, "must be a FIFO topic"],
    [{ AWS_REGION: "eu-west-1", TIFFIN_AWS_CREATE_TOPOLOGY: "yes" }, "TIFFIN_AWS_CREATE_TOPOLOGY must be"],
    [{ AWS_REGION: "eu-west-1", TIFFIN_SNS_TOPIC_ARN: ARN, TIFFIN_SQS_QUEUE_PREFIX: "tiffin." }, "TIFFIN_SQS_QUEUE_PREFIX"],
  ])("stops at startup on %o, naming the variable", (env, problem) => {
    const error = failure(() => awsBrokerConfigFromEnv(env, TOPIC));
    expect(error.code).toBe("INFRA_MISCONFIGURED");
    expect(error.message).toContain(problem);
  });

  it("validates timings given in code", () => {
    expect(failure(() => resolveAwsBrokerConfig({ region: "eu-west-1", waitTimeSeconds: 30 })).message).toContain("waitTimeSeconds");
    expect(failure(() => resolveAwsBrokerConfig({ region: "eu-west-1", visibilityTimeoutSeconds: 1 })).message).toContain(
      "visibilityTimeoutSeconds",
    );
  });
});
