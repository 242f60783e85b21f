import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestOidcIssuer } from "./oidc-issuer.js";
import { TiffinProcess } from "./tiffin-process.js";

const run = randomUUID().slice(0, 8);
const SECRET = `tick-secret-${randomUUID()}-${run}`;
const AUDIENCE = "https://worker.example/tasks/tick";
const SCHEDULER = "scheduler@tiffin-test.iam.gserviceaccount.com";
const ORDER = { restaurantId: "r-curry-house", items: [{ itemId: "dal", quantity: 1 }], deliveryAddress: { lat: 52.52, lng: 13.41 } };

let issuer: TestOidcIssuer;
let tiffin: TiffinProcess;
beforeAll(async () => {
  issuer = await TestOidcIssuer.start();
  // Push delivery: no pull loops, no relay loop; only a tick moves the outbox.
  tiffin = await TiffinProcess.start({
    env: {
      TIFFIN_DELIVERY: "push",
      TIFFIN_TASK_SECRET: SECRET,
      TIFFIN_OIDC_AUDIENCE: AUDIENCE,
      TIFFIN_OIDC_EMAILS: SCHEDULER,
      TIFFIN_OIDC_JWKS_URL: issuer.jwksUrl,
    },
  });
});
afterAll(async () => {
  await tiffin?.dispose();
  await issuer?.close();
});

const tick = (headers: Record<string, string>) => tiffin.request("POST", "/tasks/tick", { headers });

describe("POST /tasks/tick", () => {
  it("refuses callers without valid credentials and runs nothing for them", async () => {
    const customer = await tiffin.token("customer", `cust-tick-${run}`);
    const placed = await tiffin.request("POST", "/v1/orders", { token: customer, body: ORDER, headers: { "idempotency-key": `tick-refused-${run}` } });
    expect(placed.status).toBe(201);

    const refused = [
      [await tick({}), 401, "UNAUTHENTICATED"],
      [await tick({ "x-tiffin-task-secret": `${SECRET}-not` }), 403, "FORBIDDEN"],
      [await tick({ authorization: `Bearer ${await issuer.token(AUDIENCE, "intruder@elsewhere.iam.gserviceaccount.com")}` }), 403, "FORBIDDEN"],
      [await tick({ authorization: `Bearer ${await issuer.token("https://another.example/", SCHEDULER)}` }), 401, "UNAUTHENTICATED"],
      [await tick({ authorization: `Bearer ${await issuer.token(AUDIENCE, SCHEDULER, { issuer: "https://evil.example" })}` }), 401, "UNAUTHENTICATED"],
      [await tick({ authorization: `Bearer ${await tiffin.token("admin", "ops")}` }), 401, "UNAUTHENTICATED"],
    ] as const;
    for (const [answer, status, code] of refused) {
      expect(answer.status, answer.body as string).toBe(status);
      expect(answer.headers.get("content-type")).toContain("application/problem+json");
      expect(answer.json.code).toBe(code);
    }
    // Nothing ran: with no loops and no authorised tick, the order's events are still in the outbox.
    const metrics = await tiffin.request("GET", "/metrics");
    expect(metrics.body).toMatch(/tiffin_outbox_pending(\{[^}]*\})? [1-9]/);
  });

  it("relays the outbox for Cloud Scheduler's OIDC token and for the shared secret, and says what it did", async () => {
    const first = await tick({ authorization: `Bearer ${await issuer.token(AUDIENCE, SCHEDULER)}` });
    expect(first.status, first.body as string).toBe(200);
    expect(first.json).toMatchObject({ drained: true, errors: [] });
    expect(first.json.relayed).toBeGreaterThanOrEqual(1);
    expect(first.json.reconciled).toBeNull();

    const second = await tick({ "x-tiffin-task-secret": SECRET });
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ relayed: 0, timersFired: 0, drained: true });
    const metrics = await tiffin.request("GET", "/metrics");
    expect(metrics.body).toMatch(/tiffin_outbox_pending(\{[^}]*\})? 0/);
  });
});
