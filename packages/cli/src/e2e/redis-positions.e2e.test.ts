import { randomUUID } from "node:crypto";
import { connectRedis } from "@tiffin/adapters-redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TiffinProcess, waitFor } from "../testing/index.js";

const REDIS_URL = process.env.TIFFIN_TEST_REDIS_URL ?? "redis://127.0.0.1:6379/15";
const reachable = await connectRedis(REDIS_URL).then(
  (redis) => (redis.disconnect(), true),
  () => false,
);
if (!reachable) console.warn(`Redis positions e2e skipped: no Redis at ${REDIS_URL} (set TIFFIN_TEST_REDIS_URL)`);

const run = randomUUID().slice(0, 8);
/** At the demo's Curry House in Berlin: nearer than any demo courier, so the `nearest` strategy offers it to this one. */
const AT_RESTAURANT = { lat: 52.5232, lng: 13.4115 };

describe.skipIf(!reachable)("courier positions in Redis (TIFFIN_POSITIONS=redis)", () => {
  let tiffin: TiffinProcess;
  beforeAll(async () => {
    tiffin = await TiffinProcess.start({ env: { TIFFIN_POSITIONS: "redis", TIFFIN_REDIS_URL: REDIS_URL, TIFFIN_KITCHEN: "auto", TIFFIN_KITCHEN_PREP_MS: "200" } });
  });
  afterAll(async () => {
    await tiffin?.dispose();
  });

  it("offers the order to the courier who reported nearby, tracks them while they carry it, and stops once delivered", async () => {
    const courierId = `rider-${run}`;
    const courier = await tiffin.token("courier", courierId);
    const joined = await tiffin.request("PUT", "/v1/couriers/me", {
      token: courier,
      body: { name: "Ria", city: "berlin", vehicle: "bicycle", ratePerKm: { amount: 100, currency: "EUR" } },
    });
    expect(joined.status, joined.body as string).toBe(200);
    await tiffin.request("PUT", "/v1/couriers/me/availability", { token: courier, body: { available: true } });
    const ping = (position: { lat: number; lng: number }) => tiffin.request("PUT", "/v1/couriers/me/location", { token: courier, body: position });
    expect((await ping(AT_RESTAURANT)).status).toBe(200);

    const customer = await tiffin.token("customer", `cust-${run}`);
    const order = { restaurantId: "r-curry-house", items: [{ itemId: "butter-chicken", quantity: 1, options: ["hot", "naan"] }], deliveryAddress: { lat: 52.53, lng: 13.42 } };
    const placed = await tiffin.request("POST", "/v1/orders", { token: customer, body: order, headers: { "idempotency-key": `redis-${run}` } });
    expect(placed.status, placed.body as string).toBe(201);
    const orderId = placed.json.id as string;

    const offer = await waitFor("the offer to the courier who reported", async () => {
      const offers = await tiffin.request("GET", "/v1/couriers/me/offers", { token: courier });
      return (offers.json.items as { id: string; orderId: string; token: number }[]).find((o) => o.orderId === orderId);
    });
    expect((await tiffin.request("POST", `/v1/offers/${offer.id}/accept`, { token: courier, body: { token: offer.token } })).status).toBe(200);
    const onTheWay = { lat: 52.525, lng: 13.415 };
    await ping(onTheWay);
    const tracked = await waitFor("the order to show where its courier is", async () => {
      const view = await tiffin.request("GET", `/v1/orders/${orderId}`, { token: customer });
      return view.json.courierId === courierId && view.json.courierPosition?.lat === onTheWay.lat ? view.json : undefined;
    });
    expect(tracked.courierPosition).toEqual(onTheWay);

    await waitFor("the food to be ready", async () => ((await tiffin.request("GET", `/v1/orders/${orderId}`, { token: customer })).json.status === "ready" ? true : undefined));
    expect((await tiffin.request("POST", `/v1/orders/${orderId}/picked-up`, { token: courier })).status).toBe(200);
    expect((await tiffin.request("POST", `/v1/orders/${orderId}/delivered`, { token: courier })).json.status).toBe("delivered");
    await ping({ lat: 52.6, lng: 13.5 });
    const after = await tiffin.request("GET", `/v1/orders/${orderId}`, { token: customer });
    expect(after.json).toMatchObject({ status: "delivered", courierId, courierPosition: null });

    const redis = await connectRedis(REDIS_URL);
    try {
      expect(await redis.hget(`tiffin:positions:courier:${courierId}`, "city")).toBe("berlin");
    } finally {
      redis.disconnect();
    }
    const ready = await tiffin.request("GET", "/health/ready");
    expect(ready.json).toMatchObject({ status: "ok", checks: { positions: "ok" } });
  });
});
