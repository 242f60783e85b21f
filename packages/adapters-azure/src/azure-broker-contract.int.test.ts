import { describeBrokerContract } from "@tiffin/core/testing";
import { azureBrokerFactory, useServiceBusEmulator } from "./test-support/emulator.js";

const servicebus = useServiceBusEmulator();

// Sessions keyed by the order id: each order's events are handled one at a time, in sequence, retries included.
describeBrokerContract("azure service bus on the emulator", azureBrokerFactory(() => servicebus.config(), { provisioner: servicebus.provisioner }), {
  persistent: true,
  orderingKeys: true,
  backoff: true,
  replay: true,
  // 256 KiB for the whole AMQP message; the properties' encoding and the batch envelope take the rest.
  maxPayloadBytes: 261_120,
  // Depth needs the administration API (runtime properties), which the emulator does not serve.
  queueDepth: false,
  // Backoff is a timer in the worker that holds the session.
  minRetryDelayMs: 100,
  deliveryTimeoutMs: 10_000,
});
