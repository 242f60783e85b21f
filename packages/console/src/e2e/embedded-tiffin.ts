import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../../../cli/dist/main.js", import.meta.url));

/** Debian's Chromium (CHROMIUM_PATH wins), or null when this machine has none. */
export function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find((path): path is string => path !== undefined && path !== "" && existsSync(path)) ?? null;
}

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

/** `tiffin start` on embedded PGlite in `dataDir` (the platform `npm start` gives), as a child process. */
export class EmbeddedTiffin {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly consoleUrl: string,
    readonly output: () => string,
  ) {}

  /**
   * Starts it and waits for the banner's console URL. `settings` adds variables (and `port` fixes the port): with an
   * identity provider (TIFFIN_JWT_JWKS_URL) there is no banner, so readiness is waited for instead.
   */
  static async start(dataDir: string, settings: { readonly env?: Record<string, string>; readonly port?: number } = {}): Promise<EmbeddedTiffin> {
    const port = settings.port ?? (await freePort());
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith("TIFFIN_")) env[key] = value;
    const child = spawn(process.execPath, [MAIN, "start"], {
      env: { ...env, PORT: String(port), TIFFIN_DATA_DIR: dataDir, TIFFIN_LOG_LEVEL: "warn", TIFFIN_KITCHEN: "manual", ...settings.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    if (settings.env?.TIFFIN_JWT_JWKS_URL !== undefined) {
      const url = `http://127.0.0.1:${port}`;
      child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
      for (let i = 0; !(await fetch(`${url}/health/ready`).then((r) => r.ok, () => false)); i += 1) {
        if (i > 900 || child.exitCode !== null) throw new Error(`tiffin start did not become ready:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return new EmbeddedTiffin(child, url, `${url}/app/`, () => output);
    }
    // The banner names the console's URL: that line is how a person finds it after `npm start`.
    const consoleUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`tiffin start printed no console URL in 90 s:\n${output}`)), 90_000);
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Console:\s+(http\S+\/app\/)/.exec(output);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout?.on("data", read);
      child.stderr?.on("data", read);
      child.once("exit", (code) => reject(new Error(`tiffin start exited with ${code}:\n${output}`)));
    });
    return new EmbeddedTiffin(child, consoleUrl.replace(/\/app\/$/, ""), consoleUrl, () => output);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGTERM");
    await exited;
  }
}
