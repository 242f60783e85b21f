import type { FastifyReply, FastifyRequest } from "fastify";
import type { ChangeFanOut, Refresh } from "./change-fan-out.js";

export interface SseOptions {
  /**
   * How often the streams check for changes they were not told about (a lost announcement); with no view change
   * feed, how often every stream reads.
   */
  readonly safetyPollMs: number;
  /** Comment lines keep proxies from closing an idle stream. */
  readonly heartbeatMs: number;
}

/** What the stream routes share: the open streams, their options, and the fan-out that tells them to read. */
export interface LiveStreams {
  readonly registry: StreamRegistry;
  readonly options: SseOptions;
  readonly fanOut: ChangeFanOut;
}

/** Open event streams, so a stopping server can end them instead of waiting for clients to hang up. */
export class StreamRegistry {
  private readonly open = new Set<() => void>();
  add(end: () => void): () => void {
    this.open.add(end);
    return () => this.open.delete(end);
  }
  endAll(): void {
    for (const end of [...this.open]) end();
  }
}

/** An open `text/event-stream` answer. */
export interface EventStream<T> {
  send(event: string, id: string, data: string): void;
  /** Hands a snapshot to the stream's `onSnapshot`, as a read would. */
  push(snapshot: T): void;
  end(): void;
}

/**
 * Opens a server-sent event stream that reads when told to: `watch` registers the stream's refresh (with the
 * fan-out, which calls it when what the stream shows may have changed) and returns the function that ends the
 * registration. Each read's snapshot goes to `onSnapshot`, which decides what to send. Reading the read model (not
 * a broker subscription) keeps the API stateless: any replica can serve any stream, and it shows exactly what `GET`
 * would. A refresh during a read is not dropped: one more read follows it, so a change committed while a read was
 * under way is always seen. `read` returning null (gone or no longer visible) or failing ends the stream.
 */
export function openEventStream<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  streams: LiveStreams,
  read: () => Promise<T | null>,
  onSnapshot: (snapshot: T) => void,
  watch: (refresh: Refresh) => () => void,
): EventStream<T> {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  let closed = false;
  let reading = false;
  let again = false;
  const end = () => {
    if (closed) return;
    closed = true;
    unwatch();
    clearInterval(heartbeat);
    unregister();
    raw.end();
  };
  const stream: EventStream<T> = {
    send: (event, id, data) => {
      if (!closed) raw.write(`id: ${id}\nevent: ${event}\ndata: ${data}\n\n`);
    },
    push: (snapshot) => {
      if (!closed) onSnapshot(snapshot);
    },
    end,
  };
  const refresh = (): void => {
    if (closed) return;
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    read()
      .then((snapshot) => (snapshot === null ? end() : stream.push(snapshot)))
      .catch(() => end())
      .finally(() => {
        reading = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  };
  const unregister = streams.registry.add(end);
  const unwatch = watch(refresh);
  const heartbeat = setInterval(() => {
    if (!closed) raw.write(": keep-alive\n\n");
  }, streams.options.heartbeatMs);
  request.raw.on("close", end);
  raw.write("retry: 2000\n\n");
  return stream;
}

/**
 * A stream that sends the whole snapshot of a restaurant's orders as one `event: <name>` whenever it changes (the
 * restaurant board); it reads when one of the restaurant's order views changed.
 */
export function streamRestaurantSnapshots<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  streams: LiveStreams,
  watched: { readonly restaurantId: string; readonly since: number },
  event: string,
  read: () => Promise<T | null>,
  first: T,
): void {
  let last = "";
  let sequence = 0;
  const watch = (refresh: Refresh) => streams.fanOut.watchRestaurant(watched.restaurantId, refresh, watched.since);
  const stream = openEventStream(request, reply, streams, read, (snapshot) => {
    const data = JSON.stringify(snapshot);
    if (data === last) return;
    last = data;
    sequence += 1;
    stream.send(event, String(sequence), data);
  }, watch);
  stream.push(first);
}
