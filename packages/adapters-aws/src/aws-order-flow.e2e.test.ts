import { describeOrderFlow } from "@tiffin/cli/testing";
import { startFauxqs } from "fauxqs";
import { expect } from "vitest";

// The shared order flow with TIFFIN_BROKER=aws on fauxqs; the topology is created on first use (an emulator endpoint).
describeOrderFlow("TIFFIN_BROKER=aws on fauxqs", async () => {
  const fauxqs = await startFauxqs({ port: 0, logger: false, messageSpies: { bufferSize: 10_000 } });
  return {
    env: {
      TIFFIN_BROKER: "aws",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL: fauxqs.address,
      AWS_ACCESS_KEY_ID: "fauxqs",
      AWS_SECRET_ACCESS_KEY: "fauxqs",
    },
    queueDepth: true,
    afterDelivery: async (orderId) => {
      // The events really crossed fauxqs: published to SNS, consumed from the subscriptions' queues.
      const seen = fauxqs.spy.getAllMessages().flatMap((m) =>
        m.service !== "s3" && m.messageAttributes.subject?.StringValue === orderId
          ? [`${m.service === "sns" ? "sns" : m.queueName}:${m.status}:${m.messageAttributes.type?.StringValue ?? ""}`]
          : [],
      );
      const statuses = ["placed", "confirmed", "preparing", "ready", "picked_up", "delivered"];
      expect(seen).toEqual(expect.arrayContaining(statuses.map((status) => `sns:published:order.${status}`)));
      expect(seen).toContain("tiffin-projections:consumed:order.delivered");
    },
    close: () => fauxqs.stop(),
  };
});
