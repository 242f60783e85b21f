import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InMemoryApi, demoOrder, inMemoryApi } from "../test-support/in-memory-api.js";
import { type FuzzTarget, fuzzAnswerProblem, fuzzRequest } from "./fuzz-requests.js";

/**
 * Requests generated from the served OpenAPI document (see fuzz-requests.ts). Each answer must come in time, never be
 * a 5xx, be a problem document with a code when it is an error, and match the document (the in-memory API checks
 * every response against /openapi.json).
 */
const RUNS = Number(process.env.TIFFIN_FUZZ_RUNS ?? 2000);
const TIMEOUT_MS = 5_000;

let api: InMemoryApi;
let target: FuzzTarget;
beforeAll(async () => {
  api = await inMemoryApi();
  const authorizations = await Promise.all([
    api.auth({ role: "customer", id: "fuzz-customer" }),
    api.auth({ role: "restaurant", id: "fuzz-staff", restaurantId: "r-curry-house" }),
    api.auth({ role: "courier", id: "c-anna" }),
    api.auth({ role: "admin", id: "fuzz-admin" }),
  ]);
  target = { paths: Object.entries((await api.app.inject({ url: "/openapi.json" })).json().paths), authorizations, validOrder: demoOrder() };
});
afterAll(async () => {
  await api.app.close();
});

describe("fuzzing the API from its OpenAPI document", () => {
  it(`answers ${RUNS} generated requests without a 5xx, a hang, or an error that is not a problem`, async () => {
    await fc.assert(
      fc.asyncProperty(fuzzRequest(target), async (request) => {
        const answer = await Promise.race([
          api.app.inject({ method: request.method as "GET", url: request.url, headers: request.headers, ...(request.payload === undefined ? {} : { payload: request.payload }) }),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms: ${request.method} ${request.url}`)), TIMEOUT_MS)),
        ]);
        const problem = fuzzAnswerProblem({ status: answer.statusCode, contentType: String(answer.headers["content-type"] ?? ""), body: answer.body });
        expect(problem, `${request.method} ${request.url}: ${answer.body}`).toBeNull();
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: 120_000 },
    );
  }, 180_000);
});
