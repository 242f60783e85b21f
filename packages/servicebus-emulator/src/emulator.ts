import { AmqpServer } from "./amqp-server.js";
import type { EmulatorConfig } from "./config.js";
import { Namespace } from "./namespace.js";

export interface EmulatorOptions {
  /** Loopback by default. */
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Entities to create at start; more can be added with `apply`. */
  readonly config?: EmulatorConfig;
  /** The standard tier's 256 KiB by default. */
  readonly maxMessageSizeBytes?: number;
}

/** A running emulator. */
export interface ServiceBusEmulator {
  readonly port: number;
  /** For `ServiceBusClient`: plain AMQP on the emulator's port (`UseDevelopmentEmulator=true`). */
  readonly connectionString: string;
  /** Adds or replaces queues, topics, subscriptions and rules, as a `Config.json` would declare them. */
  apply(config: EmulatorConfig): void;
  /** Entities by address, for tests that inspect what the broker holds. */
  readonly namespace: Namespace;
  close(): Promise<void>;
}

export const STANDARD_TIER_MAX_MESSAGE_BYTES = 262_144;

/** Starts a Service Bus emulator in this process, speaking AMQP 1.0 to the real `@azure/service-bus` client. */
export async function startServiceBusEmulator(options: EmulatorOptions = {}): Promise<ServiceBusEmulator> {
  const host = options.host ?? "127.0.0.1";
  const namespace = new Namespace();
  if (options.config !== undefined) namespace.apply(options.config);
  const server = new AmqpServer(namespace, {
    host,
    port: options.port ?? 0,
    maxMessageSizeBytes: options.maxMessageSizeBytes ?? STANDARD_TIER_MAX_MESSAGE_BYTES,
  });
  const port = await server.listen();
  return {
    port,
    // The SDK requires a key name and key; the emulator accepts any token, as Microsoft's emulator does.
    connectionString: `Endpoint=sb://${host}:${port};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;`,
    apply: (config) => namespace.apply(config),
    namespace,
    close: async () => {
      await server.close();
      namespace.close();
    },
  };
}
