import pg from "pg";
import type { InvariantResult } from "./scenario.js";

/**
 * The invariants every scenario checks once the platform settled, read from the outside: SQL as the database owner
 * (no row-level security in the way), never through the platform's own code. The simulated payment and payout
 * providers keep their ledger in `provider_records` (one row per idempotency key; `record.entry` is the money moved).
 */

const TERMINAL_ORDER = ["delivered", "cancelled"];
const ENDED_SAGA = ["completed", "compensated", "failed"];

export interface InvariantOptions {
  /** Dead letters (bus dead letters plus outbox records set aside) the scenario put there on purpose. Default 0. */
  readonly expectedDeadLetters?: number;
  /** Sagas allowed to end `failed` (a refund refused for good needs a person). Default 0. */
  readonly allowedFailedSagas?: number;
}

/** A small pool on a scenario's database, for the checks and for sampling during a run. */
export const openReader = (databaseUrl: string): pg.Pool => new pg.Pool({ connectionString: databaseUrl, max: 2 });

const count = async (db: pg.Pool, sql: string, params: unknown[] = []): Promise<number> =>
  Number((await db.query<{ n: string }>(sql, params)).rows[0]?.n ?? 0);

const ids = async (db: pg.Pool, sql: string, params: unknown[] = []): Promise<string[]> =>
  (await db.query<{ id: string }>(sql, params)).rows.map((r) => r.id);

const some = (list: readonly string[]): string => (list.length === 0 ? "" : `: ${list.slice(0, 5).join(", ")}${list.length > 5 ? ", ..." : ""}`);

const result = (name: string, bad: readonly string[], detail: string): InvariantResult => ({
  name,
  holds: bad.length === 0,
  detail: `${detail}${bad.length === 0 ? "" : `; ${bad.length} violate it${some(bad)}`}`,
});

/** What is still in flight: the checks wait for this to reach zero before judging. */
export async function inFlight(db: pg.Pool): Promise<{ orders: number; sagas: number; outbox: number; bus: number; timers: number }> {
  const row = (
    await db.query<Record<string, string>>(
      `SELECT (SELECT count(*) FROM orders WHERE status <> ALL ($1)) AS orders,
              (SELECT count(*) FROM sagas WHERE status <> ALL ($2)) AS sagas,
              (SELECT count(*) FROM outbox) AS outbox,
              (SELECT count(*) FROM bus_messages) AS bus,
              (SELECT count(*) FROM timers) AS timers`,
      [TERMINAL_ORDER, ENDED_SAGA],
    )
  ).rows[0] ?? {};
  return { orders: Number(row.orders), sagas: Number(row.sagas), outbox: Number(row.outbox), bus: Number(row.bus), timers: Number(row.timers) };
}

/**
 * Waits until nothing is in flight, or `withinMs` passed (a bound so a stuck run ends; the invariants then report
 * what is left). Returns how long it took.
 */
export async function settle(db: pg.Pool, withinMs: number, log: (line: string) => void): Promise<number> {
  const began = Date.now();
  let last = "";
  for (;;) {
    const left = await inFlight(db);
    const line = JSON.stringify(left);
    if (Object.values(left).every((n) => n === 0)) return Date.now() - began;
    if (Date.now() - began > withinMs) {
      log(`not settled after ${withinMs} ms: ${line}`);
      return Date.now() - began;
    }
    if (line !== last) log(`settling: ${line}`);
    last = line;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Ledger entries per order, by kind and party. */
const LEDGER = `
  WITH entries AS (
    SELECT order_id, record->'entry'->>'kind' AS kind, record->'entry'->>'party' AS party, record->'entry'->>'partyId' AS party_id
      FROM provider_records WHERE has_entry)
  SELECT o.id, o.status, o.courier_id,
         count(*) FILTER (WHERE kind = 'charge') AS charges,
         count(*) FILTER (WHERE kind = 'refund') AS refunds,
         count(*) FILTER (WHERE kind = 'payout' AND party = 'restaurant') AS restaurant_payouts,
         count(*) FILTER (WHERE kind = 'payout' AND party = 'courier') AS courier_payouts,
         count(*) FILTER (WHERE kind = 'payout' AND party = 'courier' AND party_id IS DISTINCT FROM o.courier_id) AS foreign_courier_payouts,
         count(*) FILTER (WHERE kind = 'clawback') AS clawbacks
    FROM orders o LEFT JOIN entries e ON e.order_id = o.id
   GROUP BY o.id, o.status, o.courier_id`;

interface LedgerRow {
  id: string;
  status: string;
  charges: string;
  refunds: string;
  restaurant_payouts: string;
  courier_payouts: string;
  foreign_courier_payouts: string;
  clawbacks: string;
}

/** Every invariant of the suite, each with its counts. */
export async function checkInvariants(db: pg.Pool, options: InvariantOptions = {}): Promise<InvariantResult[]> {
  const orders = await count(db, "SELECT count(*) AS n FROM orders");
  const byStatus = (await db.query<{ status: string; n: string }>("SELECT status, count(*) AS n FROM orders GROUP BY status ORDER BY status")).rows;
  const statusLine = byStatus.map((r) => `${r.n} ${r.status}`).join(", ") || "none";
  const ledger = (await db.query<LedgerRow>(LEDGER)).rows;
  const n = (value: string): number => Number(value);
  const charged = ledger.filter((r) => n(r.charges) > 0);
  const cancelledCharged = charged.filter((r) => r.status === "cancelled");
  const delivered = ledger.filter((r) => r.status === "delivered");
  const sagas = (await db.query<{ status: string; n: string }>("SELECT status, count(*) AS n FROM sagas GROUP BY status ORDER BY status")).rows;
  const failedSagas = Number(sagas.find((s) => s.status === "failed")?.n ?? 0);
  const left = await inFlight(db);
  const deadLetters = await count(db, "SELECT (SELECT count(*) FROM bus_dead_letters) + (SELECT count(*) FROM outbox_set_aside) AS n");
  const expectedDead = options.expectedDeadLetters ?? 0;
  const allowedFailed = options.allowedFailedSagas ?? 0;

  return [
    result(
      "every order terminal",
      await ids(db, "SELECT id FROM orders WHERE status <> ALL ($1) ORDER BY id", [TERMINAL_ORDER]),
      `${orders} orders: ${statusLine}`,
    ),
    result(
      "every payment saga ended",
      [
        ...(await ids(db, "SELECT order_id AS id FROM sagas WHERE status <> ALL ($1) ORDER BY order_id", [ENDED_SAGA])),
        ...(failedSagas > allowedFailed ? await ids(db, "SELECT order_id AS id FROM sagas WHERE status = 'failed' ORDER BY order_id") : []),
      ],
      `${sagas.map((s) => `${s.n} ${s.status}`).join(", ") || "none"} (failed allowed: ${allowedFailed})`,
    ),
    result("no charge captured twice", charged.filter((r) => n(r.charges) > 1).map((r) => r.id), `${charged.length} orders charged`),
    result(
      "every cancelled charged order refunded exactly once, no other order refunded",
      ledger.filter((r) => (r.status === "cancelled" && n(r.charges) > 0 ? n(r.refunds) !== 1 : n(r.refunds) !== 0)).map((r) => r.id),
      `${cancelledCharged.length} cancelled after the charge, ${ledger.reduce((s, r) => s + n(r.refunds), 0)} refunds`,
    ),
    result(
      "each delivered order paid out once to its restaurant and once to its courier",
      delivered.filter((r) => n(r.restaurant_payouts) !== 1 || n(r.courier_payouts) !== 1 || n(r.foreign_courier_payouts) !== 0 || n(r.clawbacks) !== 0).map((r) => r.id),
      `${delivered.length} delivered, ${delivered.reduce((s, r) => s + n(r.restaurant_payouts) + n(r.courier_payouts), 0)} payouts`,
    ),
    result(
      "one order per Idempotency-Key",
      await ids(db, IDEMPOTENCY_VIOLATIONS),
      `${await count(db, "SELECT count(*) AS n FROM idempotency_keys")} keys, ${orders} orders`,
    ),
    result(
      "outbox, bus and timers empty",
      Object.entries(left).filter(([name, value]) => name !== "orders" && name !== "sagas" && value > 0).map(([name, value]) => `${value} in ${name}`),
      `outbox ${left.outbox}, bus ${left.bus}, timers ${left.timers}`,
    ),
    result(
      "dead letters only where the scenario put them",
      deadLetters === expectedDead ? [] : await ids(db, "SELECT coalesce(message_id, id::text) || ' (' || subscription || ': ' || reason || ')' AS id FROM bus_dead_letters UNION ALL SELECT 'outbox:' || position || ' (' || reason || ')' FROM outbox_set_aside"),
      `${deadLetters} dead letters, ${expectedDead} expected`,
    ),
  ];
}

/**
 * Orders not claimed by exactly one Idempotency-Key, and keys whose stored answer names an order that does not
 * exist. The key's stored response holds the order it created (a replay answers the same one).
 */
const IDEMPOTENCY_VIOLATIONS = `
  WITH claimed AS (
    SELECT scope || '/' || key AS k, response #>> '{view,id}' AS order_id FROM idempotency_keys WHERE response #>> '{view,id}' IS NOT NULL)
  SELECT 'order ' || o.id || ' has ' || count(c.k) || ' keys' AS id FROM orders o LEFT JOIN claimed c ON c.order_id = o.id GROUP BY o.id HAVING count(c.k) <> 1
  UNION ALL
  SELECT 'key ' || c.k || ' names a missing order' FROM claimed c LEFT JOIN orders o ON o.id = c.order_id WHERE o.id IS NULL`;

/**
 * Samples, while a run goes on, couriers holding more active orders than `allowed` at once (the simulated couriers
 * take one order at a time; the platform must never hand them a second). Stop returns the worst moments seen.
 */
export function sampleCourierLoad(db: pg.Pool, allowed: number, everyMs = 1000): { stop(): Promise<{ samples: number; violations: string[] }> } {
  let samples = 0;
  const violations: string[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const rows = await db
        .query<{ courier_id: string; n: string }>(
          "SELECT courier_id, count(*) AS n FROM orders WHERE courier_id IS NOT NULL AND status <> ALL ($1) GROUP BY courier_id HAVING count(*) > $2",
          [TERMINAL_ORDER, allowed],
        )
        .then((r) => r.rows)
        .catch(() => []);
      samples += 1;
      for (const row of rows) violations.push(`${row.courier_id} held ${row.n}`);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { samples, violations };
    },
  };
}

/**
 * No order carried by two couriers: each order picked up (a 200 answer) by one courier only, and for a delivered
 * order that courier is the one the order names, and so the one paid (see the payout invariant). An order may pass
 * from a courier who missed the pickup deadline to another before pickup; that is reassignment, not two couriers.
 */
export async function oneCourierPerOrder(db: pg.Pool, pickedUpBy: ReadonlyMap<string, ReadonlySet<string>>): Promise<InvariantResult> {
  const named = new Map((await db.query<{ id: string; courier_id: string | null }>("SELECT id, courier_id FROM orders WHERE status = 'delivered'")).rows.map((r) => [r.id, r.courier_id]));
  const bad = [...pickedUpBy].flatMap(([orderId, couriers]) => {
    const [only] = couriers;
    if (couriers.size > 1) return [`${orderId} picked up by ${[...couriers].join(" and ")}`];
    return named.has(orderId) && named.get(orderId) !== only ? [`${orderId} picked up by ${only}, delivered as ${named.get(orderId)}`] : [];
  });
  const reassigned = await count(db, "SELECT count(*) AS n FROM (SELECT order_id FROM offers WHERE status = 'accepted' GROUP BY order_id HAVING count(*) > 1) AS r");
  return result("no order with two couriers", bad, `${pickedUpBy.size} orders picked up, ${reassigned} passed to another courier after a missed pickup deadline`);
}

/** The sampled courier load as an invariant. */
export const courierLoadInvariant = (sampled: { samples: number; violations: string[] }, allowed: number): InvariantResult =>
  result(`no courier with more than ${allowed} order${allowed === 1 ? "" : "s"} at one time`, sampled.violations, `${sampled.samples} samples during the run`);
