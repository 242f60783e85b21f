import { randomUUID } from "node:crypto";
import { PgDatabase, PostgresPublisher } from "@tiffin/adapters-postgres";
import { call } from "../http.js";
import { checkInvariants, openReader, settle } from "../invariants.js";
import { Api } from "../load/api.js";
import { startFleet } from "../load/couriers.js";
import { placeOrders } from "../load/customers.js";
import { platformEnv } from "../platform-env.js";
import type { InvariantResult, Scenario } from "../scenario.js";

/** The topic every order event goes to (the worker's subscriptions hang off it). */
const TOPIC = "tiffin.order-events";

/**
 * The Postgres transport stores a message as string attributes plus a text body (`bus_messages`), so it has no size
 * limit of its own below PostgreSQL's 1 GB per value; the platform's own producers stay far below it (the API takes
 * 64 KB bodies). Oversize here means far beyond anything a producer makes and beyond every cloud broker's limit
 * (SNS and Service Bus 256 KB, Pub/Sub 10 MB).
 */
const OVERSIZE_BYTES = 10 * 1024 * 1024 + 1;

interface Poison {
  readonly kind: string;
  readonly attributes: Record<string, string>;
  readonly body: string;
  /** Whether the platform is meant to dead-letter it; an unknown type is acknowledged and ignored (a newer producer). */
  readonly deadLetter: boolean;
}

const envelope = (type: string, subject: string): Record<string, string> => ({
  specversion: "1.0",
  id: `poison-${randomUUID()}`,
  source: "chaos/poison",
  type,
  time: new Date().toISOString(),
  subject,
});

/**
 * Bad messages on the ordering key (subject) of a real order in flight: its own events queue behind them, so they must
 * be out of the way at once for the order to go on.
 */
function unparseable(order: string): Poison[] {
  const withoutType = envelope("order.ready", order);
  delete withoutType.type;
  return [
    { kind: "malformed envelope (no type)", attributes: withoutType, body: "{}", deadLetter: true },
    { kind: "unsupported specversion", attributes: { ...envelope("order.ready", order), specversion: "0.3" }, body: "{}", deadLetter: true },
    { kind: "body not JSON", attributes: envelope("order.ready", order), body: "{not json", deadLetter: true },
  ];
}

/** Well-formed envelopes of a known or unknown type, once each; they name orders that do not exist, so no real order is touched. */
function wellFormed(): Poison[] {
  const ghost = (): string => `ghost-${randomUUID()}`;
  return [
    { kind: "payload failing the schema", attributes: envelope("order.placed", ghost()), body: JSON.stringify({ customerId: 42, items: "none" }), deadLetter: true },
    { kind: `oversize (${(OVERSIZE_BYTES / 1024 / 1024).toFixed(0)} MB body)`, attributes: envelope("order.placed", ghost()), body: JSON.stringify({ note: "x".repeat(OVERSIZE_BYTES) }), deadLetter: true },
    { kind: "unknown event type", attributes: envelope("order.teleported", ghost()), body: "{}", deadLetter: false },
  ];
}

/** One dead letter as the transport keeps it (`bus_dead_letters`). */
interface Letter {
  readonly message_id: string;
  readonly subscription: string;
  readonly reason: string;
  readonly attempts: number;
}

/**
 * Poison and oversize messages published straight to the Postgres transport, on the ordering keys of orders in
 * flight, while orders keep coming: each must be dead-lettered on its first delivery with a reason, in every
 * subscription it reached, and the orders behind and after it must complete.
 */
export const poison: Scenario = {
  name: "poison",
  summary: "malformed, non-JSON, schema-failing, unknown-type and oversize messages published straight to the transport on the keys of orders in flight",
  defaults: { orders: 200, perSecond: 4, couriers: 12, poisoned: 5, prepMs: 2000, pollMs: 1000, settleWithinMs: 300_000 },
  async run(ctx) {
    const p = ctx.params;
    const env = platformEnv(p);
    const api = await ctx.start("serve", { env });
    await ctx.start("work", { env });
    const db = openReader(ctx.databaseUrl);
    const broker = new PgDatabase({ connectionString: ctx.databaseUrl, maxConnections: 1 });
    try {
      const client = new Api(() => api.url);
      const fleet = await startFleet({ api: client, token: (id) => ctx.token("courier", id), couriers: p.couriers ?? 0, pollMs: p.pollMs ?? 1000 });
      const place = (orders: number, keyPrefix: string): ReturnType<typeof placeOrders> =>
        placeOrders({ api: client, token: (id) => ctx.token("customer", id), orders, perSecond: p.perSecond ?? 1, customers: 20, keyPrefix, withinMs: p.placeWithinMs ?? 300_000 });
      // A few orders first: their ids are the ordering keys the poison sits on.
      const first = await place(p.poisoned ?? 1, "poison-before");
      const keys = [...first.idsByKey.values()].flatMap((ids) => [...ids]);
      const published: Poison[] = [...keys.flatMap((order) => unparseable(order)), ...wellFormed()];
      const publisher = new PostgresPublisher(broker);
      for (const message of published) await publisher.publishEncoded(TOPIC, [{ attributes: message.attributes, body: message.body }]);
      const reached = await fanOut(db, published);
      ctx.log(`published ${published.length} bad messages on ${keys.length} orders' keys; ${reached.size} (message, subscription) deliveries expected`);
      const after = await place((p.orders ?? 0) - keys.length, "poison-after");
      const settleMs = await settle(db, p.settleWithinMs ?? 300_000, ctx.log);
      const couriers = await fleet.stop();

      // Which message each dead letter holds, from the transport's table; what operators see, from the admin API.
      const letters = (await db.query<Letter>("SELECT message_id, subscription, reason, attempts FROM bus_dead_letters ORDER BY id")).rows;
      const viewed = await deadLetterView(api.url, await ctx.token("admin", "chaos-ops"), [...new Set(letters.map((l) => l.subscription))]);
      const unexplained = viewed.filter((v) => v.reason === "");
      const byId = new Map(letters.map((l) => [`${l.message_id}/${l.subscription}`, l]));
      const expected = [...reached.keys()].filter((key) => published.find((m) => key.startsWith(`${m.attributes.id}/`))?.deadLetter === true);
      const missing = expected.filter((key) => byId.get(key) === undefined);
      const late = expected.map((key) => byId.get(key)).filter((l): l is Letter => l !== undefined && (Number(l.attempts) !== 1 || l.reason === ""));
      const ignoredLettered = [...byId.keys()].filter((key) => !expected.includes(key));
      const kinds = published.filter((m, i) => published.findIndex((n) => n.kind === m.kind) === i);
      const reasons = kinds.map((kind) => {
        const letter = letters.find((l) => published.some((m) => m.kind === kind.kind && m.attributes.id === l.message_id));
        return `${kind.kind}: ${letter === undefined ? (kind.deadLetter ? "not dead-lettered" : "acknowledged and ignored") : `"${letter.reason.slice(0, 80)}" after ${letter.attempts}`}`;
      });
      const invariants: InvariantResult[] = [
        {
          name: "each bad message dead-lettered on its first delivery with a reason, in every subscription it reached",
          holds: missing.length === 0 && late.length === 0 && ignoredLettered.length === 0 && viewed.length === letters.length && unexplained.length === 0,
          detail: `${expected.length} expected, ${expected.length - missing.length} found, ${viewed.length} in the admin view with a reason; ${reasons.join("; ")}${missing.length === 0 ? "" : `; missing: ${missing.slice(0, 3).join(", ")}`}${late.length === 0 ? "" : `; not at once or without a reason: ${late.slice(0, 3).map((l) => `${l.message_id} in ${l.subscription} after ${l.attempts}`).join(", ")}`}${ignoredLettered.length === 0 ? "" : `; dead-lettered though meant to be ignored: ${ignoredLettered.join(", ")}`}`,
        },
        {
          name: "every order placed, those behind the poison and after it",
          holds: first.failed.length === 0 && after.failed.length === 0 && first.placed + after.placed === p.orders,
          detail: `${first.placed} before and ${after.placed} after the poison, of ${p.orders}`,
        },
        ...(await checkInvariants(db, { expectedDeadLetters: expected.length })),
      ];
      return {
        load: `${first.placed + after.placed} orders at ${p.perSecond}/s, ${(p.couriers ?? 0) + 3} API couriers`,
        faults: `${published.length} bad messages (${kinds.length} kinds) on ${keys.length} in-flight orders' keys, straight to the transport`,
        invariants,
        figures: { "dead letters": letters.length, "settled after placement (s)": Math.round(settleMs / 1000), "orders delivered by couriers": couriers.delivered },
      };
    } finally {
      await broker.close();
      await db.end();
    }
  },
};

/** `message id/subscription` → subscription, for every subscription the transport's fan-out gave each message to. */
async function fanOut(db: ReturnType<typeof openReader>, messages: readonly Poison[]): Promise<Map<string, string>> {
  const subscriptions = (await db.query<{ name: string; event_types: string[] | null }>("SELECT name, event_types FROM bus_subscriptions WHERE topic = $1", [TOPIC])).rows;
  const reached = new Map<string, string>();
  for (const message of messages) {
    const type = message.attributes.type;
    // The transport's own rule: a subscription filtering by type takes a message whose type it lists or that has none.
    for (const s of subscriptions) if (s.event_types === null || type === undefined || s.event_types.includes(type)) reached.set(`${message.attributes.id}/${s.name}`, s.name);
  }
  return reached;
}

/** Every dead letter of `subscriptions` as the admin API shows it. */
async function deadLetterView(url: string, token: string, subscriptions: readonly string[]): Promise<{ subscription: string; reason: string }[]> {
  const letters: { subscription: string; reason: string }[] = [];
  for (const subscription of subscriptions) {
    const answer = await call(url, "GET", `/admin/dead-letters?subscription=${encodeURIComponent(subscription)}&limit=500`, { token, deadlineMs: 60_000 });
    if (answer.status !== 200) throw new Error(`dead letters of ${subscription}: ${answer.status} ${answer.error ?? answer.text.slice(0, 200)}`);
    letters.push(...(answer.json.items as { subscription: string; reason: string }[]));
  }
  return letters;
}
