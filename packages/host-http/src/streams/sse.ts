import type { FastifyReply, FastifyRequest } from "fastify";

export interface SseOptions {
  /** How often the read model is polled for changes. */
  readonly pollMs: number;
  /** Comment lines keep proxies from closing an idle stream. */
  readonly heartbeatMs: number;
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
  /** Hands a snapshot to the stream's `onSnapshot`, as a poll would. */
  push(snapshot: T): void;
  end(): void;
}

/**
 * Opens a server-sent event stream fed by polling: `read` runs every `pollMs` and each snapshot goes to
 * `onSnapshot`, which decides what to send. Polling the read model (not a broker subscription) keeps the API
 * stateless: any replica can serve any stream, and it shows exactly what `GET` would. `read` returning null
 * (gone or no longer visible) or failing ends the stream.
 */
export function openEventStream<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  registry: StreamRegistry,
  options: SseOptions,
  read: () => Promise<T | null>,
  onSnapshot: (snapshot: T) => void,
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
  let busy = false;
  const end = () => {
    if (closed) return;
    closed = true;
    clearInterval(poll);
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
  const unregister = registry.add(end);
  const poll = setInterval(() => {
    if (busy || closed) return;
    busy = true;
    read()
      .then((snapshot) => (snapshot === null ? end() : stream.push(snapshot)))
      .catch(() => end())
      .finally(() => {
        busy = false;
      });
  }, options.pollMs);
  const heartbeat = setInterval(() => {
    if (!closed) raw.write(": keep-alive\n\n");
  }, options.heartbeatMs);
  request.raw.on("close", end);
  raw.write("retry: 2000\n\n");
  return stream;
}

/** A stream that sends the whole snapshot as one `event: <name>` whenever it changes (the restaurant board). */
export function streamSnapshots<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  registry: StreamRegistry,
  options: SseOptions,
  event: string,
  read: () => Promise<T | null>,
  first: T,
): void {
  let last = "";
  let sequence = 0;
  const stream = openEventStream(request, reply, registry, options, read, (snapshot) => {
    const data = JSON.stringify(snapshot);
    if (data === last) return;
    last = data;
    sequence += 1;
    stream.send(event, String(sequence), data);
  });
  stream.push(first);
}
