import { describeBrokerContract } from "@tiffin/core/testing";
import { PUBSUB_FEATURES, gcpBrokerFactory, usePubSubEmulator } from "./test-support/emulator.js";

const pubsub = usePubSubEmulator();

// Ordering on every subscription (ordering key = order id), the service's dead-letter policy as a backstop.
describeBrokerContract("gcp pub/sub on the in-repo emulator", gcpBrokerFactory(() => pubsub.config()), PUBSUB_FEATURES);
