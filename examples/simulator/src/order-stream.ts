import type { OrderView } from "./api-types.js";
import { readEvents } from "./sse.js";
import { type TrackedOrder, isSettled } from "./tracked-order.js";
import { type World, sleep } from "./world.js";

/** One printed line per stream event: what the customer's app would redraw. */
export function describeStreamEvent(number: number, view: OrderView): string {
  const courier =
    view.courierId === null
      ? ""
      : ` · courier ${view.courierId}${view.courierPosition === null ? "" : ` at ${view.courierPosition.lat.toFixed(5)},${view.courierPosition.lng.toFixed(5)}`}`;
  return `  stream #${number} | ${view.status} · payment ${view.paymentStatus}${courier}`;
}

/**
 * Follows one order's server-sent events (GET /v1/orders/:id/stream) as its customer and prints every event,
 * until the order is settled, the stream ends, or `signal` aborts. Reconnects (a few times) when the stream drops.
 */
export async function followOrder(world: World, order: TrackedOrder, signal: AbortSignal): Promise<void> {
  const api = await world.api("customer", order.customerId);
  const done = new AbortController();
  const stop = AbortSignal.any([signal, done.signal]);
  world.reporter.line(`following the event stream of order #${order.number} (GET /v1/orders/${order.id}/stream)`);
  for (let attempt = 0; attempt < 3 && !stop.aborted; attempt += 1) {
    await world.guard(`stream of order #${order.number}`, async () => {
      for await (const event of readEvents(await api.stream(`/v1/orders/${order.id}/stream`, stop), stop)) {
        if (event.event !== "order") continue;
        const view = JSON.parse(event.data) as OrderView;
        world.reporter.line(describeStreamEvent(order.number, view));
        if (isSettled(view)) done.abort();
      }
    });
    if (!stop.aborted) await sleep(world.config.pollMs, stop);
  }
}
