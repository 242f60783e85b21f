import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InMemoryApi, demoOrder, inMemoryApi } from "./test-support/in-memory-api.js";

let api: InMemoryApi;
beforeAll(async () => {
  api = await inMemoryApi();
});
afterAll(async () => {
  await api.app.close();
});

const customer = { role: "customer" as const, id: "edge-alice" };
const admin = { role: "admin" as const, id: "root" };

type Injected = { statusCode: number; headers: Record<string, unknown>; json(): unknown };

function expectProblem(response: Injected, status: number, code: string) {
  expect(response.statusCode, JSON.stringify(response.json())).toBe(status);
  expect(String(response.headers["content-type"])).toContain("application/problem+json");
  expect(response.json()).toMatchObject({ status, code });
}

const place = async (body: unknown, key = `edge-${Math.random()}`) =>
  api.app.inject({ method: "POST", url: "/v1/orders", headers: { authorization: await api.auth(customer), "idempotency-key": key }, payload: body as object });

describe("router errors are problems with stable codes", () => {
  it("answers a malformed percent-encoding in a path with 400 VALIDATION_FAILED", async () => {
    const courier = await api.auth({ role: "courier", id: "c-anna" });
    const response = await api.app.inject({ method: "POST", url: "/v1/offers/%zz/accept", headers: { authorization: courier }, payload: { token: 1 } });
    expectProblem(response, 400, "VALIDATION_FAILED");
  });

  it("accepts ids up to 128 characters and refuses longer ones as a 4xx problem", async () => {
    const auth = { authorization: await api.auth(customer) };
    expectProblem(await api.app.inject({ url: `/v1/orders/${"a".repeat(128)}`, headers: auth }), 404, "NOT_FOUND");
    expectProblem(await api.app.inject({ url: `/v1/orders/${"a".repeat(129)}`, headers: auth }), 400, "VALIDATION_FAILED");
    expectProblem(await api.app.inject({ url: `/v1/orders/${"a".repeat(5000)}`, headers: auth }), 414, "URI_TOO_LONG");
  });

  it("answers a known path with another method with 405 and Allow", async () => {
    const response = await api.app.inject({ method: "DELETE", url: "/v1/orders", headers: { authorization: await api.auth(customer) } });
    expectProblem(response, 405, "METHOD_NOT_ALLOWED");
    expect(String(response.headers.allow).split(", ").sort()).toEqual(["GET", "POST"]);
  });

  it("answers text/plain like any other unsupported content type: 415", async () => {
    const response = await api.app.inject({
      method: "POST",
      url: "/v1/orders",
      headers: { authorization: await api.auth(customer), "idempotency-key": "k-text", "content-type": "text/plain" },
      payload: JSON.stringify(demoOrder()),
    });
    expectProblem(response, 415, "UNSUPPORTED_MEDIA_TYPE");
  });

  it("counts router errors in the HTTP metrics", async () => {
    await api.app.inject({ method: "POST", url: "/v1/offers/%zz/decline", payload: { token: 1 } });
    const metrics = (await api.app.inject({ url: "/metrics" })).body;
    expect(metrics).toMatch(/http_server_request_duration_seconds_count\{[^}]*status_code="400"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/http_server_request_duration_seconds_count\{[^}]*route="unmatched"[^}]*status_code="400"/);
  });
});

describe("request edges", () => {
  it("reports a too long Idempotency-Key as IDEMPOTENCY_KEY_TOO_LONG", async () => {
    expectProblem(await place(demoOrder(), "k".repeat(300)), 400, "IDEMPOTENCY_KEY_TOO_LONG");
  });

  it("refuses NUL and lone surrogates in any stored string with VALIDATION_FAILED", async () => {
    for (const line1 of ["a\u0000b", "a\ud800b", "\udc00"]) {
      expectProblem(await place({ ...demoOrder(), deliveryAddress: { lat: 52.52, lng: 13.41, line1 } }), 400, "VALIDATION_FAILED");
    }
    const paired = await place({ ...demoOrder(), deliveryAddress: { lat: 52.52, lng: 13.41, line1: "Straße 1 \ud83c\udf5b" } });
    expect(paired.statusCode).toBe(201);
  });

  it("refuses unknown query parameters with VALIDATION_FAILED", async () => {
    expectProblem(await api.app.inject({ url: "/v1/restaurants?lat=52.52&lng=13.405&radiusKm=3" }), 400, "VALIDATION_FAILED");
    expectProblem(await api.app.inject({ url: "/v1/orders?page=2", headers: { authorization: await api.auth(customer) } }), 400, "VALIDATION_FAILED");
    expectProblem(await api.app.inject({ url: "/health/live?x=1" }), 400, "VALIDATION_FAILED");
  });

  it("answers a replay of an unknown dead letter with 404 NOT_FOUND", async () => {
    const auth = { authorization: await api.auth(admin) };
    expectProblem(await api.app.inject({ method: "POST", url: "/admin/dead-letters/999999/replay", headers: auth }), 404, "NOT_FOUND");
    expectProblem(await api.app.inject({ method: "POST", url: "/admin/dead-letters/abc/replay", headers: auth }), 404, "NOT_FOUND");
  });
});
