import { type CloudEvent, type MessageSubscriber, ORDER_EVENTS_TOPIC, TOKENS, silentLogger } from "@tiffin/core";
import { Lifecycle, Metrics, Platform, loadConfig, seedDemoData, startTelemetry } from "@tiffin/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintToken } from "./auth/jwt.js";
import { startHttpHost } from "./http-host.js";
import { TEST_SECRET, demoOrder } from "./test-support/in-memory-api.js";

const telemetry = startTelemetry({});
let platform: Platform;
let lifecycle: Lifecycle;
let url: string;
beforeAll(async () => {
  platform = await Platform.create(loadConfig({ TIFFIN_BROKER: "memory", PORT: "0", TIFFIN_HOST: "127.0.0.1" }), {
    logger: silentLogger,
    metrics: new Metrics(),
    inMemory: true,
  });
  await seedDemoData(platform.tiffin);
  lifecycle = new Lifecycle(silentLogger, 5_000);
  url = (await startHttpHost(platform, lifecycle, { kind: "secret", secret: TEST_SECRET })).url;
  lifecycle.markReady();
});
afterAll(async () => {
  await lifecycle.stop("test done");
  await platform.close();
  await telemetry.shutdown();
});

describe("the API over a real socket, on the platform", () => {
  it("continues the caller's traceparent into the events the request causes", async () => {
    const tapped: CloudEvent[] = [];
    const subscriber = platform.container.get<MessageSubscriber>(TOKENS.MessageSubscriber);
    await subscriber.subscribe({ topic: ORDER_EVENTS_TOPIC, subscription: "test-tap" }, async (message) => void tapped.push(message));
    const worker = platform.createWorker({ relay: { intervalMs: 10 }, parts: ["relay"] });
    await worker.start();
    try {
      const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
      const response = await fetch(`${url}/v1/orders`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${await mintToken(TEST_SECRET, { role: "customer", sub: "cust-trace" })}`,
          "idempotency-key": "trace-1",
          "content-type": "application/json",
          traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        },
        body: JSON.stringify(demoOrder()),
      });
      expect(response.status).toBe(201);
      const { id } = (await response.json()) as { id: string };
      let placed: CloudEvent | undefined;
      for (let i = 0; i < 200 && placed === undefined; i += 1) {
        placed = tapped.find((m) => m.subject === id);
        if (placed === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(placed?.traceparent).toContain(traceId);
      // The order's view names the same trace, for an operator to find it in the tracing backend.
      const read = await fetch(`${url}/v1/orders/${id}`, { headers: { authorization: `Bearer ${await mintToken(TEST_SECRET, { role: "admin", sub: "ops" })}` } });
      expect(((await read.json()) as { traceId?: string }).traceId).toBe(traceId);
      const ready = await fetch(`${url}/health/ready`);
      expect(await ready.json()).toEqual({ status: "ok", checks: { database: "ok", broker: "ok" } });
    } finally {
      await worker.stop();
    }
  });

  it("streams the restaurant board to its staff as server-sent events", async () => {
    const customer = `Bearer ${await mintToken(TEST_SECRET, { role: "customer", sub: "cust-board" })}`;
    const placed = await fetch(`${url}/v1/orders`, {
      method: "POST",
      headers: { authorization: customer, "idempotency-key": "board-1", "content-type": "application/json" },
      body: JSON.stringify(demoOrder()),
    });
    const { id } = (await placed.json()) as { id: string };
    const staff = await mintToken(TEST_SECRET, { role: "restaurant", sub: "staff-1", restaurantId: "r-curry-house" });
    const abort = new AbortController();
    const stream = await fetch(`${url}/v1/restaurants/r-curry-house/board/stream`, { headers: { authorization: `Bearer ${staff}` }, signal: abort.signal });
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    let text = "";
    const decoder = new TextDecoder();
    for await (const chunk of stream.body ?? []) {
      text += decoder.decode(chunk as Uint8Array, { stream: true });
      if (text.includes("event: board")) break;
    }
    abort.abort();
    const data = text.split("\n").find((line) => line.startsWith("data: "));
    expect((JSON.parse(data?.slice(6) ?? "{}") as { items: { id: string }[] }).items.map((o) => o.id)).toContain(id);
    const other = await mintToken(TEST_SECRET, { role: "restaurant", sub: "staff-2", restaurantId: "r-pizza-nova" });
    expect((await fetch(`${url}/v1/restaurants/r-curry-house/board/stream`, { headers: { authorization: `Bearer ${other}` } })).status).toBe(404);
  });
});
