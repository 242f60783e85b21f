import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintToken } from "./auth/jwt.js";
import { type InMemoryApi, TEST_SECRET, demoOrder, inMemoryApi } from "./test-support/in-memory-api.js";

let api: InMemoryApi;
beforeAll(async () => {
  api = await inMemoryApi({ bodyLimitBytes: 4096 });
});
afterAll(async () => {
  await api.app.close();
});

const customer = { role: "customer" as const, id: "alice" };

function expectProblem(response: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number, code: string) {
  expect(response.statusCode).toBe(status);
  expect(String(response.headers["content-type"])).toContain("application/problem+json");
  expect(response.json()).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
}

describe("bad requests are 4xx problems, never 5xx", () => {
  it("answers an unknown route with 404 NOT_FOUND", async () => {
    expectProblem(await api.app.inject({ url: "/v1/nope" }), 404, "NOT_FOUND");
  });

  it("answers malformed JSON, wrong types and missing fields with 400 VALIDATION_FAILED", async () => {
    const headers = { authorization: await api.auth(customer), "idempotency-key": "k", "content-type": "application/json" };
    for (const payload of ["{not json", JSON.stringify({ ...demoOrder(), items: "many" }), JSON.stringify({ restaurantId: 7 }), "[]", "null"]) {
      expectProblem(await api.app.inject({ method: "POST", url: "/v1/orders", headers, payload }), 400, "VALIDATION_FAILED");
    }
  });

  it("answers a body over the limit with 413 PAYLOAD_TOO_LARGE", async () => {
    const body = { ...demoOrder(), deliveryAddress: { lat: 52.5, lng: 13.4, line1: "x".repeat(10_000) } };
    const response = await api.app.inject({
      method: "POST",
      url: "/v1/orders",
      headers: { authorization: await api.auth(customer), "idempotency-key": "k-big" },
      payload: body,
    });
    expectProblem(response, 413, "PAYLOAD_TOO_LARGE");
  });

  it("answers an unsupported content type with 415", async () => {
    const response = await api.app.inject({
      method: "POST",
      url: "/v1/orders",
      headers: { authorization: await api.auth(customer), "idempotency-key": "k", "content-type": "application/xml" },
      payload: "<order/>",
    });
    expectProblem(response, 415, "UNSUPPORTED_MEDIA_TYPE");
  });

  it("answers bad query parameters with 400", async () => {
    expectProblem(await api.app.inject({ url: "/v1/restaurants?lat=north&lng=13.4" }), 400, "VALIDATION_FAILED");
    expectProblem(await api.app.inject({ url: "/v1/restaurants?lat=52.5" }), 400, "VALIDATION_FAILED");
  });
});

describe("authentication", () => {
  const now = Math.floor(Date.now() / 1000);
  const sign = (claims: Record<string, unknown>, secret = TEST_SECRET) =>
    new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode(secret));

  it.each([
    ["no header", undefined],
    ["not a bearer token", "Basic abc"],
    ["garbage", "Bearer not.a.jwt"],
  ])("rejects %s with 401 UNAUTHENTICATED", async (_name, authorization) => {
    const headers = authorization === undefined ? {} : { authorization };
    expectProblem(await api.app.inject({ url: "/v1/orders", headers }), 401, "UNAUTHENTICATED");
  });

  it("rejects a wrong signature, an expired token, alg none and unknown roles", async () => {
    const tokens = [
      await sign({ sub: "alice", role: "customer" }, "another-secret-another-secret-another"),
      await sign({ sub: "alice", role: "customer", exp: now - 60 }),
      `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from('{"sub":"alice","role":"admin"}').toString("base64url")}.`,
      await sign({ sub: "alice", role: "system" }),
      await sign({ role: "customer" }),
      await sign({ sub: "staff", role: "restaurant" }),
    ];
    for (const token of tokens) {
      expectProblem(await api.app.inject({ url: "/v1/orders", headers: { authorization: `Bearer ${token}` } }), 401, "UNAUTHENTICATED");
    }
  });

  it("takes identity from the token only", async () => {
    const token = await mintToken(TEST_SECRET, { role: "customer", sub: "carol" });
    const placed = await api.app.inject({
      method: "POST",
      url: "/v1/orders",
      headers: { authorization: `Bearer ${token}`, "idempotency-key": "k-carol", "x-user-id": "dave" },
      payload: demoOrder(),
    });
    expect(placed.json().customerId).toBe("carol");
  });

  it("keeps admin routes for admins", async () => {
    expectProblem(await api.app.inject({ url: "/admin/sagas", headers: { authorization: await api.auth(customer) } }), 403, "FORBIDDEN");
    const admin = await api.app.inject({ url: "/admin/sagas?status=failed", headers: { authorization: await api.auth({ role: "admin", id: "root" }) } });
    expect(admin.statusCode).toBe(200);
    expect(admin.json()).toEqual({ items: [], nextCursor: null });
  });

  it("filters sagas by the unresolved status and refuses an unknown status with a problem", async () => {
    const headers = { authorization: await api.auth({ role: "admin", id: "root" }) };
    const unresolved = await api.app.inject({ url: "/admin/sagas?status=unresolved", headers });
    expect(unresolved.statusCode).toBe(200);
    expect(unresolved.json()).toEqual({ items: [], nextCursor: null });
    expectProblem(await api.app.inject({ url: "/admin/sagas?status=stuck", headers }), 400, "VALIDATION_FAILED");
  });
});

describe("public routes", () => {
  it("lists nearby restaurants nearest first with distances", async () => {
    const response = await api.app.inject({ url: "/v1/restaurants?lat=52.52&lng=13.405&radius_km=5" });
    expect(response.statusCode).toBe(200);
    const items = response.json().items as { distanceKm: number; id: string }[];
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.map((r) => r.distanceKm)).toEqual([...items.map((r) => r.distanceKm)].sort((a, b) => a - b));
    const pizza = await api.app.inject({ url: "/v1/restaurants?lat=52.52&lng=13.405&q=pizza" });
    expect(pizza.json().items.map((r: { id: string }) => r.id)).toEqual(["r-pizza-nova"]);
    // `limit` caps the page: the nearest one only.
    const nearest = await api.app.inject({ url: "/v1/restaurants?lat=52.52&lng=13.405&radius_km=5&limit=1" });
    expect(nearest.statusCode, nearest.body).toBe(200);
    expect(nearest.json().items.map((r: { id: string }) => r.id)).toEqual([items[0]!.id]);
    expectProblem(await api.app.inject({ url: "/v1/restaurants?lat=52.52&lng=13.405&limit=101" }), 400, "VALIDATION_FAILED");
  });

  it("serves a menu tree, and 404 for an unknown restaurant", async () => {
    const menu = await api.app.inject({ url: "/v1/restaurants/r-curry-house/menu" });
    expect(menu.json().categories[0].items[0].optionGroups[0].options.length).toBeGreaterThan(0);
    expectProblem(await api.app.inject({ url: "/v1/restaurants/r-nowhere/menu" }), 404, "NOT_FOUND");
  });

  it("describes every route of the API in /openapi.json and serves /docs", async () => {
    const doc = (await api.app.inject({ url: "/openapi.json" })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ["/v1/orders", "/v1/orders/{id}", "/v1/offers/{id}/accept", "/admin/dead-letters", "/v1/restaurants/{id}/board/stream"]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect((await api.app.inject({ url: "/docs" })).statusCode).toBeLessThan(400);
  });

  it("reports liveness, readiness and Prometheus metrics", async () => {
    expect((await api.app.inject({ url: "/health/live" })).json()).toEqual({ status: "ok" });
    expect((await api.app.inject({ url: "/health/ready" })).json()).toMatchObject({ status: "ok" });
    await api.app.inject({ url: "/v1/restaurants/r-curry-house/menu" });
    const metrics = await api.app.inject({ url: "/metrics" });
    expect(metrics.headers["content-type"]).toContain("text/plain");
    expect(metrics.body).toMatch(/http_server_request_duration_seconds_count\{[^}]*route="\/v1\/restaurants\/:id\/menu"/);
  });
});
