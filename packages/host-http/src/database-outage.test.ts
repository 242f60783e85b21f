import { Writable } from "node:stream";
import { InfrastructureError, InfrastructureErrorCode } from "@tiffin/core";
import { createLogger } from "@tiffin/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InMemoryApi, demoOrder, inMemoryApi } from "./test-support/in-memory-api.js";

let api: InMemoryApi;
let outage: InfrastructureError | null = null;
/** What the process logs, as a log shipper reads it: one JSON object per line. */
const logged: Record<string, unknown>[] = [];
const destination = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split("\n").filter(Boolean)) logged.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});
beforeAll(async () => {
  api = await inMemoryApi({
    logger: createLogger({ level: "info", format: "json", destination }),
    unitOfWork: (inner) => ({
      run: (principal, fn) => (outage === null ? inner.run(principal, fn) : Promise.reject(outage)),
    }),
  });
});
afterAll(async () => {
  await api.app.close();
});

const customer = { role: "customer" as const, id: "alice" };

describe("while the database is unreachable", () => {
  it("answers 503 SERVICE_UNAVAILABLE with Retry-After, and the same request succeeds once it is back", async () => {
    const request = async () =>
      api.app.inject({
        method: "POST",
        url: "/v1/orders",
        headers: { authorization: await api.auth(customer), "idempotency-key": "outage-1" },
        payload: demoOrder(),
      });
    outage = new InfrastructureError(InfrastructureErrorCode.Unavailable, "database: terminating connection due to administrator command", { transient: true });
    const refused = await request();
    expect(refused.statusCode).toBe(503);
    expect(String(refused.headers["content-type"])).toContain("application/problem+json");
    expect(refused.headers["retry-after"]).toBe("1");
    expect(refused.json()).toMatchObject({ status: 503, code: "SERVICE_UNAVAILABLE" });

    outage = null;
    const placed = await request();
    expect(placed.statusCode).toBe(201);
  });

  it("answers a fault that is not transient with 500 INTERNAL", async () => {
    outage = new InfrastructureError(InfrastructureErrorCode.Unexpected, "database: permission denied", { transient: false });
    const failed = await api.app.inject({ url: "/v1/orders", headers: { authorization: await api.auth(customer) } });
    outage = null;
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toMatchObject({ code: "INTERNAL" });
    // Logged once, as one line with the stack, not once per layer it passed through.
    const faults = logged.filter((line) => JSON.stringify(line).includes("permission denied"));
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatchObject({ level: "error", msg: "request failed", method: "GET", route: "/v1/orders" });
    expect((faults[0]?.err as { stack?: string }).stack).toContain("permission denied");
  });
});
