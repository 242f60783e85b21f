import { useEffect, useState } from "preact/hooks";
import type { ApiError } from "../api/problem.js";
import { followEventStream } from "./event-stream.js";

export type StreamState = "connecting" | "open" | "reconnecting" | "ended";

/**
 * Follows an SSE route and keeps the latest `event` payload: the order stream (`order`) or a restaurant's board
 * (`board`). `done` tells the reconnect loop when the server's end of stream is final.
 */
export function useStream<T>(path: string | null, event: string, token: () => string | null, done?: (latest: T) => boolean) {
  const [latest, setLatest] = useState<T | null>(null);
  const [state, setState] = useState<StreamState>("connecting");
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    if (path === null) return;
    let current: T | null = null;
    setLatest(null);
    setError(null);
    setState("connecting");
    return followEventStream({
      url: path,
      token,
      onEvent: (message) => {
        if (message.event !== event) return;
        current = JSON.parse(message.data) as T;
        setLatest(current);
      },
      onState: setState,
      onError: setError,
      isFinished: () => current !== null && done?.(current) === true,
    });
  }, [path, event]);
  return { latest, state, error };
}
