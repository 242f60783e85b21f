import { Server, ServerCredentials } from "@grpc/grpc-js";
import { EmulatorState } from "./emulator-state.js";
import { loadPubSubServices } from "./protos.js";
import { publisherService } from "./publisher-service.js";
import { PushDeliverer, type OidcSigner } from "./push-delivery.js";
import { subscriberService } from "./subscriber-service.js";

export interface PubSubEmulatorOptions {
  /** Interface to bind (loopback unless told otherwise). */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /**
   * Milliseconds in one second of ack deadlines and retry backoffs (default 1000). Tests shrink it so a 10 s
   * deadline (the service's minimum) passes in 100 ms; it does not change anything the client library times.
   */
  readonly secondMs?: number;
  /** How long a Pull without return_immediately waits for messages (default 1000 ms). */
  readonly pullWaitMs?: number;
  /** Signs push requests' OIDC tokens; push subscriptions with `oidcToken` nack every message without it. */
  readonly oidcSigner?: OidcSigner;
}

/** A running emulator. Point the client at `host` (as `PUBSUB_EMULATOR_HOST` or `apiEndpoint`). */
export interface PubSubEmulator {
  /** `127.0.0.1:<port>`. */
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

// The service accepts 10 MB messages; gRPC's default limit of 4 MB would refuse them before the emulator could.
const MAX_GRPC_MESSAGE_BYTES = 32 * 1024 * 1024;

/**
 * Starts a Pub/Sub emulator in this process: the google.pubsub.v1 Publisher and Subscriber services over gRPC,
 * with the real service's semantics for deadlines, retry and dead-letter policies, ordering, filters, limits and push.
 * State lives in memory and ends with `close`.
 */
export async function startPubSubEmulator(options: PubSubEmulatorOptions = {}): Promise<PubSubEmulator> {
  const pushers: PushDeliverer[] = [];
  const state = new EmulatorState(options.secondMs ?? 1000, (runtime) => {
    const pusher = new PushDeliverer(runtime, options.oidcSigner);
    pushers.push(pusher);
    runtime.attach(pusher);
  });
  const services = loadPubSubServices();
  const server = new Server({
    "grpc.max_receive_message_length": MAX_GRPC_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_GRPC_MESSAGE_BYTES,
  });
  server.addService(services.publisher, publisherService(state));
  server.addService(services.subscriber, subscriberService(state, { pullWaitMs: options.pullWaitMs ?? 1000 }));
  const bindHost = options.host ?? "127.0.0.1";
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${bindHost}:${options.port ?? 0}`, ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });
  return {
    host: `${bindHost}:${port}`,
    port,
    async close() {
      for (const pusher of pushers) pusher.close();
      state.close();
      // Clients that are still connected would hold a graceful shutdown open; cut them off after a moment.
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => server.forceShutdown(), 1000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
}
