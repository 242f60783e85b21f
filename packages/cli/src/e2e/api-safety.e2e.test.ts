import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HttpAnswer, TiffinProcess } from "../testing/index.js";

/** Makes ids unique per run, so a reused Postgres database (CI) never replays an earlier run's keys. */
const run = randomUUID().slice(0, 8);

const ORDER = {
  restaurantId: "r-pizza-nova",
  items: [{ itemId: "margherita", quantity: 1, options: ["large"] }],
  deliveryAddress: { lat: 52.52, lng: 13.4 },
};

let tiffin: TiffinProcess;
beforeAll(async () => {
  tiffin = await TiffinProcess.start({ env: { TIFFIN_BODY_LIMIT_BYTES: "16384" } });
});
afterAll(async () => {
  await tiffin?.dispose();
});

function expectClientProblem(answer: HttpAnswer, status: number, code?: string) {
  expect(answer.status, answer.body as string).toBe(status);
  expect(answer.headers.get("content-type")).toContain("application/problem+json");
  if (code !== undefined) expect(answer.json.code).toBe(code);
}

const place = async (token: string, key: string | null, body: unknown = ORDER) =>
  tiffin.request("POST", "/v1/orders", { token, body, headers: key === null ? {} : { "idempotency-key": key } });

describe("Idempotency-Key over HTTP", () => {
  it("replays the same request and refuses a reused key with another body", async () => {
    const token = await tiffin.token("customer", `cust-idem-${run}`);
    const first = await place(token, `idem-1-${run}`);
    expect(first.status).toBe(201);
    const replay = await place(token, `idem-1-${run}`);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.json.id).toBe(first.json.id);
    expectClientProblem(await place(token, `idem-1-${run}`, { ...ORDER, items: [{ itemId: "diavola", quantity: 1 }] }), 422, "IDEMPOTENCY_KEY_REUSED");
    expectClientProblem(await place(token, null), 400, "IDEMPOTENCY_KEY_MISSING");
  });

  it("turns 50 concurrent duplicates into one order", async () => {
    const token = await tiffin.token("customer", `cust-burst-${run}`);
    const answers = await Promise.all(Array.from({ length: 50 }, () => place(token, `burst-1-${run}`)));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(201));
    expect(new Set(answers.map((a) => a.json.id)).size).toBe(1);
    const history = await tiffin.request("GET", "/v1/orders", { token });
    expect(history.json.items).toHaveLength(1);
  });
});

describe("tenant isolation", () => {
  it("shows another customer's order as 404 on every route", async () => {
    const owner = await tiffin.token("customer", `cust-owner-${run}`);
    const id = (await place(owner, `iso-1-${run}`)).json.id as string;
    const other = await tiffin.token("customer", `cust-other-${run}`);
    for (const [method, path] of [
      ["GET", `/v1/orders/${id}`],
      ["POST", `/v1/orders/${id}/cancel`],
      ["GET", `/v1/orders/${id}/stream`],
    ] as const) {
      expectClientProblem(await tiffin.request(method, path, { token: other }), 404, "NOT_FOUND");
    }
    const staff = await tiffin.token("restaurant", "staff-x", "r-sushi-ko");
    expectClientProblem(await tiffin.request("GET", `/v1/orders/${id}`, { token: staff }), 404, "NOT_FOUND");
    expectClientProblem(await tiffin.request("POST", `/v1/restaurants/r-sushi-ko/orders/${id}/accept`, { token: staff }), 404);
    const courier = await tiffin.token("courier", "c-nobody");
    expectClientProblem(await tiffin.request("GET", `/v1/orders/${id}`, { token: courier }), 404, "NOT_FOUND");
    expect((await tiffin.request("GET", "/v1/orders", { token: other })).json.items).toEqual([]);
  });
});

describe("hostile input is a 4xx problem, never a 5xx", () => {
  it("rejects malformed bodies, wrong types and huge bodies", async () => {
    const token = await tiffin.token("customer", `cust-hostile-${run}`);
    const headers = { "idempotency-key": `hostile-${run}` };
    const bodies = ["{", "null", "[]", '"order"', JSON.stringify({ ...ORDER, items: [{ itemId: "margherita", quantity: "lots" }] }), JSON.stringify({ ...ORDER, total: { amount: 1, currency: "EUR" } })];
    for (const raw of bodies) expectClientProblem(await tiffin.request("POST", "/v1/orders", { token, raw, headers }), 400, "VALIDATION_FAILED");
    const huge = JSON.stringify({ ...ORDER, deliveryAddress: { lat: 52.5, lng: 13.4, line1: "x".repeat(1_000_000) } });
    expectClientProblem(await tiffin.request("POST", "/v1/orders", { token, raw: huge, headers }), 413, "PAYLOAD_TOO_LARGE");
    expectClientProblem(await tiffin.request("PUT", "/v1/couriers/me/location", { token: await tiffin.token("courier", "c-anna"), body: { lat: 500, lng: 0 } }), 400);
    expectClientProblem(await tiffin.request("GET", "/v1/restaurants?lat=abc&lng=1"), 400);
  });

  it("refuses NUL and lone surrogates before the database sees them", async () => {
    const token = await tiffin.token("customer", `cust-text-${run}`);
    for (const [index, line1] of ["a\u0000b", "a\ud800b"].entries()) {
      const body = { ...ORDER, deliveryAddress: { lat: 52.52, lng: 13.4, line1 } };
      expectClientProblem(await place(token, `text-${index}-${run}`, body), 400, "VALIDATION_FAILED");
    }
    expectClientProblem(await place(token, "k".repeat(300)), 400, "IDEMPOTENCY_KEY_TOO_LONG");
  });

  it("rejects bad JWTs with 401", async () => {
    const good = await tiffin.token("customer", `cust-jwt-${run}`);
    const [header, payload] = good.split(".");
    const forged = `${header}.${Buffer.from(JSON.stringify({ sub: `cust-jwt-${run}`, role: "admin" })).toString("base64url")}.${good.split(".")[2]}`;
    for (const authorization of ["Bearer nope", `Bearer ${header}.${payload}.AAAA`, forged.replace(/^/, "Bearer "), "Token abc", ""]) {
      expectClientProblem(await tiffin.request("GET", "/v1/orders", { headers: { authorization } }), 401, "UNAUTHENTICATED");
    }
  });

  it("stays healthy afterwards", async () => {
    expect((await tiffin.request("GET", "/health/ready")).status).toBe(200);
  });
});
