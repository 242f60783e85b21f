#!/usr/bin/env node
import { ConfigError, USAGE, parseConfig } from "./config.js";
import { runSimulation } from "./simulation.js";
import { resolveSecret } from "./tokens.js";

/**
 * `tiffin-simulator`: drives a running Tiffin through its public API until the orders are done or time is up.
 * Exit code 0 when every placed order was delivered or cancelled, 1 otherwise, 2 for a usage error.
 */
async function main(): Promise<number> {
  let config;
  try {
    config = parseConfig(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`tiffin-simulator: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (config === null) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const interrupted = new AbortController();
  process.once("SIGINT", () => interrupted.abort());
  process.once("SIGTERM", () => interrupted.abort());
  const { summary } = await runSimulation(config, { secret: await resolveSecret(), signal: interrupted.signal });
  return summary.unfinished === 0 && summary.placed > 0 ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`tiffin-simulator: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
