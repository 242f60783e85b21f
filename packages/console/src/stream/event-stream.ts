import { createParser } from "eventsource-parser";
import { ApiError, problemOf } from "../api/problem.js";

/** One server-sent event as the console hands it on. */
export interface StreamEvent {
  readonly event: string;
  readonly id: string | undefined;
  readonly data: string;
}

export interface EventStreamOptions {
  readonly url: string;
  /** Read before every (re)connection, so a renewed token is used. */
  readonly token: () => string | null;
  readonly onEvent: (event: StreamEvent) => void;
  /** Connection state, for the "live / reconnecting" badge. */
  readonly onState?: (state: "open" | "reconnecting" | "ended") => void;
  /** A refused stream (401, 403, 404): no retry, the problem is shown. */
  readonly onError?: (error: ApiError) => void;
  /** True when the stream is finished for good once the server closes it (an order that is settled). */
  readonly isFinished?: () => boolean;
  /** Waits between reconnections: doubles from `minRetryMs` up to `maxRetryMs`; the server's `retry:` overrides. */
  readonly minRetryMs?: number;
  readonly maxRetryMs?: number;
  readonly fetchFn?: typeof fetch;
}

/**
 * Follows a server-sent event stream over fetch (EventSource cannot send an Authorization header, and the token
 * must never go into the URL). When the connection drops, or the server ends a stream that is not finished, it
 * reconnects with `Last-Event-ID` set to the last id it saw, so the server resumes after it and no transition is
 * lost or repeated. Returns a function that stops it.
 */
export function followEventStream(options: EventStreamOptions): () => void {
  const abort = new AbortController();
  const minRetry = options.minRetryMs ?? 500;
  const maxRetry = options.maxRetryMs ?? 10_000;
  const fetchFn = options.fetchFn ?? ((...args) => fetch(...args));
  let lastEventId: string | undefined;
  let retryMs = minRetry;
  let serverRetry: number | undefined;

  const connectOnce = async (): Promise<"again" | "stop"> => {
    const token = options.token();
    const response = await fetchFn(options.url, {
      headers: {
        accept: "text/event-stream",
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(lastEventId === undefined ? {} : { "last-event-id": lastEventId }),
      },
      signal: abort.signal,
      cache: "no-store",
    });
    if (!response.ok || response.body === null) {
      const problem = await problemOf(response);
      // Client errors will not heal by retrying; server errors (503 while a database fails over) may.
      if (response.status >= 400 && response.status < 500) {
        options.onError?.(problem);
        return "stop";
      }
      return "again";
    }
    options.onState?.("open");
    retryMs = minRetry;
    const parser = createParser({
      onEvent: (message) => {
        if (message.id !== undefined) lastEventId = message.id;
        options.onEvent({ event: message.event ?? "message", id: message.id, data: message.data });
      },
      onRetry: (ms) => (serverRetry = ms),
    });
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
    return options.isFinished?.() === true ? "stop" : "again";
  };

  const run = async () => {
    while (!abort.signal.aborted) {
      let next: "again" | "stop";
      try {
        next = await connectOnce();
      } catch (error) {
        if (abort.signal.aborted) return;
        next = "again";
        if (error instanceof ApiError) options.onError?.(error);
      }
      if (next === "stop" || abort.signal.aborted) break;
      options.onState?.("reconnecting");
      const wait = serverRetry ?? retryMs;
      retryMs = Math.min(retryMs * 2, maxRetry);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        abort.signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
    options.onState?.("ended");
  };
  void run();
  return () => abort.abort();
}
