import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type InMemoryApi, demoOrder, inMemoryApi } from "./test-support/in-memory-api.js";

let api: InMemoryApi;
beforeEach(async () => {
  api = await inMemoryApi();
});
afterEach(async () => {
  await api.app.close();
});

const alice = { role: "customer" as const, id: "alice" };
const bob = { role: "customer" as const, id: "bob" };

async function place(key: string | undefined, body: object = demoOrder(), who = alice) {
  return api.app.inject({
    method: "POST",
    url: "/v1/orders",
    headers: { authorization: await api.auth(who), ...(key === undefined ? {} : { "idempotency-key": key }) },
    payload: body,
  });
}

describe("POST /v1/orders", () => {
  it("creates the order priced by the server, with a Location", async () => {
    const response = await place("k-1");
    expect(response.statusCode).toBe(201);
    const view = response.json();
    expect(response.headers.location).toBe(`/v1/orders/${view.id}`);
    expect(view).toMatchObject({ status: "placed", customerId: "alice", courierId: null, total: { amount: 1500, currency: "EUR" } });
    expect(response.headers["idempotent-replayed"]).toBeUndefined();
  });

  it("answers a replay with the same response and Idempotent-Replayed: true", async () => {
    const first = await place("k-2");
    const again = await place("k-2");
    expect(again.statusCode).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.json().id).toBe(first.json().id);
  });

  it("rejects a key reused with another body: 422 IDEMPOTENCY_KEY_REUSED", async () => {
    await place("k-3");
    const reused = await place("k-3", demoOrder(2));
    expect(reused.statusCode).toBe(422);
    expect(reused.headers["content-type"]).toContain("application/problem+json");
    expect(reused.json().code).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("requires the key: 400 IDEMPOTENCY_KEY_MISSING", async () => {
    const response = await place(undefined);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe("IDEMPOTENCY_KEY_MISSING");
  });

  it("turns concurrent duplicates into one order", async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, () => place("k-dup")));
    expect(new Set(responses.map((r) => r.statusCode))).toEqual(new Set([201]));
    expect(new Set(responses.map((r) => r.json().id)).size).toBe(1);
    const history = await api.app.inject({ url: "/v1/orders", headers: { authorization: await api.auth(alice) } });
    expect(history.json().items).toHaveLength(1);
  });

  it("rejects a client-sent total or customer id with 400", async () => {
    for (const extra of [{ total: { amount: 1, currency: "EUR" } }, { customerId: "bob" }]) {
      const response = await place(`k-extra-${Object.keys(extra)[0]}`, { ...demoOrder(), ...extra });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe("VALIDATION_FAILED");
    }
  });

  it("answers menu rule violations with the domain's MENU_* code", async () => {
    const body = { ...demoOrder(), items: [{ itemId: "butter-chicken", quantity: 1, options: [] }] };
    const response = await place("k-menu", body);
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toMatch(/^MENU_/);
  });

  it("is for customers only", async () => {
    const response = await place("k-courier", demoOrder(), { role: "courier", id: "c-anna" } as never);
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe("FORBIDDEN");
  });
});

describe("reading orders", () => {
  it("shows another customer's order as 404 on every route", async () => {
    const id = (await place("k-own")).json().id as string;
    const headers = { authorization: await api.auth(bob) };
    for (const [method, url] of [
      ["GET", `/v1/orders/${id}`],
      ["POST", `/v1/orders/${id}/cancel`],
      ["GET", `/v1/orders/${id}/stream`],
    ] as const) {
      const response = await api.app.inject({ method, url, headers });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json().code).toBe("NOT_FOUND");
    }
    const history = await api.app.inject({ url: "/v1/orders", headers });
    expect(history.json().items).toEqual([]);
  });

  it("lets the owner read and cancel the order", async () => {
    const id = (await place("k-cancel")).json().id as string;
    const headers = { authorization: await api.auth(alice) };
    expect((await api.app.inject({ url: `/v1/orders/${id}`, headers })).json().status).toBe("placed");
    const cancelled = await api.app.inject({ method: "POST", url: `/v1/orders/${id}/cancel`, headers });
    expect(cancelled.statusCode).toBe(202);
    expect(cancelled.json().status).toBe("cancelled");
    const again = await api.app.inject({ method: "POST", url: `/v1/orders/${id}/cancel`, headers });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe("ORDER_INVALID_TRANSITION");
  });

  it("shows the order on its restaurant's board only", async () => {
    await place("k-board");
    const own = await api.app.inject({
      url: "/v1/restaurants/r-curry-house/board",
      headers: { authorization: await api.auth({ role: "restaurant", id: "staff-1", restaurantId: "r-curry-house" }) },
    });
    expect(own.statusCode).toBe(200);
    expect(own.json().items).toHaveLength(1);
    const other = await api.app.inject({
      url: "/v1/restaurants/r-curry-house/board",
      headers: { authorization: await api.auth({ role: "restaurant", id: "staff-2", restaurantId: "r-pizza-nova" }) },
    });
    expect(other.statusCode).toBe(404);
  });
});

describe("delivery radius", () => {
  const admin = { role: "admin" as const, id: "ops" };
  const lisbon = {
    name: "Tasca do Rio",
    cuisine: "portuguese",
    city: "lisbon",
    location: { lat: 38.7223, lng: -9.1393 },
    timeZone: "Europe/Lisbon",
    hours: { mon: [{ opens: "00:00", closes: "24:00" }] },
    prepMinutes: 10,
  };

  it("is set on create (10 km unless given), changed by PATCH, listed in search, and documented", async () => {
    const created = await api.app.inject({ method: "POST", url: "/admin/restaurants", headers: { authorization: await api.auth(admin) }, payload: lisbon });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().deliveryRadiusKm).toBe(10);
    const id = created.json().id as string;
    const patched = await api.app.inject({ method: "PATCH", url: `/v1/restaurants/${id}`, headers: { authorization: await api.auth(admin) }, payload: { deliveryRadiusKm: 3.5 } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().deliveryRadiusKm).toBe(3.5);
    const refused = await api.app.inject({ method: "PATCH", url: `/v1/restaurants/${id}`, headers: { authorization: await api.auth(admin) }, payload: { deliveryRadiusKm: 0 } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe("VALIDATION_FAILED");
    const narrow = await api.app.inject({ method: "POST", url: "/admin/restaurants", headers: { authorization: await api.auth(admin) }, payload: { ...lisbon, name: "Tasca Pequena", deliveryRadiusKm: 1 } });
    expect(narrow.json().deliveryRadiusKm).toBe(1);
    const search = await api.app.inject({ url: "/v1/restaurants?lat=38.7223&lng=-9.1393&open_now=false" });
    expect(search.json().items.map((r: { name: string; deliveryRadiusKm: number }) => [r.name, r.deliveryRadiusKm]).sort()).toEqual([["Tasca Pequena", 1], ["Tasca do Rio", 3.5]]);
    const spec = (await api.app.inject({ url: "/openapi.json" })).json();
    expect(spec.components.schemas.Restaurant.properties.deliveryRadiusKm).toBeDefined();
  });

  it("refuses an order to an address beyond it: 422 DELIVERY_OUT_OF_RANGE, and no order is kept", async () => {
    const response = await place("far-1", { ...demoOrder(), deliveryAddress: { lat: -33.9, lng: 18.4, line1: "Cape Town" } });
    expect(response.statusCode).toBe(422);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect(response.json()).toMatchObject({ code: "DELIVERY_OUT_OF_RANGE", detail: expect.stringContaining("delivers within 10 km") });
    const history = await api.app.inject({ url: "/v1/orders", headers: { authorization: await api.auth(alice) } });
    expect(history.json().items).toEqual([]);
  });
});
