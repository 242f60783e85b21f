import type { PushReceiver } from "@tiffin/core";
import { ConfigError } from "@tiffin/core";
import { brokerPackage } from "../config/brokers.js";
import type { Config } from "../config/config.js";

/**
 * The push receiver of the configured broker, for `TIFFIN_DELIVERY=push`: its package's `pushReceiver(env, context)`,
 * which reads that broker's own variables. Brokers that cannot push (postgres, memory) have none; asking for push
 * delivery with them stops start-up naming TIFFIN_DELIVERY.
 */
export async function pushReceiverFor(config: Config): Promise<PushReceiver> {
  const { kind, env } = config.broker;
  const adapter = kind === "memory" ? undefined : await brokerPackage(kind);
  if (adapter?.pushReceiver === undefined) {
    throw new ConfigError("TIFFIN_DELIVERY", `is push, but TIFFIN_BROKER=${kind} does not push messages (use pull)`);
  }
  const { oidc } = config.workerEndpoints;
  return adapter.pushReceiver(env, oidc === undefined ? {} : { oidc });
}
