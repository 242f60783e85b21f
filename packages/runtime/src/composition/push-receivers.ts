import type { PushReceiver } from "@tiffin/core";
import { ConfigError } from "../config/config.errors.js";
import type { Config } from "../config/config.js";
import { importAdapter } from "./adapter-modules.js";

type PushReceiverClass = new (config: object) => PushReceiver;

/**
 * The push receiver of the configured broker, for `TIFFIN_DELIVERY=push`: SNS HTTPS for `aws`, Pub/Sub push with OIDC for `gcp`. Brokers that cannot
 * push (postgres, memory) have none; asking for push delivery with them stops start-up naming TIFFIN_DELIVERY.
 */
export async function pushReceiverFor(config: Config): Promise<PushReceiver> {
  const endpoints = config.workerEndpoints;
  switch (config.broker.kind) {
    case "aws": {
      if (endpoints.snsTopicArn === undefined) {
        throw new ConfigError("TIFFIN_SNS_TOPIC_ARN", "is required when TIFFIN_DELIVERY=push and TIFFIN_BROKER=aws");
      }
      const aws = await importAdapter("@tiffin/adapters-aws", "aws");
      const Receiver = aws.SnsPushReceiver as PushReceiverClass;
      return new Receiver({
        topicArn: endpoints.snsTopicArn,
        ...(endpoints.snsTestCertUrlPrefix === undefined ? {} : { testCertUrlPrefix: endpoints.snsTestCertUrlPrefix }),
      });
    }
    case "gcp": {
      if (endpoints.oidc === undefined) {
        throw new ConfigError("TIFFIN_OIDC_AUDIENCE", "is required when TIFFIN_DELIVERY=push and TIFFIN_BROKER=gcp (with TIFFIN_OIDC_EMAILS)");
      }
      const gcp = await importAdapter("@tiffin/adapters-gcp", "gcp");
      const Receiver = gcp.PubSubPushReceiver as PushReceiverClass;
      return new Receiver(endpoints.oidc);
    }
    default:
      throw new ConfigError("TIFFIN_DELIVERY", `is push, but TIFFIN_BROKER=${config.broker.kind} does not push messages (use pull)`);
  }
}
