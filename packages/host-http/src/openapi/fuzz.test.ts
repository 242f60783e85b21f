import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InMemoryApi, demoOrder, inMemoryApi } from "../test-support/in-memory-api.js";

/**
 * Requests generated from the served OpenAPI document: every documented path, with documented and other methods,
 * hostile path parameters, documented and unknown query parameters, random bodies and content types, and every
 * kind of caller. Each answer must come in time, never be a 5xx, be a problem document with a code when it is an
 * error, and match the document (the in-memory API checks every response against /openapi.json).
 */
const RUNS = Number(process.env.TIFFIN_FUZZ_RUNS ?? 2000);
const TIMEOUT_MS = 5_000;

let api: InMemoryApi;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let paths: [string, Record<string, any>][];
let tokens: string[];
beforeAll(async () => {
  api = await inMemoryApi();
  paths = Object.entries((await api.app.inject({ url: "/openapi.json" })).json().paths);
  tokens = await Promise.all([
    api.auth({ role: "customer", id: "fuzz-customer" }),
    api.auth({ role: "restaurant", id: "fuzz-staff", restaurantId: "r-curry-house" }),
    api.auth({ role: "courier", id: "c-anna" }),
    api.auth({ role: "admin", id: "fuzz-admin" }),
  ]);
});
afterAll(async () => {
  await api.app.close();
});

/** Percent-encodes UTF-8 bytes (a lone surrogate becomes U+FFFD, as a client would send it); raw `%..` stays raw. */
const encode = (text: string): string =>
  /^%[0-9a-z]{2}$/i.test(text) ? text : [...Buffer.from(text, "utf8")].map((byte) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, "0")}`)).join("");

const hostileText = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom("r-curry-house", "butter-chicken", "%zz", "%00", "a%2Fb", "..", "\u0000", "\ud800", "😀", " ", "'; drop table orders;--"),
  fc.integer({ min: 100, max: 2000 }).map((n) => "a".repeat(n)),
  fc.string({ unit: "grapheme", maxLength: 10 }),
);
const json = fc.oneof(
  fc.constant(demoOrder()),
  fc.record({ token: fc.integer({ min: -1, max: 5 }) }),
  fc.record({ lat: fc.double(), lng: fc.double() }),
  fc.record({ available: fc.oneof(fc.boolean(), fc.string()) }),
  fc.jsonValue({ maxDepth: 3 }),
);
const body = fc.oneof(
  fc.constant(undefined),
  json.map((value) => ({ type: "application/json", payload: JSON.stringify(value) })),
  fc.tuple(fc.constantFrom("application/json", "text/plain", "application/xml", "multipart/form-data", "application/x-www-form-urlencoded"), fc.string({ maxLength: 50 })).map(([type, payload]) => ({ type, payload })),
);

describe("fuzzing the API from its OpenAPI document", () => {
  it(`answers ${RUNS} generated requests without a 5xx, a hang, or an error that is not a problem`, async () => {
    const request = fc.record({
      path: fc.integer({ min: 0, max: paths.length - 1 }),
      method: fc.oneof(fc.constant("documented"), fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE")),
      params: fc.array(hostileText, { minLength: 3, maxLength: 3 }),
      query: fc.array(fc.tuple(fc.oneof(fc.constantFrom("lat", "lng", "q", "radius_km", "limit", "cursor", "status", "subscription"), fc.string({ maxLength: 8 })), fc.oneof(fc.string({ maxLength: 8 }), fc.double().map(String))), { maxLength: 3 }),
      auth: fc.oneof(fc.constant(-1), fc.constant(-2), fc.integer({ min: 0, max: 3 })),
      body,
      key: fc.oneof(fc.constant(undefined), fc.string({ maxLength: 10 }), fc.constant("k".repeat(300))),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const [template, operations] = paths[r.path] as [string, Record<string, unknown>];
        const documented = Object.keys(operations)[0]?.toUpperCase() ?? "GET";
        const method = r.method === "documented" ? documented : r.method;
        let index = 0;
        // Stream routes stay open for a real order, so they only get ids that cannot exist.
        const streaming = template.endsWith("/stream");
        const path = template.replace(/\{[^}]+\}/g, () => encode(`${streaming ? "nope-" : ""}${r.params[index++] ?? "x"}`));
        const query = r.query.map(([name, value]) => `${encode(name)}=${encode(value)}`).join("&");
        const headers: Record<string, string> = {};
        if (r.auth >= 0) headers.authorization = tokens[r.auth] ?? "";
        if (r.auth === -2) headers.authorization = "Bearer not-a-token";
        if (r.key !== undefined && r.key !== "") headers["idempotency-key"] = r.key;
        if (r.body !== undefined) headers["content-type"] = r.body.type;
        const answer = await Promise.race([
          api.app.inject({ method: method as "GET", url: query === "" ? path : `${path}?${query}`, headers, ...(r.body === undefined ? {} : { payload: r.body.payload }) }),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms: ${method} ${path}`)), TIMEOUT_MS)),
        ]);
        expect(answer.statusCode, `${method} ${path}?${query}: ${answer.body}`).toBeLessThan(500);
        if (answer.statusCode >= 400) {
          expect(String(answer.headers["content-type"])).toContain("application/problem+json");
          expect(answer.json().code).toMatch(/^[A-Z][A-Z_]+$/);
        }
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: 120_000 },
    );
  }, 180_000);
});
