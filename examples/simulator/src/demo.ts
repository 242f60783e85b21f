#!/usr/bin/env node
import { ConfigError, USAGE, parseConfig } from "./config.js";
import { prepareDemoDataDir } from "./demo-data-dir.js";
import { startPlatform } from "./platform-process.js";
import { runSimulation } from "./simulation.js";
import { resolveSecret } from "./tokens.js";

/**
 * `npm run demo`: starts the embedded platform (`tiffin start`: PGlite, Postgres transport, simulated payments,
 * demo restaurants and couriers) and runs the simulator against it, so a newcomer watches orders go from placed
 * to delivered. Kitchens are manual, so the simulated staff accept and cook through the API. Takes the
 * simulator's flags, plus `--keep-running` to leave the platform up afterwards.
 */
async function demo(argv: string[]): Promise<number> {
  const keepRunning = argv.includes("--keep-running");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TIFFIN_KITCHEN: process.env.TIFFIN_KITCHEN ?? "manual",
    TIFFIN_LOG_LEVEL: process.env.TIFFIN_LOG_LEVEL ?? "warn",
  };
  let config;
  try {
    // Checked before starting anything, so a typo costs no start-up time.
    config = parseConfig(argv.filter((arg) => arg !== "--keep-running"), env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`demo: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (config === null) {
    process.stdout.write(`${USAGE}\n  --keep-running  leave the platform up after the simulation\n`);
    return 0;
  }
  // npm runs workspace scripts in the workspace folder; the data folder is relative to where `npm run` was typed.
  const data = await prepareDemoDataDir(process.env, process.env.INIT_CWD ?? process.cwd());
  env.TIFFIN_DATA_DIR = data.dir;
  process.stdout.write(
    `Starting Tiffin (embedded PGlite in ${data.dir}${data.fresh ? ", emptied for this run" : ""}); migrations and demo data come first...\n`,
  );
  const platform = await startPlatform({ env, onOutput: (line) => process.stdout.write(`${line}\n`) });
  const interrupted = new AbortController();
  const onSignal = () => interrupted.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const explicitUrl = argv.some((arg) => arg === "--url" || arg.startsWith("--url="));
    const { summary } = await runSimulation(explicitUrl ? config : { ...config, baseUrl: platform.url }, {
      secret: await resolveSecret(env),
      signal: interrupted.signal,
    });
    if (keepRunning && !interrupted.signal.aborted) {
      process.stdout.write(`\nTiffin keeps running at ${platform.url} (docs: ${platform.url}/docs); Ctrl+C stops it.\n`);
      await new Promise((done) => interrupted.signal.addEventListener("abort", done, { once: true }));
    }
    return summary.unfinished === 0 && summary.placed > 0 ? 0 : 1;
  } finally {
    process.stdout.write("Stopping Tiffin...\n");
    const code = await platform.stop();
    process.stdout.write(`Tiffin stopped (exit code ${code}).\n`);
  }
}

demo(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`demo: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
