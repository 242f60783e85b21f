import { type Api, type ApiAnswer, sleep } from "./api.js";

/** The demo catalog's couriers: they go on shift with the seed, so the fleet drives them too (else offers to them time out). */
const DEMO_COURIERS = ["c-anna", "c-ben", "c-chen"];
const MITTE = { lat: 52.52, lng: 13.405 };
/** Couriers report their position this often, well inside dispatch's freshness window. */
const REPORT_EVERY_MS = 30_000;
/**
 * Polls of a 404 before a courier takes their order as gone. Right after an accept the order's view may not show
 * the courier yet (the projection lags, more so while workers crash), so one 404 proves nothing; an order released
 * from the courier (pickup deadline) stays invisible to them for good.
 */
const GONE_AFTER_404S = 30;

export interface FleetStats {
  accepted: number;
  /** Offers another courier or a withdrawal won first (409 OFFER_STALE): expected under load, not a fault. */
  stale: number;
  delivered: number;
  /** Orders a courier held that were cancelled or taken from them before delivery. */
  dropped: number;
  /** Requests that got no answer (a process down) and were tried again (an accept) or on the next round. */
  unanswered: number;
  /** Who picked up each order (a 200 answer): one courier per order, or the platform let two carry it. */
  readonly pickedUpBy: Map<string, Set<string>>;
}

export interface FleetPlan {
  readonly api: Api;
  readonly token: (courierId: string) => Promise<string>;
  /** Couriers besides the demo ones. */
  readonly couriers: number;
  /** How often an idle courier asks for offers and a busy one for its order. */
  readonly pollMs: number;
}

/**
 * Couriers who take one order at a time through the public API: join and go on shift near Mitte, poll for offers,
 * accept the first, pick the order up once it is ready and deliver it. A courier whose order is cancelled (or who
 * can no longer see it) is free again. `stop()` ends every loop and resolves to the fleet's counts.
 */
export async function startFleet(plan: FleetPlan): Promise<{ stop(): Promise<FleetStats> }> {
  const stats: FleetStats = { accepted: 0, stale: 0, delivered: 0, dropped: 0, unanswered: 0, pickedUpBy: new Map() };
  const ids = [...DEMO_COURIERS, ...Array.from({ length: plan.couriers }, (_, i) => `chaos-courier-${i}`)];
  let running = true;
  const tokens = await Promise.all(ids.map((id) => plan.token(id)));
  await Promise.all(ids.map((id, i) => join(plan.api, tokens[i] ?? "", id, i)));
  const loops = ids.map((id, i) => drive(plan, { id, token: tokens[i] ?? "" }, i, stats, () => running));
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return stats;
    },
  };
}

const positionOf = (i: number): { lat: number; lng: number } => ({ lat: MITTE.lat + ((i % 9) - 4) * 0.002, lng: MITTE.lng + ((i % 11) - 5) * 0.002 });

async function join(api: Api, token: string, id: string, i: number): Promise<void> {
  const profile = { name: id, city: "berlin", vehicle: "bicycle", ratePerKm: { amount: 100, currency: "EUR" } };
  await must(api.request("PUT", "/v1/couriers/me", { token, body: profile }), `${id} joins`);
  await must(api.request("PUT", "/v1/couriers/me/location", { token, body: positionOf(i) }), `${id} reports`);
  await must(api.request("PUT", "/v1/couriers/me/availability", { token, body: { available: true } }), `${id} goes on shift`);
}

async function must(answer: Promise<{ status: number; json: unknown }>, what: string): Promise<void> {
  const { status, json } = await answer;
  if (status >= 300) throw new Error(`${what}: ${status} ${JSON.stringify(json)}`);
}

interface Courier {
  readonly id: string;
  readonly token: string;
}

/** The order a courier carries, and how many polls in a row could not see it. */
interface Carrying {
  readonly orderId: string;
  readonly missing: number;
}

async function drive(plan: FleetPlan, courier: Courier, i: number, stats: FleetStats, running: () => boolean): Promise<void> {
  const { api } = plan;
  const { token } = courier;
  let carrying: Carrying | null = null;
  let reportedAt = Date.now();
  // Spread the couriers' polls over the interval.
  await sleep((i * plan.pollMs) / 7 % plan.pollMs);
  while (running()) {
    try {
      if (Date.now() - reportedAt > REPORT_EVERY_MS) {
        await api.request("PUT", "/v1/couriers/me/location", { token, body: positionOf(i) });
        reportedAt = Date.now();
      }
      carrying = carrying === null ? await takeAnOffer(api, token, stats) : await advance(api, courier, carrying, stats);
    } catch {
      stats.unanswered += 1;
    }
    await sleep(plan.pollMs);
  }
}

async function takeAnOffer(api: Api, token: string, stats: FleetStats): Promise<Carrying | null> {
  const offers = await api.request("GET", "/v1/couriers/me/offers", { token });
  const offer = (offers.json?.items as { id: string; orderId: string; token: number }[] | undefined)?.[0];
  if (offer === undefined) return null;
  const accepted = await answered(() => api.request("POST", `/v1/offers/${offer.id}/accept`, { token, body: { token: offer.token } }), stats);
  // Never answered: the accept may have taken, so the courier follows the order until it shows whose it is.
  if (accepted === null || accepted.status === 200) {
    if (accepted !== null) stats.accepted += 1;
    return { orderId: offer.orderId, missing: 0 };
  }
  if (accepted.json?.code === "OFFER_STALE") stats.stale += 1;
  return null;
}

/** How often, and how far apart, a courier sends an unanswered accept again before following the order instead. */
const ACCEPT_TRIES = 60;
const ACCEPT_RETRY_MS = 500;

/**
 * Sends a request until the API answers it (not a 5xx), as a courier's app does with an accept whose reply was lost
 * (the API was killed mid-request): the same accept again gets the offer back if the first one took. Null when the
 * API never answered.
 */
async function answered(send: () => Promise<ApiAnswer>, stats: FleetStats): Promise<ApiAnswer | null> {
  for (let attempt = 0; attempt < ACCEPT_TRIES; attempt += 1) {
    const answer = await send().catch(() => null);
    if (answer !== null && answer.status < 500) return answer;
    stats.unanswered += 1;
    await sleep(ACCEPT_RETRY_MS);
  }
  return null;
}

/** Moves the courier's order one step on; null once the courier is free again. */
async function advance(api: Api, courier: Courier, carrying: Carrying, stats: FleetStats): Promise<Carrying | null> {
  const { orderId } = carrying;
  const { token } = courier;
  const view = await api.request("GET", `/v1/orders/${orderId}`, { token });
  const gone = view.status === 404 && carrying.missing + 1 >= GONE_AFTER_404S;
  if (gone || view.json?.status === "cancelled" || (view.status === 200 && view.json?.courierId !== courier.id)) {
    stats.dropped += 1;
    return null;
  }
  if (view.status === 404) return { orderId, missing: carrying.missing + 1 };
  if (view.status !== 200) return carrying;
  if (view.json.status === "ready") {
    const picked = await api.request("POST", `/v1/orders/${orderId}/picked-up`, { token });
    if (picked.status === 200) stats.pickedUpBy.set(orderId, (stats.pickedUpBy.get(orderId) ?? new Set()).add(courier.id));
    return { orderId, missing: 0 };
  }
  if (view.json.status === "picked_up") {
    const delivered = await api.request("POST", `/v1/orders/${orderId}/delivered`, { token });
    if (delivered.status === 200) {
      stats.delivered += 1;
      return null;
    }
  }
  if (view.json.status === "delivered") {
    // The delivery went through but its answer was lost (the API was killed mid-request).
    stats.delivered += 1;
    return null;
  }
  return { orderId, missing: 0 };
}
