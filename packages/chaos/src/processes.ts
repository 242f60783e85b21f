import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

/** The built `tiffin` CLI (packages/cli/dist/main.js), from this package's src/ or dist/ alike. */
export const TIFFIN_MAIN = fileURLToPath(new URL("../../cli/dist/main.js", import.meta.url));

export type ProcessCommand = "serve" | "work";

/** How long a process may take to answer /health/ready before the scenario fails (a bound, not a measurement). */
const READY_WITHIN_MS = 90_000;
/** Output kept per process, to show when it fails to start. */
const KEPT_OUTPUT = 8_000;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Runs one `tiffin` command (`migrate`, `seed --demo`) to completion without blocking this process's event loop. */
export async function runTiffin(args: readonly string[], env: Readonly<Record<string, string>>): Promise<void> {
  const child = spawn(process.execPath, [TIFFIN_MAIN, ...args], { env: { ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`tiffin ${args.join(" ")} exited with ${code}:\n${output.slice(-KEPT_OUTPUT)}`);
}

/**
 * A `tiffin serve` or `tiffin work` child process on a fixed port. `kill()` is a crash (SIGKILL: no drain, no
 * cleanup); `restart()` starts the same command on the same port with the same environment, so clients keep their URL.
 */
export class ChaosProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<number | null> = Promise.resolve(null);
  private output = "";
  /** How many times this process was started (1 after the first start). */
  starts = 0;

  constructor(
    readonly name: string,
    readonly command: ProcessCommand,
    readonly port: number,
    private readonly env: Readonly<Record<string, string>>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The operating system's id of the running process (to read its memory from /proc), undefined when none runs. */
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last few kilobytes of its output (stdout and stderr). */
  get logs(): string {
    return this.output;
  }

  /** Spawns the process and waits until /health/ready answers 200; throws with its output if it exits first. */
  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    const child = spawn(process.execPath, [TIFFIN_MAIN, this.command], { env: { ...this.env, PORT: String(this.port) }, stdio: ["ignore", "pipe", "pipe"] });
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString()).slice(-KEPT_OUTPUT);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    this.child = child;
    this.starts += 1;
    const deadline = Date.now() + READY_WITHIN_MS;
    for (;;) {
      if (!this.running) throw new Error(`${this.name} exited with ${child.exitCode ?? child.signalCode} before it was ready:\n${this.output}`);
      const answer = await fetch(`${this.url}/health/ready`).catch(() => null);
      if (answer?.status === 200) return;
      if (Date.now() > deadline) throw new Error(`${this.name} was not ready within ${READY_WITHIN_MS} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** A crash: SIGKILL, resolved once the process is gone. */
  async kill(): Promise<void> {
    await this.signal("SIGKILL");
  }

  /** A graceful stop (SIGTERM: the process drains and exits 0). Resolves to the exit code. */
  async stop(): Promise<number | null> {
    return this.signal("SIGTERM");
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }

  private async signal(signal: NodeJS.Signals): Promise<number | null> {
    if (this.running) this.child?.kill(signal);
    return this.exited;
  }
}
