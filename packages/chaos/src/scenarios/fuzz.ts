import { type FuzzRequest, ResponseConformance, fuzzAnswerProblem, fuzzRequest } from "@tiffin/host-http/testing";
import fc from "fast-check";
import { call } from "../http.js";
import { checkInvariants, openReader, settle } from "../invariants.js";
import { Api } from "../load/api.js";
import { startFleet } from "../load/couriers.js";
import { platformEnv } from "../platform-env.js";
import type { InvariantResult, Scenario } from "../scenario.js";

/** A cart the demo catalog accepts as it is; the generator sends it whole and mutated. */
const VALID_ORDER = { restaurantId: "r-curry-house", items: [{ itemId: "dal", quantity: 1 }], deliveryAddress: { lat: 52.521, lng: 13.41, line1: "Alexanderplatz 1" } };

/** What the fuzzing saw, by outcome. */
interface Tally {
  sent: number;
  /** Requests no HTTP client can send (a header value with a control character): refused before they leave. */
  unsendable: number;
  byClass: Record<string, number>;
  failures: string[];
  hangs: string[];
  nonConforming: string[];
}

/**
 * Requests generated from the served /openapi.json with fast-check (the API's own fuzz generators: hostile path
 * parameters, wrong types, missing and extra fields, huge and negative numbers, unicode, deep nesting, broken and
 * unsigned JWTs, wrong content types) sent to a running `tiffin serve` with a worker behind it. No 5xx, no answer past
 * the deadline, every error a problem document with a code, every answer as the document says; the orders the valid
 * carts placed are delivered like any other.
 */
export const fuzz: Scenario = {
  name: "fuzz",
  summary: "requests generated from /openapi.json (wrong types, missing and extra fields, huge numbers, unicode, deep nesting, bad JWTs, wrong content types) against a running tiffin serve",
  defaults: { requests: 10_000, concurrency: 8, deadlineMs: 10_000, seed: 20261202, couriers: 6, prepMs: 2000, pollMs: 1000, settleWithinMs: 300_000 },
  async run(ctx) {
    const p = ctx.params;
    const env = platformEnv(p);
    const api = await ctx.start("serve", { env });
    await ctx.start("work", { env });
    const db = openReader(ctx.databaseUrl);
    try {
      const document = (await call(api.url, "GET", "/openapi.json")).json;
      const conformance = await ResponseConformance.of(document);
      const authorizations = await Promise.all([
        ctx.token("customer", "fuzz-customer"),
        ctx.token("restaurant", "fuzz-staff", "r-curry-house"),
        ctx.token("courier", "fuzz-courier"),
        ctx.token("admin", "fuzz-admin"),
      ]);
      const target = { paths: Object.entries<Record<string, unknown>>(document.paths), authorizations: authorizations.map((t) => `Bearer ${t}`), validOrder: VALID_ORDER };
      // Couriers deliver whatever valid orders the fuzzing placed, so the run ends with every order terminal.
      const fleet = await startFleet({ api: new Api(() => api.url), token: (id) => ctx.token("courier", id), couriers: p.couriers ?? 0, pollMs: p.pollMs ?? 1000 });
      const requests = fc.sample(fuzzRequest(target), { numRuns: p.requests ?? 0, seed: p.seed ?? 1 });
      const tally: Tally = { sent: 0, unsendable: 0, byClass: {}, failures: [], hangs: [], nonConforming: [] };
      const deadlineMs = p.deadlineMs ?? 10_000;
      const began = Date.now();
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < requests.length) {
          const request = requests[next++] as FuzzRequest;
          await fire(api.url, request, deadlineMs, conformance, tally);
        }
      };
      await Promise.all(Array.from({ length: p.concurrency ?? 1 }, () => worker()));
      const fuzzMs = Date.now() - began;
      ctx.log(`${tally.sent} requests in ${fuzzMs} ms: ${JSON.stringify(tally.byClass)}; settling`);
      const ready = await call(api.url, "GET", "/health/ready");
      const settleMs = await settle(db, p.settleWithinMs ?? 300_000, ctx.log);
      const couriers = await fleet.stop();
      const some = (list: readonly string[]): string => (list.length === 0 ? "" : `; ${list.length}: ${list.slice(0, 3).join(" | ")}`);
      const invariants: InvariantResult[] = [
        { name: "no 5xx, and every error a problem document with a code", holds: tally.failures.length === 0, detail: `${tally.sent} answers${some(tally.failures)}` },
        { name: "no hang: every answer within the deadline", holds: tally.hangs.length === 0, detail: `deadline ${deadlineMs} ms per request${some(tally.hangs)}` },
        { name: "every answer as /openapi.json documents it", holds: tally.nonConforming.length === 0, detail: `status, media type and body schema checked${some(tally.nonConforming)}` },
        { name: "the API still ready afterwards", holds: ready.status === 200 && api.running && api.starts === 1, detail: `/health/ready ${ready.status}, started ${api.starts} time(s)` },
        ...(await checkInvariants(db)),
      ];
      return {
        load: `${tally.sent} generated requests (seed ${p.seed}), ${p.concurrency} at a time, over ${Object.keys(document.paths).length} paths`,
        faults: "hostile input on every route: wrong types, missing and extra fields, huge and negative numbers, unicode, deep nesting, broken and unsigned JWTs, wrong content types",
        invariants,
        figures: {
          "answers by class": Object.entries(tally.byClass).sort().map(([k, n]) => `${k}: ${n}`).join(", "),
          "requests per second": Math.round((tally.sent * 1000) / Math.max(1, fuzzMs)),
          "unsendable (refused by the HTTP client)": tally.unsendable,
          "orders placed by valid carts": (await db.query<{ n: string }>("SELECT count(*) AS n FROM orders")).rows[0]?.n ?? 0,
          "settled after the fuzzing (s)": Math.round(settleMs / 1000),
          "orders delivered by couriers": couriers.delivered,
        },
      };
    } finally {
      await db.end();
    }
  },
};

async function fire(url: string, request: FuzzRequest, deadlineMs: number, conformance: ResponseConformance, tally: Tally): Promise<void> {
  const what = `${request.method} ${request.url.slice(0, 120)}`;
  // fetch sends no body with GET or HEAD; such a request goes without it (the API reads none there anyway).
  const payload = request.method === "GET" || request.method === "HEAD" ? undefined : request.payload;
  const answer = await call(url, request.method, request.url, { headers: request.headers, ...(payload === undefined ? {} : { raw: payload }), deadlineMs });
  if (answer.status === 0) {
    if (answer.error?.startsWith("timedOut")) tally.hangs.push(what);
    // fetch refuses header values no HTTP/1.1 client may send; the server never sees those.
    else if (/header|ByteString|Invalid character/i.test(answer.error ?? "")) tally.unsendable += 1;
    else tally.failures.push(`${what}: no answer (${answer.error})`);
    return;
  }
  tally.sent += 1;
  const klass = `${Math.floor(answer.status / 100)}xx`;
  tally.byClass[klass] = (tally.byClass[klass] ?? 0) + 1;
  const problem = fuzzAnswerProblem({ status: answer.status, contentType: answer.contentType, body: answer.text });
  if (problem !== null) tally.failures.push(`${what}: ${problem} ${answer.text.slice(0, 120)}`);
  const violations = conformance.violations({ method: request.method, url: request.url, status: answer.status, contentType: answer.contentType || null, body: answer.json ?? answer.text });
  if (violations.length > 0) tally.nonConforming.push(violations[0] ?? what);
}
