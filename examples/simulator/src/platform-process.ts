import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** A `tiffin start` child process that is up and ready. */
export interface RunningPlatform {
  readonly url: string;
  readonly child: ChildProcess;
  /** SIGTERM, then waits for the exit (SIGKILL after `graceMs`); resolves to the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface StartOptions {
  /** The child's environment (PORT, TIFFIN_DATA_DIR, TIFFIN_KITCHEN, ...). */
  readonly env: NodeJS.ProcessEnv;
  /** Every line the child writes, stdout and stderr (default: dropped). */
  readonly onOutput?: (line: string) => void;
  /** How long start-up (migrations, seeding) may take before giving up (default 120 s). */
  readonly timeoutMs?: number;
}

/** The built CLI: `TIFFIN_CLI`, else packages/cli/dist/main.js of this checkout. */
export function cliPath(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.TIFFIN_CLI ?? fileURLToPath(new URL("../../../packages/cli/dist/main.js", import.meta.url));
  if (!existsSync(path)) throw new Error(`the tiffin CLI is not built (${path} is missing): run \`npm run build\` first`);
  return path;
}

const BANNER = /Tiffin is running at (https?:\/\/\S+)/;

async function waitUntilReady(url: string, deadline: number, exited: () => boolean): Promise<void> {
  while (Date.now() < deadline && !exited()) {
    try {
      if ((await fetch(new URL("/health/ready", url))).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(exited() ? "tiffin exited before it was ready" : `tiffin was not ready at ${url}/health/ready in time`);
}

/**
 * Starts `tiffin start` (API and worker in one process) as a child process, learns its URL from the banner it
 * prints (so `PORT=0` works), and resolves once `/health/ready` answers 200.
 */
export async function startPlatform(options: StartOptions): Promise<RunningPlatform> {
  const child = spawn(process.execPath, [cliPath(options.env), "start"], { env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  const tail: string[] = [];
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve((exitCode = code))));
  let announce: (url: string) => void = () => undefined;
  const announced = new Promise<string>((resolve) => (announce = resolve));
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      options.onOutput?.(line);
      tail.push(line);
      if (tail.length > 20) tail.shift();
      const match = BANNER.exec(line);
      if (match?.[1] !== undefined) announce(match[1]);
    });
  }
  const stop = async (graceMs = 15_000): Promise<number | null> => {
    if (exitCode !== undefined) return exitCode;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const url = await Promise.race([
      announced,
      exited.then((code) => Promise.reject(new Error(`tiffin start exited with ${code}`))),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("tiffin start printed no URL in time")), deadline - Date.now()))),
    ]);
    await waitUntilReady(url, deadline, () => exitCode !== undefined);
    return { url, child, stop };
  } catch (error) {
    await stop(2_000);
    throw new Error(`${(error as Error).message}; its last output:\n${tail.join("\n")}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
