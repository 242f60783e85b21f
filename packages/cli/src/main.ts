#!/usr/bin/env node
import { telemetry } from "./instrument.js";
import { runCli } from "./cli.js";

const outcome = await runCli(process.argv.slice(2), telemetry);
// A finished command exits now, even if a driver left a handle open; a running host exits on its signals.
if (outcome !== "running") process.exit(outcome);
