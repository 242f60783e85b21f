import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TiffinProcess } from "../testing/index.js";

const MAIN = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "tiffin-cli-"));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const tiffin = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [MAIN, ...args], {
    env: { PATH: process.env.PATH ?? "", TIFFIN_DATA_DIR: dataDir, TIFFIN_LOG_LEVEL: "warn", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });

describe("the tiffin CLI", () => {
  it.each([
    [{ TIFFIN_BROKER: "kafka" }, "TIFFIN_BROKER"],
    [{ PORT: "http" }, "PORT"],
    [{ TIFFIN_DATABASE_URL: "postgres://db.example/tiffin" }, "TIFFIN_JWT_SECRET"],
    // Each broker package validates its own variables through its factory.
    [{ TIFFIN_BROKER: "aws" }, "AWS_REGION"],
    [{ TIFFIN_BROKER: "aws", AWS_REGION: "eu-west-1", TIFFIN_CREATE_TOPOLOGY: "false" }, "TIFFIN_SNS_TOPIC_ARN"],
    [{ TIFFIN_BROKER: "gcp" }, "GOOGLE_CLOUD_PROJECT"],
    [{ TIFFIN_BROKER: "gcp", GOOGLE_CLOUD_PROJECT: "tiffin-dev", PUBSUB_EMULATOR_HOST: "nope" }, "PUBSUB_EMULATOR_HOST"],
    [{ TIFFIN_BROKER: "azure" }, "SERVICEBUS_CONNECTION_STRING"],
  ])("stops on a bad environment (%o) with one line naming %s", (env, variable) => {
    const result = tiffin(["start"], env);
    expect(result.status).toBe(78);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(variable);
  });

  it("migrates the embedded database, then reports it up to date", () => {
    const first = tiffin(["migrate"]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/applied .*0001_/);
    const second = tiffin(["migrate"]);
    expect(second.stdout).toContain("up to date");
  });

  it("has no broker topology to create for the Postgres transport", () => {
    const result = tiffin(["topology"]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("TIFFIN_BROKER=postgres has no broker topology to create");
  });

  it("mints dev tokens with the embedded secret", () => {
    const result = tiffin(["token", "--role", "restaurant", "--sub", "staff-1", "--restaurant", "r-curry-house"]);
    expect(result.status, result.stderr).toBe(0);
    expect(decodeJwt(result.stdout.trim())).toMatchObject({ role: "restaurant", sub: "staff-1", restaurant_id: "r-curry-house" });
    expect(tiffin(["token", "--role", "pirate", "--sub", "x"]).status).toBe(2);
  });

  it("lists dead letters of a subscription", () => {
    const result = tiffin(["dead-letters", "list", "--subscription", "payment-saga"]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("no dead letters");
  });

  it("runs the worker alone with health and metrics on PORT, and exits 0 on SIGTERM", async () => {
    const worker = await TiffinProcess.start({ command: "work", dataDir });
    expect((await worker.request("GET", "/health/live")).json).toEqual({ status: "ok" });
    expect((await worker.request("GET", "/metrics")).body).toContain("tiffin_outbox_pending");
    expect((await worker.request("GET", "/v1/orders")).status).toBe(404);
    expect(await worker.stop("SIGTERM")).toBe(0);
  });

  it("is what `npx tiffin` runs in a checkout: npm links a committed file, which loads the build", async () => {
    const cliFolder = fileURLToPath(new URL("../..", import.meta.url));
    const { bin } = JSON.parse(await readFile(join(cliFolder, "package.json"), "utf8")) as { bin: { tiffin: string } };
    // npm links a bin at install time only if its file exists then; in a fresh clone nothing is built yet.
    expect(bin.tiffin.startsWith("./dist/")).toBe(false);
    const tracked = spawnSync("git", ["ls-files", "--error-unmatch", bin.tiffin], { cwd: cliFolder, encoding: "utf8" });
    expect(tracked.status, `${bin.tiffin} is not committed: ${tracked.stderr}`).toBe(0);
    const root = join(cliFolder, "..", "..");
    const viaNpx = spawnSync("npx", ["--no-install", "tiffin", "token", "--role", "courier", "--sub", "c-anna"], {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", TIFFIN_DATA_DIR: dataDir, TIFFIN_LOG_LEVEL: "warn" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(viaNpx.status, viaNpx.stderr).toBe(0);
    expect(decodeJwt(viaNpx.stdout.trim())).toMatchObject({ role: "courier", sub: "c-anna" });
  });
});
