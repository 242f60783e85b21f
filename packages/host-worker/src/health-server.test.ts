import { Metrics } from "@tiffin/runtime";
import { describe, expect, it } from "vitest";
import { buildHealthServer } from "./health-server.js";

describe("the worker's health server", () => {
  it("is ready only while running and while every dependency answers", async () => {
    let ready = true;
    let database = "ok";
    const app = buildHealthServer({ ready: () => ready, check: async () => ({ database, broker: "ok" }), metrics: new Metrics() });
    expect((await app.inject({ url: "/health/ready" })).statusCode).toBe(200);
    database = "connection refused";
    const down = await app.inject({ url: "/health/ready" });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ status: "unavailable", checks: { database: "connection refused", broker: "ok" } });
    ready = false;
    expect((await app.inject({ url: "/health/ready" })).json()).toEqual({ status: "stopping" });
    expect((await app.inject({ url: "/health/live" })).statusCode).toBe(200);
    await app.close();
  });

  it("serves Prometheus metrics and answers other paths with a problem", async () => {
    const metrics = new Metrics();
    metrics.messagesHandled.add(1, { subscription: "kitchen", type: "payment.captured" });
    const app = buildHealthServer({ ready: () => true, check: async () => ({}), metrics });
    const scrape = await app.inject({ url: "/metrics" });
    expect(scrape.body).toContain('tiffin_messages_handled_total{subscription="kitchen",type="payment.captured"} 1');
    const missing = await app.inject({ url: "/v1/orders" });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers["content-type"]).toContain("application/problem+json");
    await app.close();
  });
});
