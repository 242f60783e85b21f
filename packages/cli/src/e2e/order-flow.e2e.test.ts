import { describeOrderFlow } from "@tiffin/cli/testing";

// The shared order flow on the default broker: the Postgres transport (on PGlite, or the server CI provides).
describeOrderFlow("TIFFIN_BROKER=postgres", async () => ({ env: { TIFFIN_BROKER: "postgres" }, queueDepth: true }));
