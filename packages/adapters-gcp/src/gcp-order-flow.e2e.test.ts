import { describeOrderFlow } from "@tiffin/cli/testing";
import { startPubSubEmulator } from "@tiffin/pubsub-emulator";

// The shared order flow with TIFFIN_BROKER=gcp on the in-repo Pub/Sub emulator; the topology is created on first use
// (an emulator host is set), with ordering, filters and dead-letter topics as in production.
describeOrderFlow("TIFFIN_BROKER=gcp on the Pub/Sub emulator", async () => {
  const emulator = await startPubSubEmulator();
  return {
    env: {
      TIFFIN_BROKER: "gcp",
      GOOGLE_CLOUD_PROJECT: "tiffin-e2e",
      PUBSUB_EMULATOR_HOST: emulator.host,
      // The emulator needs no credentials; keep google-auth-library from probing the GCE metadata server.
      METADATA_SERVER_DETECTION: "none",
    },
    // Backlog is only reported by Cloud Monitoring, which no emulator serves.
    queueDepth: false,
    close: () => emulator.close(),
  };
});
