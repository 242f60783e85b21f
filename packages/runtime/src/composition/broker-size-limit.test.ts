import { silentLogger } from "@tiffin/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.js";
import { DEMO_IDS, seedDemoData } from "../seed/demo-data.js";
import { Metrics } from "../telemetry/metrics.js";
import { Platform } from "./platform.js";

let platform: Platform;
beforeAll(async () => {
  // SNS as the broker (never reached: nothing here publishes), stores in memory.
  const config = loadConfig({ TIFFIN_BROKER: "aws", AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: "http://127.0.0.1:9", TIFFIN_PUBLISH_AFTER_COMMIT: "false" });
  platform = await Platform.create(config, { logger: silentLogger, metrics: new Metrics(), inMemory: true });
  await seedDemoData(platform.tiffin);
});
afterAll(() => platform.close());

const order = (line1: string) => ({
  restaurantId: DEMO_IDS.restaurant,
  items: [{ itemId: DEMO_IDS.item, quantity: 1, options: [...DEMO_IDS.options] }],
  deliveryAddress: { lat: 52.521, lng: 13.41, line1 },
});

describe("the configured broker's message size limit at placement", () => {
  it("refuses an order whose order.placed SNS could not carry with ORDER_TOO_LARGE, and takes an ordinary one", async () => {
    const customer = { role: "customer", id: "cust-big" } as const;
    const big = await platform.tiffin.send(customer, { type: "PlaceOrder", idempotencyKey: "big", order: order("x".repeat(300 * 1024)) });
    expect(!big.ok && big.error).toMatchObject({ code: "ORDER_TOO_LARGE", details: { maxBytes: 262_144 } });
    const history = await platform.tiffin.ask(customer, { type: "OrderHistory" });
    expect(history.ok && history.value.items).toEqual([]);
    const fits = await platform.tiffin.send(customer, { type: "PlaceOrder", idempotencyKey: "fits", order: order("Alexanderplatz 1") });
    expect(fits.ok).toBe(true);
  });
});
