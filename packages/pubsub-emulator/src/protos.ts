import { createRequire } from "node:module";
import type * as grpc from "@grpc/grpc-js";
import { fromJSON } from "@grpc/proto-loader";

const require = createRequire(import.meta.url);

/**
 * The Pub/Sub v1 service definitions, from the descriptors the client library ships, so the emulator speaks exactly
 * the wire format `@google-cloud/pubsub` expects. Field names are camelCase, int64 values numbers, enums strings.
 */
export function loadPubSubServices(): {
  publisher: grpc.ServiceDefinition;
  subscriber: grpc.ServiceDefinition;
} {
  const json = require("@google-cloud/pubsub/build/protos/protos.json") as Record<string, unknown>;
  const definition = fromJSON(json, { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true });
  const service = (name: string): grpc.ServiceDefinition => {
    const found = definition[name];
    if (found === undefined || "format" in found) throw new Error(`protos.json has no service ${name}`);
    return found as grpc.ServiceDefinition;
  };
  return { publisher: service("google.pubsub.v1.Publisher"), subscriber: service("google.pubsub.v1.Subscriber") };
}
