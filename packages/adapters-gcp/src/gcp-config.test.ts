import { describe, expect, it } from "vitest";
import { gcpBrokerConfigFromEnv } from "./gcp-config.js";

describe("gcpBrokerConfigFromEnv", () => {
  it("reads the project, the emulator and the topic id, creating the topology only against an emulator by default", () => {
    expect(gcpBrokerConfigFromEnv({ GOOGLE_CLOUD_PROJECT: "tiffin-prod", TIFFIN_PUBSUB_TOPIC: "order-events" })).toEqual({
      projectId: "tiffin-prod",
      topicIds: { "tiffin.order-events": "order-events" },
      subscriptionPrefix: "tiffin-",
      createTopology: false,
    });
    expect(gcpBrokerConfigFromEnv({ GOOGLE_CLOUD_PROJECT: "tiffin-dev", PUBSUB_EMULATOR_HOST: "localhost:8085" })).toMatchObject({
      emulatorHost: "localhost:8085",
      createTopology: true,
    });
  });

  it.each([
    [{}, "GOOGLE_CLOUD_PROJECT is required"],
    [{ GOOGLE_CLOUD_PROJECT: "Bad_Project" }, "GOOGLE_CLOUD_PROJECT is not a project id"],
    [{ GOOGLE_CLOUD_PROJECT: "tiffin-dev", PUBSUB_EMULATOR_HOST: "nope" }, "PUBSUB_EMULATOR_HOST must be host:port"],
    [{ GOOGLE_CLOUD_PROJECT: "tiffin-dev", TIFFIN_PUBSUB_TOPIC: "9bad" }, "TIFFIN_PUBSUB_TOPIC"],
    [{ GOOGLE_CLOUD_PROJECT: "tiffin-dev", TIFFIN_PUBSUB_SUBSCRIPTION_PREFIX: "a/b" }, "TIFFIN_PUBSUB_SUBSCRIPTION_PREFIX"],
    [{ GOOGLE_CLOUD_PROJECT: "tiffin-dev", TIFFIN_CREATE_TOPOLOGY: "yes" }, "TIFFIN_CREATE_TOPOLOGY"],
  ])("refuses %j naming the variable", (env, message) => {
    expect(() => gcpBrokerConfigFromEnv(env)).toThrow(expect.objectContaining({ code: "CONFIG_INVALID", message: expect.stringContaining(message) }));
  });
});
