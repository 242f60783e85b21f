import { type OrderStatus, isTerminal } from "@tiffin/core";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { OrderWatch, Refresh } from "./change-fan-out.js";
import { type LiveStreams, openEventStream } from "./sse.js";

/** What the order stream needs of a view: its timeline, whether it is settled, and whether a courier carries it. */
interface StreamedView {
  readonly status: OrderStatus;
  readonly timeline: readonly { readonly status: string }[];
  readonly courierId: string | null;
}

/**
 * The order's event stream. Every transition in the view's timeline is its own `event: order` with
 * `id: <its position in the timeline>`, even when the view moved several steps between two reads (the event for a
 * step already passed shows the view with that status and the timeline up to it); other changes (payment status,
 * courier, position) follow as `id: <position>.<n>`. A client reconnecting with `Last-Event-ID` gets what came
 * after that id. The stream ends after the event that shows the order settled, or when the order is no longer
 * visible. It reads when the order's view changed (see `ChangeFanOut`), and at every safety poll while a courier
 * carries the order: their position is shown with the view but changes without it.
 */
export function streamOrderEvents<V extends StreamedView>(
  request: FastifyRequest,
  reply: FastifyReply,
  streams: LiveStreams,
  watched: { readonly orderId: string; readonly since: number },
  read: () => Promise<V | null>,
  first: V,
  settled: (view: V) => boolean,
): void {
  const resumeFrom = Number.parseInt(String(request.headers["last-event-id"] ?? "0"), 10);
  let sent = Number.isSafeInteger(resumeFrom) && resumeFrom > 0 ? resumeFrom : 0;
  let changes = 0;
  let last = "";
  let watch: OrderWatch | undefined;
  const register = (refresh: Refresh) => {
    watch = streams.fanOut.watchOrder(watched.orderId, refresh, watched.since);
    return () => watch?.close();
  };
  const stream = openEventStream(request, reply, streams, read, (view) => {
    const data = JSON.stringify(view);
    if (view.timeline.length > sent) {
      for (let index = sent; index < view.timeline.length; index += 1) {
        const step = index === view.timeline.length - 1 ? view : { ...view, status: view.timeline[index]?.status, timeline: view.timeline.slice(0, index + 1) };
        stream.send("order", String(index + 1), JSON.stringify(step));
      }
      sent = view.timeline.length;
      changes = 0;
    } else if (data !== last) {
      changes += 1;
      stream.send("order", `${sent}.${changes}`, data);
    }
    last = data;
    if (watch) watch.live = view.courierId !== null && !isTerminal(view.status);
    if (settled(view)) stream.end();
  }, register);
  stream.push(first);
}
