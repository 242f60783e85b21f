import type { LedgerItem, Page, Restaurant } from "./api-types.js";
import { type SimulatorConfig, seededRandom } from "./config.js";
import { CourierAgent } from "./courier.js";
import { runCustomer } from "./customer.js";
import { runKitchen } from "./kitchen.js";
import { followOrder } from "./order-stream.js";
import { Reporter } from "./reporter.js";
import { type Summary, formatSummary, summarize } from "./summary.js";
import { TokenMinter } from "./tokens.js";
import type { TrackedOrder } from "./tracked-order.js";
import { World } from "./world.js";

export interface SimulationResult {
  readonly summary: Summary;
  readonly orders: readonly TrackedOrder[];
  /** Whether the run hit `seconds` before every order settled. */
  readonly timedOut: boolean;
}

export interface SimulationDeps {
  /** The HS256 secret the server verifies tokens with. */
  readonly secret: string;
  readonly reporter?: Reporter;
  /** Ends the run early (e.g. Ctrl+C); the summary is still printed. */
  readonly signal?: AbortSignal;
}

async function discoverRestaurants(world: World): Promise<Restaurant[]> {
  const { centre, radiusKm } = world.config;
  const api = await world.api(null);
  const found = await api.get<Page<Restaurant>>(`/v1/restaurants?lat=${centre.lat}&lng=${centre.lng}&radius_km=${radiusKm}`);
  if (found.items.length === 0) throw new Error(`no open restaurant within ${radiusKm} km of ${centre.lat},${centre.lng}: seed some (tiffin start does)`);
  for (const restaurant of found.items) world.restaurants.set(restaurant.id, restaurant);
  return [...found.items];
}

async function ledgers(world: World): Promise<Map<string, readonly LedgerItem[]>> {
  const admin = await world.api("admin", "sim-admin");
  const result = new Map<string, readonly LedgerItem[]>();
  for (const order of world.orders) {
    const page = await world.guard("ledger", () => admin.get<Page<LedgerItem>>(`/admin/payments/${order.id}`));
    if (page !== undefined) result.set(order.id, page.items);
  }
  return result;
}

/**
 * Runs a bounded simulation against a running Tiffin: `concurrency` customers place `orders` orders in total, one
 * kitchen crew per restaurant found near the centre and the configured couriers serve them, all through the public
 * HTTP API. Ends when every order is settled or after `seconds`, prints a summary and returns it.
 */
export async function runSimulation(config: SimulatorConfig, deps: SimulationDeps): Promise<SimulationResult> {
  const reporter = deps.reporter ?? new Reporter();
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), config.seconds * 1000);
  const onCancel = () => deadline.abort();
  deps.signal?.addEventListener("abort", onCancel, { once: true });
  const world = new World(config, new TokenMinter(deps.secret), reporter, seededRandom(config.seed), deadline.signal);
  try {
    const restaurants = await discoverRestaurants(world);
    reporter.line(
      `simulating ${config.orders} orders by ${config.concurrency} customers at ${restaurants.length} restaurants with ` +
        `${config.couriers.length} couriers against ${config.baseUrl} (seed ${config.seed}, at most ${config.seconds} s)`,
    );
    const stopAgents = new AbortController();
    const agentSignal = AbortSignal.any([deadline.signal, stopAgents.signal]);
    const agents = [
      ...restaurants.map((restaurant) => runKitchen(world, restaurant, agentSignal)),
      ...config.couriers.map((id) => new CourierAgent(world, id, agentSignal).run()),
    ];
    let follower: Promise<void> | null = null;
    const onPlaced = (order: TrackedOrder) => {
      // Not stopped with the agents: the stream polls the read model, so it may show the settled order a moment
      // after the customers saw it; it ends by itself once settled, or at the deadline.
      if (config.follow && follower === null) follower = followOrder(world, order, deadline.signal);
    };
    await Promise.all(Array.from({ length: config.concurrency }, (_, i) => runCustomer(world, `sim-customer-${i + 1}`, onPlaced)));
    stopAgents.abort();
    await Promise.all([...agents, follower]);
    const timedOut = deadline.signal.aborted;
    if (timedOut) reporter.line(deps.signal?.aborted ? "stopped" : `time is up after ${config.seconds} s`);
    const summary = summarize(world.orders, await ledgers(world));
    reporter.print(formatSummary(summary).join("\n"));
    return { summary, orders: world.orders, timedOut };
  } finally {
    clearTimeout(timer);
    deps.signal?.removeEventListener("abort", onCancel);
  }
}
