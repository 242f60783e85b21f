import { SYSTEM_PRINCIPAL, silentLogger } from "@tiffin/core";
import { Metrics, Platform, loadConfig, seedDemoData } from "@tiffin/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildHttpApp } from "../app.js";
import { createTokenVerifier, mintToken } from "../auth/jwt.js";
import type { TiffinFastify } from "../routes/route-deps.js";
import { TEST_SECRET, demoOrder } from "../test-support/in-memory-api.js";

const url = process.env.TIFFIN_TEST_DATABASE_URL;

/** Reads a server-sent event stream over a real socket and keeps the `data` of each `event: order`. */
class StreamReader {
  readonly views: { status: string }[] = [];
  private readonly abort = new AbortController();
  private done: Promise<void> = Promise.resolve();

  async open(target: string, authorization: string): Promise<void> {
    const response = await fetch(target, { headers: { authorization }, signal: this.abort.signal });
    expect(response.status).toBe(200);
    this.done = (async () => {
      const decoder = new TextDecoder();
      let text = "";
      try {
        for await (const chunk of response.body ?? []) {
          text += decoder.decode(chunk as Uint8Array, { stream: true });
          const blocks = text.split("\n\n");
          text = blocks.pop() ?? "";
          for (const block of blocks) {
            const data = block.split("\n").find((line) => line.startsWith("data: "));
            if (block.includes("event: order") && data) this.views.push(JSON.parse(data.slice(6)) as { status: string });
          }
        }
      } catch {
        // aborted by close()
      }
    })();
  }

  /** Waits until an event shows `status`; fails after 10 s. */
  async sawStatus(status: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!this.views.some((view) => view.status === status)) {
      if (Date.now() > deadline) throw new Error(`no event with status ${status}; saw ${this.views.map((v) => v.status).join(", ")}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}

describe.skipIf(url === undefined)("order streams on PostgreSQL, told by LISTEN/NOTIFY (TIFFIN_TEST_DATABASE_URL)", () => {
  const schema = `t_streams_${Math.random().toString(36).slice(2, 10)}`;
  let platform: Platform;
  let app: TiffinFastify;
  let base: string;
  beforeAll(async () => {
    const config = loadConfig({ TIFFIN_DATABASE_URL: url ?? "", TIFFIN_DATABASE_SCHEMA: schema, TIFFIN_JWT_SECRET: "x".repeat(32) });
    platform = await Platform.create(config, { logger: silentLogger, metrics: new Metrics() });
    await platform.migrate();
    await seedDemoData(platform.tiffin);
    app = await buildHttpApp({
      tiffin: platform.tiffin,
      verifyToken: createTokenVerifier({ kind: "secret", secret: TEST_SECRET }),
      logger: silentLogger,
      metrics: platform.metrics,
      health: { ready: () => true, check: () => platform.check() },
      viewChanges: platform.viewChanges,
      // Ten minutes: within a test only a notification can deliver a change.
      streams: { safetyPollMs: 600_000 },
    });
    base = await app.listen({ port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await app?.close();
    await platform?.database?.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await platform?.close();
  });

  const customer = async (id: string) => `Bearer ${await mintToken(TEST_SECRET, { role: "customer", sub: id })}`;

  async function placeOrder(customerId: string, key: string): Promise<string> {
    const placed = await fetch(`${base}/v1/orders`, {
      method: "POST",
      headers: { authorization: await customer(customerId), "idempotency-key": key, "content-type": "application/json" },
      body: JSON.stringify(demoOrder()),
    });
    expect(placed.status).toBe(201);
    return ((await placed.json()) as { id: string }).id;
  }

  /** Writes the order's view as the projections would after `status`, in one transaction (which notifies). */
  async function project(orderId: string, status: "confirmed" | "preparing"): Promise<void> {
    await platform.uow.run(SYSTEM_PRINCIPAL, async (tx) => {
      const view = await tx.views.getView(orderId);
      if (view === null) throw new Error("no view");
      await tx.views.saveView({ ...view, status, timeline: [...view.timeline, { status, at: new Date().toISOString() }], revision: view.revision + 1 });
    });
  }

  const listener = async (): Promise<number | undefined> =>
    (
      await platform.database!.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query ILIKE 'LISTEN%'",
        [`tiffin-listen:${schema}`],
      )
    )[0]?.pid;

  it("sends a change as soon as the view is written, without waiting for a poll", async () => {
    const id = await placeOrder("stream-notified", "notified-1");
    const stream = new StreamReader();
    await stream.open(`${base}/v1/orders/${id}/stream`, await customer("stream-notified"));
    await stream.sawStatus("placed");
    await project(id, "confirmed");
    await stream.sawStatus("confirmed");
    await stream.close();
  });

  it("still sends changes after its LISTEN connection was terminated", async () => {
    const id = await placeOrder("stream-relisten", "relisten-1");
    const stream = new StreamReader();
    await stream.open(`${base}/v1/orders/${id}/stream`, await customer("stream-relisten"));
    await stream.sawStatus("placed");
    const before = await listener();
    expect(before).toBeDefined();
    await platform.database!.query("SELECT pg_terminate_backend($1)", [before]);
    const deadline = Date.now() + 10_000;
    let after = await listener();
    while (after === undefined || after === before) {
      if (Date.now() > deadline) throw new Error("the LISTEN connection was not reopened");
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await listener();
    }
    await project(id, "confirmed");
    await stream.sawStatus("confirmed");
    expect(stream.views.map((view) => view.status)).toEqual(["placed", "confirmed"]);
    await stream.close();
  });
});
