import pg from "pg";
import { type Answer, call } from "../http.js";
import { checkInvariants, openReader, settle } from "../invariants.js";
import { type Operation, exampleOf, fillPath, operationsOf } from "../openapi-operations.js";
import type { InvariantResult, Scenario, ScenarioContext } from "../scenario.js";

/**
 * Tenant A is a customer, the staff of one restaurant and one courier (and an admin); tenant B is another customer
 * ordering from another restaurant, whose order is offered to another courier. Every operation of /openapi.json is
 * called as each of A's principals with B's ids in every path parameter, then every table is read as the API role
 * (SET ROLE tiffin_api with A's principal, no WHERE clause). Admins operate every tenant (row-level policy
 * `admin_all`), so for them the sweep checks only that nothing fails.
 */
const RESTAURANT_A = "r-curry-house";
const RESTAURANT_B = "r-pizza-nova";
const COURIER_A = "c-anna";
const COURIERS_B = ["c-ben", "c-chen"];
const ORDER_A = { restaurantId: RESTAURANT_A, items: [{ itemId: "dal", quantity: 1 }], deliveryAddress: { lat: 52.521, lng: 13.41 } };
const ORDER_B = { restaurantId: RESTAURANT_B, items: [{ itemId: "diavola", quantity: 1 }], deliveryAddress: { lat: 52.515, lng: 13.395 } };
/** Authorization refused: the only answers a principal may get for another tenant's resource (or a public one's 200). */
const REFUSED = new Set([403, 404]);

type Role = "customer" | "restaurant" | "courier" | "admin";

interface TenantB {
  readonly customer: string;
  readonly orderId: string;
  readonly courier: string;
  readonly offer: { readonly id: string; readonly token: number };
}

/** What tenant B owns that tenant A must never read: found in an answer or a visible row, it is a leak. */
const privateMarkers = (b: TenantB, role: Role): string[] => [b.orderId, b.customer, b.offer.id, ...(role === "courier" ? [b.courier] : [])];

/** B's id for a path parameter, by the collection it follows (`/v1/orders/{id}` is the order, `/board` the restaurant). */
function idOfB(template: string, name: string, b: TenantB): string {
  if (name === "orderId") return b.orderId;
  if (name === "itemId") return "diavola";
  if (name === "optionId") return "large";
  const collection = template.slice(0, template.indexOf(`{${name}}`)).split("/").filter(Boolean).at(-1);
  switch (collection) {
    case "orders":
    case "sagas":
    case "payments":
      return b.orderId;
    case "offers":
      return b.offer.id;
    case "restaurants":
      return RESTAURANT_B;
    case "couriers":
      return b.courier;
    default:
      return "1";
  }
}

export const tenantSweep: Scenario = {
  name: "tenant-sweep",
  summary: "every route of /openapi.json as tenant A's customer, staff, courier and admin against tenant B's order, board, offer and saga; every table read as the API role",
  defaults: { deadlineMs: 5_000, prepMs: 30_000 },
  reduced: {},
  async run(ctx) {
    // Offers stay open through the sweep. A pickup deadline outlives the delivery until it fires (and finds nothing to
    // do), so a short one lets the timers drain before the end.
    const env = { TIFFIN_KITCHEN: "auto", TIFFIN_KITCHEN_PREP_MS: String(ctx.params.prepMs ?? 30_000), TIFFIN_OFFER_TTL_MS: "3600000", TIFFIN_PICKUP_TIMEOUT_MS: "5000" };
    const api = await ctx.start("serve", { env });
    await ctx.start("work", { env });
    const db = openReader(ctx.databaseUrl);
    try {
      const tokens: Record<Role, string> = {
        customer: await ctx.token("customer", "cust-tenant-a"),
        restaurant: await ctx.token("restaurant", "staff-tenant-a", RESTAURANT_A),
        courier: await ctx.token("courier", COURIER_A),
        admin: await ctx.token("admin", "admin-tenant-a"),
      };
      // A's courier goes off shift, so B's order is offered to one of B's couriers.
      await expectStatus(call(api.url, "PUT", "/v1/couriers/me/availability", { token: tokens.courier, body: { available: false } }), 200, "courier A off shift");
      const orderA = await place(api.url, tokens.customer, ORDER_A, "tenant-a");
      const b = await tenantB(ctx, api.url);
      ctx.log(`tenant B: order ${b.orderId}, offer ${b.offer.id} to ${b.courier}; tenant A's order ${orderA}`);
      await waitForStatus(api.url, await ctx.token("customer", b.customer), b.orderId, "preparing");
      const before = await snapshotOfB(ctx, api.url, b);

      const document = (await call(api.url, "GET", "/openapi.json")).json;
      const operations = operationsOf(document);
      const deadlineMs = ctx.params.deadlineMs ?? 5_000;
      const tally = { requests: 0, refused: 0, publicReads: 0, invalid: 0, admin: 0 };
      const leaks: string[] = [];
      const failures: string[] = [];
      for (const role of ["customer", "restaurant", "courier", "admin"] as const) {
        for (const operation of operations) {
          const path = fillPath(operation.template, (name) => idOfB(operation.template, name, b));
          const { answer, sentBody } = await send(api.url, operation, path, tokens[role], document, b, deadlineMs);
          tally.requests += 1;
          const what = `${role} ${operation.method} ${path}: ${answer.status}`;
          if (answer.status >= 500 || answer.status === 0) failures.push(`${what} ${answer.error ?? answer.text.slice(0, 120)}`);
          if (role === "admin") {
            tally.admin += 1;
            continue;
          }
          // B's ids the request itself carried (a problem's `instance`, say) are the caller's input echoed, not a leak.
          const request = `${path} ${sentBody}`;
          const leaked = privateMarkers(b, role).filter((marker) => answer.text.includes(marker) && !request.includes(marker));
          if (leaked.length > 0) leaks.push(`${what} shows ${leaked.join(", ")}`);
          if (operation.pathParams.length === 0) continue;
          const privatePath = privateMarkers(b, role).some((marker) => path.includes(marker));
          if (REFUSED.has(answer.status)) tally.refused += 1;
          else if (answer.status >= 200 && answer.status < 300 && operation.method === "GET" && !privatePath && leaked.length === 0) tally.publicReads += 1;
          // A body the schema turns away before any handler runs names no one's data; counted, never a leak.
          else if (answer.status === 400 && answer.json?.code === "VALIDATION_FAILED") tally.invalid += 1;
          else leaks.push(`${what} (${answer.json?.code ?? answer.text.slice(0, 80)}), not 403/404`);
        }
        if (role === "courier") {
          // Before the admin's turn (an admin may change B's resources by right), B's must be as they were.
          const after = await snapshotOfB(ctx, api.url, b);
          if (after !== before) leaks.push(`tenant B's resources changed during A's sweep:\n before ${before}\n after  ${after}`);
        }
      }
      const sql = await sqlSweep(ctx.databaseUrl, b);

      // Wind down: each order's courier takes and delivers it, so the shared invariants see both delivered and paid out.
      for (const orderId of [orderA, b.orderId]) await deliver(ctx, api.url, orderId);
      const settledMs = await settle(db, 120_000, ctx.log);
      const invariants: InvariantResult[] = [
        {
          name: "no route answers tenant A with tenant B's data or changes it",
          holds: leaks.length === 0,
          detail: `${tally.requests - tally.admin} requests by A's customer, staff and courier on ${operations.length} operations: ${tally.refused} refused (403/404), ${tally.publicReads} public catalog reads, ${tally.invalid} invalid bodies (400)${leaks.length === 0 ? "" : `; ${leaks.length} leaks: ${leaks.slice(0, 5).join("; ")}`}`,
        },
        {
          name: "no 5xx and no hang on any route, admins included",
          holds: failures.length === 0,
          detail: `${tally.requests} requests (${tally.admin} as admin), each within ${deadlineMs} ms${failures.length === 0 ? "" : `; ${failures.length} failed: ${failures.slice(0, 5).join("; ")}`}`,
        },
        sql,
        ...(await checkInvariants(db)),
      ];
      return {
        load: `${operations.length} operations × 4 roles of tenant A (${tally.requests} requests), B's order, board, offer and saga`,
        faults: "another tenant's ids in every path parameter; SQL as tiffin_api without a WHERE clause",
        invariants,
        figures: {
          requests: tally.requests,
          refused: tally.refused,
          "settled after the deliveries (s)": Math.round(settledMs / 1000),
        },
      };
    } finally {
      await db.end();
    }
  },
};

async function expectStatus(pending: Promise<Answer>, status: number, what: string): Promise<Answer> {
  const answer = await pending;
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${answer.error ?? answer.text}`);
  return answer;
}

async function place(url: string, token: string, order: unknown, key: string): Promise<string> {
  const answer = await expectStatus(call(url, "POST", "/v1/orders", { token, body: order, headers: { "idempotency-key": key } }), 201, `placing ${key}`);
  return answer.json.id as string;
}

/** Places B's order and waits for its offer to one of B's couriers. */
async function tenantB(ctx: ScenarioContext, url: string): Promise<TenantB> {
  const customer = "cust-tenant-b";
  const orderId = await place(url, await ctx.token("customer", customer), ORDER_B, "tenant-b");
  const offer = await offerFor(ctx, url, orderId, COURIERS_B);
  return { customer, orderId, courier: offer.courier, offer: { id: offer.id, token: offer.token } };
}

/** The courier offered `orderId` accepts, waits for the kitchen, picks it up and delivers it. */
async function deliver(ctx: ScenarioContext, url: string, orderId: string): Promise<void> {
  const offer = await offerFor(ctx, url, orderId, [COURIER_A, ...COURIERS_B]);
  const token = await ctx.token("courier", offer.courier);
  await expectStatus(call(url, "POST", `/v1/offers/${offer.id}/accept`, { token, body: { token: offer.token } }), 200, `${offer.courier} accepts ${orderId}`);
  await waitForStatus(url, token, orderId, "ready");
  await expectStatus(call(url, "POST", `/v1/orders/${orderId}/picked-up`, { token }), 200, `${orderId} picked up`);
  await expectStatus(call(url, "POST", `/v1/orders/${orderId}/delivered`, { token }), 200, `${orderId} delivered`);
}

async function waitForStatus(url: string, token: string, orderId: string, status: string): Promise<void> {
  for (let attempt = 0; (await call(url, "GET", `/v1/orders/${orderId}`, { token })).json?.status !== status; attempt += 1) {
    if (attempt > 1200) throw new Error(`order ${orderId} never became ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Waits for the open offer of `orderId` to one of `couriers`. */
async function offerFor(ctx: ScenarioContext, url: string, orderId: string, couriers: readonly string[]): Promise<{ courier: string; id: string; token: number }> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    for (const courier of couriers) {
      const offers = await call(url, "GET", "/v1/couriers/me/offers", { token: await ctx.token("courier", courier) });
      const offer = (offers.json?.items as { id: string; orderId: string; token: number }[] | undefined)?.find((o) => o.orderId === orderId);
      if (offer !== undefined) return { courier, id: offer.id, token: offer.token };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no offer for order ${orderId} to ${couriers.join(" or ")}`);
}

/** What B sees of its own: order, open offer, board and menu; compared before and after A's sweep. */
async function snapshotOfB(ctx: ScenarioContext, url: string, b: TenantB): Promise<string> {
  const view = await call(url, "GET", `/v1/orders/${b.orderId}`, { token: await ctx.token("customer", b.customer) });
  const offers = await call(url, "GET", "/v1/couriers/me/offers", { token: await ctx.token("courier", b.courier) });
  const staff = await ctx.token("restaurant", "staff-tenant-b", RESTAURANT_B);
  const board = await call(url, "GET", `/v1/restaurants/${RESTAURANT_B}/board`, { token: staff });
  const menu = await call(url, "GET", `/v1/restaurants/${RESTAURANT_B}/menu`, { token: staff });
  const { status, paymentStatus, courierId } = view.json ?? {};
  // The kitchen may mark the order ready meanwhile (the worker's doing, not A's): that step alone is no change.
  const preparing = (s: unknown): unknown => (s === "ready" ? "preparing" : s);
  const order = { status: preparing(status), paymentStatus, courierId };
  const boardItems = (board.json?.items as { id: string; status: string }[] | undefined)?.map((item) => ({ id: item.id, status: preparing(item.status) }));
  return JSON.stringify({ order, offers: offers.json?.items, board: boardItems ?? board.json, menu: menu.json });
}

/** Sends one operation: the smallest body its schema accepts (with B's offer token), required query and a key. */
async function send(url: string, operation: Operation, path: string, token: string, document: unknown, b: TenantB, deadlineMs: number): Promise<{ answer: Answer; sentBody: string }> {
  const query = new URLSearchParams(operation.requiredQuery).toString();
  const body = operation.bodySchema === undefined ? undefined : exampleOf(document, operation.bodySchema, (property) => (property === "token" ? b.offer.token : undefined));
  const answer = await call(url, operation.method, query === "" ? path : `${path}?${query}`, {
    token,
    ...(body === undefined ? {} : { body }),
    headers: { "idempotency-key": `sweep-${operation.method}-${path}-${token.slice(-12)}` },
    // A stream of B's order must be refused at once; should it open, the deadline cuts it and the leak check reads it.
    deadlineMs: operation.streaming ? Math.min(deadlineMs, 2_000) : deadlineMs,
  });
  return { answer, sentBody: JSON.stringify(body ?? null) };
}

/** The tables tiffin_api may read, each read without a WHERE clause as A's customer, staff and courier. */
async function sqlSweep(databaseUrl: string, b: TenantB): Promise<InvariantResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const leaks: string[] = [];
  let tables: string[] = [];
  let rowsSeen = 0;
  try {
    tables = (
      await client.query<{ name: string }>(
        `SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS name FROM information_schema.tables
          WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
            AND has_table_privilege('tiffin_api', quote_ident(table_schema) || '.' || quote_ident(table_name), 'SELECT')
          ORDER BY 1`,
      )
    ).rows.map((r) => r.name);
    const principals: [Role, string, string][] = [
      ["customer", "cust-tenant-a", ""],
      ["restaurant", "staff-tenant-a", RESTAURANT_A],
      ["courier", COURIER_A, ""],
    ];
    for (const [role, id, restaurant] of principals) {
      for (const table of tables) {
        await client.query("BEGIN");
        try {
          await client.query("SET LOCAL ROLE tiffin_api");
          await client.query("SELECT set_config('app.principal_role', $1, true), set_config('app.principal_id', $2, true), set_config('app.restaurant_id', $3, true)", [role, id, restaurant]);
          const rows = (await client.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${table} t`)).rows;
          rowsSeen += rows.length;
          const markers = privateMarkers(b, role);
          const foreign = rows.filter((r) => markers.some((marker) => r.row.includes(marker)));
          if (foreign.length === 0) continue;
          leaks.push(`${role} sees ${foreign.length} of B's rows in ${table}`);
        } finally {
          await client.query("ROLLBACK");
        }
      }
    }
  } finally {
    await client.end();
  }
  return {
    name: "as tiffin_api, A's principals see none of B's rows in any table",
    holds: leaks.length === 0,
    detail: `${tables.length} tables readable by tiffin_api × 3 principals, ${rowsSeen} rows visible${leaks.length === 0 ? "" : `; ${leaks.join("; ")}`}`,
  };
}
