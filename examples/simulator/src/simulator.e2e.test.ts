import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "./config.js";
import { type RunningPlatform, startPlatform } from "./platform-process.js";
import { Reporter } from "./reporter.js";
import { runSimulation } from "./simulation.js";
import { resolveSecret } from "./tokens.js";

let dataDir: string;
let platform: RunningPlatform;
const serverOutput: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "tiffin-sim-"));
  // Embedded on purpose, whatever the surrounding environment configures: PGlite, its transport, a generated secret.
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0", TIFFIN_DATA_DIR: dataDir, TIFFIN_KITCHEN: "manual", TIFFIN_LOG_LEVEL: "warn" };
  for (const name of ["TIFFIN_DATABASE_URL", "TIFFIN_BROKER", "TIFFIN_JWT_SECRET", "TIFFIN_JWT_JWKS_URL", "TIFFIN_PAYMENT_FAILURE_RATE"]) delete env[name];
  platform = await startPlatform({
    env,
    onOutput: (line) => serverOutput.push(line),
  });
});

afterAll(async () => {
  const code = await platform?.stop();
  await rm(dataDir, { recursive: true, force: true });
  expect(code).toBe(0);
});

describe("the simulator against `tiffin start` (embedded PGlite, manual kitchens)", () => {
  it("takes every order from placed to delivered through the public API; the ledger shows each charge and payout", async () => {
    const config = parseConfig(["--url", platform.url, "--orders", "5", "--concurrency", "3", "--seconds", "100", "--seed", "42"], {})!;
    const output: string[] = [];
    const secret = await resolveSecret({ TIFFIN_DATA_DIR: dataDir });

    const { summary, orders, timedOut } = await runSimulation(config, { secret, reporter: new Reporter((line) => output.push(line)) });

    expect(timedOut, [...output, "server:", ...serverOutput.slice(-20)].join("\n")).toBe(false);
    expect(summary).toMatchObject({ placed: 5, delivered: 5, cancelled: 0, unfinished: 0 });
    expect(orders.every((order) => order.status === "delivered" && order.paymentStatus === "paid_out")).toBe(true);
    const charged = orders.reduce((sum, order) => sum + order.total.amount, 0);
    expect(summary.money["charge:customer"]?.amount).toBe(charged);
    expect(summary.money["payout:restaurant"]?.amount).toBeGreaterThan(0);
    expect(summary.money["payout:courier"]?.amount).toBeGreaterThan(0);
    expect(summary.money["refund:customer"]).toBeUndefined();
    // The first order's server-sent events were followed to the end.
    expect(output.some((line) => /stream #1 \| delivered/.test(line))).toBe(true);
    for (const order of orders) expect(output.some((line) => line.includes(`order #${order.number} picked_up -> delivered`))).toBe(true);
  });
});
