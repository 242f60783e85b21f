import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BANNER_WALKTHROUGH } from "../banner.js";
import { TiffinProcess, waitFor } from "../testing/index.js";

/** The banner's walkthrough as printed: the indented lines after its heading, up to the first blank line. */
function walkthrough(output: string): string | undefined {
  const lines = output.split("\n");
  const start = lines.indexOf(BANNER_WALKTHROUGH);
  if (start < 0) return undefined;
  const block: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === "") break;
    if (line.startsWith("  ")) block.push(line.slice(2));
  }
  return block.join("\n");
}

/** Pastes `script` into a bash, as a person would, and collects what it prints. */
function bash(script: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["--noprofile", "--norc"], { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" }, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    // A loop that never ends (an offer that never comes) fails the test rather than hanging it.
    const guard = setTimeout(() => child.kill("SIGKILL"), 150_000);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(guard);
      resolve({ code, output });
    });
    child.stdin.end(`${script}\n`);
  });
}

describe.each(["manual", "auto"])("the banner of `tiffin start` with %s kitchens", (kitchen) => {
  let tiffin: TiffinProcess;
  beforeAll(async () => {
    // The banner is the embedded platform's: no server database, whatever CI configures. Manual is the default.
    tiffin = await TiffinProcess.start({ env: { TIFFIN_DATABASE_URL: "", TIFFIN_KITCHEN: kitchen, TIFFIN_KITCHEN_PREP_MS: "2000" } });
  });
  afterAll(async () => {
    await tiffin?.dispose();
  });

  it("leads a person from an empty terminal to a delivered order, its lines run in bash exactly as printed", { timeout: 180_000 }, async () => {
    const script = await waitFor("the banner", async () => walkthrough(tiffin.logs));
    expect(script).not.toMatch(/<[a-z-]+>/); // nothing left for the reader to fill in
    const { code, output } = await bash(script);
    expect(code, output).toBe(0);
    const orderId = /^order (\S+)$/m.exec(output)?.[1];
    expect(orderId, output).toBeDefined();

    const customer = await tiffin.token("customer", "cust-demo");
    // The delivery answered at once; the customer's view (a projection) follows it.
    const view = await waitFor("the customer's view to show the delivery", async () => {
      const answer = await tiffin.request("GET", `/v1/orders/${orderId}`, { token: customer });
      return answer.json.status === "delivered" ? answer : undefined;
    });
    expect(output).toMatch(/"status":"delivered","version":\d+/);
    expect(view.json, output).toMatchObject({ status: "delivered", courierId: "c-anna", cancellationReason: null });
    expect(view.json.timeline.map((t: { status: string }) => t.status)).toEqual(["placed", "confirmed", "preparing", "ready", "picked_up", "delivered"]);
    // No problem answer along the way.
    expect(output).not.toMatch(/application\/problem\+json|"status":[45]\d\d/);
  });
});
