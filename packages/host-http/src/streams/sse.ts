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

/**
 * Serves server-sent events by polling: `read` runs every `pollMs`, and whenever the serialised snapshot
 * changes it is sent as one `event: <name>`. Polling the read model (not a broker subscription) keeps the API
 * stateless: any replica can serve any stream, and it shows exactly what `GET` would. `read` returning null
 * (gone or no longer visible) ends the stream.
 */
export function streamSnapshots<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  registry: StreamRegistry,
  options: SseOptions,
  event: string,
  read: () => Promise<T | null>,
  first: T,
): void {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  let last = "";
  let sequence = 0;
  const send = (snapshot: T) => {
    const data = JSON.stringify(snapshot);
    if (data === last) return;
    last = data;
    sequence += 1;
    raw.write(`id: ${sequence}\nevent: ${event}\ndata: ${data}\n\n`);
  };
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
  const unregister = registry.add(end);
  const poll = setInterval(() => {
    if (busy || closed) return;
    busy = true;
    read()
      .then((snapshot) => (snapshot === null ? end() : send(snapshot)))
      .catch(() => end())
      .finally(() => {
        busy = false;
      });
  }, options.pollMs);
  const heartbeat = setInterval(() => raw.write(": keep-alive\n\n"), options.heartbeatMs);
  request.raw.on("close", end);
  raw.write("retry: 2000\n\n");
  send(first);
}
