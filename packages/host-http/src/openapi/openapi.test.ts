import { fileURLToPath } from "node:url";
import { lintFromString, loadConfig } from "@redocly/openapi-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InMemoryApi, inMemoryApi } from "../test-support/in-memory-api.js";
import { ResponseConformance } from "../testing/response-conformance.js";

const REDOCLY_CONFIG = fileURLToPath(new URL("../../../../redocly.yaml", import.meta.url));

let api: InMemoryApi;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let document: any;
beforeAll(async () => {
  api = await inMemoryApi();
  document = (await api.app.inject({ url: "/openapi.json" })).json();
});
afterAll(async () => {
  await api.app.close();
});

describe("the served OpenAPI document", () => {
  it("passes Redocly's recommended rules with no error and no warning", async () => {
    const config = await loadConfig({ configPath: REDOCLY_CONFIG });
    const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: "openapi.json", config });
    expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? "?"}`)).toEqual([]);
  });

  it("is OpenAPI 3.1 with named schemas, an operationId per route and the problem schema on every error", () => {
    expect(document.openapi).toBe("3.1.0");
    const names = Object.keys(document.components.schemas);
    expect(names).toEqual(expect.arrayContaining(["Problem", "OrderView", "PlaceOrder", "Menu", "Offer", "Saga", "DeadLetter"]));
    expect(names.filter((name) => /^def-\d+$/.test(name))).toEqual([]);
    const ids = new Set<string>();
    for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, any>>)) { // eslint-disable-line @typescript-eslint/no-explicit-any
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z]+$/);
        ids.add(operation.operationId);
        for (const status of ["400", "500"]) expect(Object.keys(operation.responses), `${method} ${path}`).toContain(status);
        for (const [status, response] of Object.entries(operation.responses as Record<string, any>)) { // eslint-disable-line @typescript-eslint/no-explicit-any
          if (Number(status) < 400 || (path === "/health/ready" && status === "503")) continue;
          expect(response.content, `${method} ${path} ${status}`).toEqual({ "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } });
        }
      }
    }
    expect(ids.size).toBe(Object.values(document.paths).reduce((n: number, ops) => n + Object.keys(ops as object).length, 0));
  });

  it("asks for no token on public routes and a bearer token everywhere else", () => {
    const publicRoutes = ["/health/live", "/health/ready", "/metrics", "/v1/restaurants", "/v1/restaurants/{id}/menu"];
    for (const path of publicRoutes) expect(document.paths[path].get.security, path).toEqual([]);
    expect(document.security).toEqual([{ bearer: [] }]);
    expect(document.paths["/v1/orders"].post.security).toBeUndefined();
    expect(Object.keys(document.paths["/v1/orders"].post.responses).sort()).toEqual(["201", "400", "401", "403", "404", "409", "413", "415", "422", "500", "503"]);
    expect(Object.keys(document.paths["/v1/orders/{id}"].get.responses)).toEqual(expect.arrayContaining(["400", "404", "414"]));
  });

  it("documents the event streams as text/event-stream", () => {
    expect(Object.keys(document.paths["/v1/orders/{id}/stream"].get.responses["200"].content)).toEqual(["text/event-stream"]);
  });
});

describe("the response checker", () => {
  it("reports a wrong body, an undocumented status and a non-problem error", async () => {
    const conformance = await ResponseConformance.of(document);
    const problem = { type: "t", title: "Not Found", status: 404, detail: "d", code: "NOT_FOUND", instance: "/x" };
    expect(conformance.violations({ method: "GET", url: "/v1/orders/o-1", status: 404, contentType: "application/problem+json", body: problem })).toEqual([]);
    expect(conformance.violations({ method: "GET", url: "/v1/orders/o-1", status: 200, contentType: "application/json", body: { id: 1 } })).not.toEqual([]);
    expect(conformance.violations({ method: "GET", url: "/v1/orders/o-1", status: 418, contentType: "application/problem+json", body: problem })).not.toEqual([]);
    expect(conformance.violations({ method: "GET", url: "/v1/orders/o-1", status: 404, contentType: "application/json", body: problem })).not.toEqual([]);
    expect(conformance.violations({ method: "GET", url: "/nowhere", status: 404, contentType: "application/problem+json", body: { code: 1 } })).not.toEqual([]);
  });
});
