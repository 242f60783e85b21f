import type { FastifyReply, FastifyRequest } from "fastify";
import { type SseOptions, type StreamRegistry, openEventStream } from "./sse.js";

/** What the order stream needs of a view: its timeline, and whether it is settled. */
interface StreamedView {
  readonly status: string;
  readonly timeline: readonly { readonly status: string }[];
}

/**
 * The order's event stream. Every transition in the view's timeline is its own `event: order` with
 * `id: <its position in the timeline>`, even when the view moved several steps between two reads (the event for a
 * step already passed shows the view with that status and the timeline up to it); other changes (payment status,
 * courier, position) follow as `id: <position>.<n>`. A client reconnecting with `Last-Event-ID` gets what came
 * after that id. The stream ends after the event that shows the order settled, or when the order is no longer
 * visible.
 */
export function streamOrderEvents<V extends StreamedView>(
  request: FastifyRequest,
  reply: FastifyReply,
  registry: StreamRegistry,
  options: SseOptions,
  read: () => Promise<V | null>,
  first: V,
  settled: (view: V) => boolean,
): void {
  const resumeFrom = Number.parseInt(String(request.headers["last-event-id"] ?? "0"), 10);
  let sent = Number.isSafeInteger(resumeFrom) && resumeFrom > 0 ? resumeFrom : 0;
  let changes = 0;
  let last = "";
  const stream = openEventStream(request, reply, registry, options, read, (view) => {
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
    if (settled(view)) stream.end();
  });
  stream.push(first);
}
