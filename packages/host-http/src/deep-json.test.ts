import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, jsonDepthExceeds } from "./plugins/json-depth.js";
import { type InMemoryApi, inMemoryApi } from "./test-support/in-memory-api.js";

let api: InMemoryApi;
beforeAll(async () => {
  api = await inMemoryApi();
});
afterAll(async () => {
  await api.app.close();
});

/** JSON nested `depth` levels deep: arrays, or objects with one key. */
const nested = (depth: number, arrays: boolean): string => (arrays ? `${"[".repeat(depth)}${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`);

describe("a deeply nested JSON body (found by the reliability suite's fuzzing)", () => {
  for (const [method, url] of [["POST", "/v1/orders"], ["POST", "/v1/restaurants/r-curry-house/menu"], ["PUT", "/v1/restaurants/r-curry-house/menu"]] as const) {
    for (const arrays of [false, true]) {
      it(`is a 400 problem on ${method} ${url} (${arrays ? "arrays" : "objects"}), never a 500`, async () => {
        const headers = { authorization: await api.auth({ role: "admin", id: "deep" }), "idempotency-key": "deep", "content-type": "application/json" };
        const answer = await api.app.inject({ method, url, headers, payload: nested(10_000, arrays) });
        expect(answer.statusCode, answer.body).toBe(400);
        expect(answer.json()).toMatchObject({ code: "VALIDATION_FAILED" });
      });
    }
  }
});

describe("jsonDepthExceeds", () => {
  it("counts arrays and objects, not brackets inside strings", () => {
    expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH, true), MAX_JSON_DEPTH)).toBe(false);
    expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH + 1, false), MAX_JSON_DEPTH)).toBe(true);
    expect(jsonDepthExceeds(JSON.stringify({ note: "[".repeat(100), quoted: '\\"{{{{' }), 2)).toBe(false);
  });
});
