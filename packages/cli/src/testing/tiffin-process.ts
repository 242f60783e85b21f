import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { mintToken } from "@tiffin/host-http";
import { ResponseConformance } from "@tiffin/host-http/testing";

const MAIN = fileURLToPath(new URL("../../dist/main.js", import.meta.url));

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs` saying what it waited for. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last === undefined ? "" : `: ${String(last)}`}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * True when this run targets the real PostgreSQL. The `e2e-embedded` vitest project sets TIFFIN_E2E_EMBEDDED so the
 * same files also run on embedded PGlite when CI provides a server.
 */
const onPostgres = (): boolean =>
  process.env.TIFFIN_TEST_DATABASE_URL !== undefined && process.env.TIFFIN_E2E_EMBEDDED !== "1";

/**
 * On a real PostgreSQL (TIFFIN_TEST_DATABASE_URL, as in CI), each test file gets its own schema, so runs never see
 * each other's couriers, offers or orders. A restart passes the same `schema` to find its data again.
 */
function postgresEnv(url: string, schema: string | undefined): Record<string, string> {
  return {
    TIFFIN_DATABASE_URL: url,
    TIFFIN_DATABASE_SCHEMA: schema ?? `e2e_${randomUUID().replaceAll("-", "").slice(0, 12)}`,
    TIFFIN_JWT_SECRET: "e2e-secret-e2e-secret-e2e-secret-e2e",
    TIFFIN_DEMO_DATA: "true",
  };
}

/** The environment of a `tiffin` child process: a data folder, loopback, and the test database when there is one. */
function processEnv(dataDir: string, port: number, options: { env?: Record<string, string>; schema?: string }): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    TIFFIN_DATA_DIR: dataDir,
    PORT: String(port),
    TIFFIN_HOST: "127.0.0.1",
    TIFFIN_LOG_LEVEL: "warn",
    ...(onPostgres() ? postgresEnv(process.env.TIFFIN_TEST_DATABASE_URL ?? "", options.schema) : {}),
    ...options.env,
  };
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly json: any;
}

/** The built `tiffin` CLI as a child process on a temporary data folder and a free port. */
export class TiffinProcess {
  private output = "";
  private exited: Promise<number | null>;
  private conformance: Promise<ResponseConformance | null> | null = null;

  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    readonly dataDir: string,
    private readonly env: Record<string, string>,
  ) {
    child.stdout?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  }

  /**
   * Runs one `tiffin` command to completion (e.g. `topology` before a worker starts) with the environment `start`
   * would give a process on that data folder or schema. Asynchronous, so an emulator in this process keeps answering.
   */
  static async run(args: readonly string[], options: { env?: Record<string, string>; dataDir: string; schema?: string }): Promise<{ status: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [MAIN, ...args], { env: processEnv(options.dataDir, 0, options), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const status = await new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    return { status, stdout, stderr };
  }

  /** Starts `tiffin <command>` and waits until /health/ready answers 200. */
  static async start(options: { command?: string; env?: Record<string, string>; dataDir?: string; schema?: string } = {}): Promise<TiffinProcess> {
    const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "tiffin-e2e-")));
    const port = await freePort();
    const env = processEnv(dataDir, port, options);
    if (options.command !== undefined && options.command !== "start") {
      // Only `start` migrates a server database by itself; the split hosts expect `tiffin migrate` to have run.
      const migrated = spawnSync(process.execPath, [MAIN, "migrate"], { env, encoding: "utf8", timeout: 60_000 });
      if (migrated.status !== 0) throw new Error(`tiffin migrate failed: ${migrated.stderr}`);
    }
    const child = spawn(process.execPath, [MAIN, options.command ?? "start"], { env, stdio: ["ignore", "pipe", "pipe"] });
    const proc = new TiffinProcess(child, `http://127.0.0.1:${port}`, dataDir, env);
    const outcome = await waitFor(`tiffin to be ready at ${proc.url}`, async () => {
      if (child.exitCode !== null) return "exited";
      const response = await fetch(`${proc.url}/health/ready`).catch(() => null);
      return response?.status === 200 ? "ready" : undefined;
    }, 90_000, 200);
    // A process that stopped is an answer at once, not something to wait out.
    if (outcome === "exited") throw new Error(`tiffin exited with ${child.exitCode}:\n${proc.output}`);
    return proc;
  }

  /** The Postgres schema this process uses (undefined on PGlite). */
  get schema(): string | undefined {
    return this.env.TIFFIN_DATABASE_SCHEMA;
  }

  /** Runs another `tiffin` command (e.g. `seed --demo`) against this process's database, to completion. */
  runCommand(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const done = spawnSync(process.execPath, [MAIN, ...args], { env: this.env, encoding: "utf8", timeout: 120_000 });
    return { status: done.status, stdout: done.stdout, stderr: done.stderr };
  }

  get logs(): string {
    return this.output;
  }

  /** A JWT for a principal, signed with the secret the process uses. */
  async token(role: "customer" | "restaurant" | "courier" | "admin", sub: string, restaurantId?: string): Promise<string> {
    const secret = this.env.TIFFIN_JWT_SECRET ?? (await readFile(join(this.dataDir, "jwt-secret"), "utf8")).trim();
    return mintToken(secret, { role, sub, ...(restaurantId === undefined ? {} : { restaurantId }) });
  }

  async request(method: string, path: string, options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<HttpAnswer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers["content-type"] ??= "application/json";
    const response = await fetch(`${this.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text === "" ? null : JSON.parse(text);
    } catch {
      json = null;
    }
    await this.checkConformance(method, path, response, json ?? text);
    return { status: response.status, headers: response.headers, body: text, json };
  }

  /**
   * Every answer an e2e test sees from an API process must match its own /openapi.json (status, media type, body
   * schema). A worker (`tiffin work`) serves no API description, only health and metrics.
   */
  private async checkConformance(method: string, path: string, response: Response, body: unknown): Promise<void> {
    // The description itself is not one of the operations it describes (its route is hidden from the document).
    if (path === "/openapi.json") return;
    this.conformance ??= fetch(`${this.url}/openapi.json`).then(async (answer) => (answer.ok ? ResponseConformance.of(await answer.json()) : null));
    (await this.conformance)?.assert({ method, url: path, status: response.status, contentType: response.headers.get("content-type"), body });
  }

  /**
   * Opens a server-sent event stream and collects the `data` of each event until `until` accepts one (or the
   * stream ends); the stream is then closed.
   */
  async collectEvents(path: string, token: string, until: (data: any) => boolean): Promise<any[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const abort = new AbortController();
    const response = await fetch(`${this.url}${path}`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
    if (response.status !== 200 || response.body === null) throw new Error(`stream answered ${response.status}`);
    await this.checkConformance("GET", path, response, "");
    const events: unknown[] = [];
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split("\n").find((line) => line.startsWith("data: "));
          if (data === undefined) continue;
          const parsed: unknown = JSON.parse(data.slice(6));
          events.push(parsed);
          if (until(parsed)) return events;
        }
      }
      return events;
    } finally {
      abort.abort();
    }
  }

  /** Sends a signal and resolves to the exit code. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill(signal);
    return this.exited;
  }

  /** Stops (if running) and removes the data folder. */
  async dispose(): Promise<void> {
    await this.stop("SIGTERM");
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
