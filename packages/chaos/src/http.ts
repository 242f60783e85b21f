/** One answer from a process under test; `status` 0 when none came (refused, reset, or past the deadline). */
export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly json: any;
  /** Why there was no answer, when status is 0. */
  readonly error?: string;
}

export interface CallOptions {
  readonly token?: string;
  /** Sent as JSON unless `raw` is given. */
  readonly body?: unknown;
  /** Sent as it is, with `content-type` from `headers` (JSON by default). */
  readonly raw?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * How long the whole answer (headers and body) may take. A stream that is still open then is cut and answered
   * with what arrived so far (`timedOut` in the error), so a call never hangs a scenario.
   */
  readonly deadlineMs?: number;
}

const DEFAULT_DEADLINE_MS = 10_000;

/**
 * One HTTP request with a deadline, for scenarios: never throws, so a refused connection during an outage is an
 * answer (status 0) to count, not an exception to handle.
 */
export async function call(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers["content-type"] ??= "application/json";
  const abort = new AbortController();
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const timer = setTimeout(() => abort.abort(new Error(`timedOut after ${deadlineMs} ms`)), deadlineMs);
  let status = 0;
  let contentType = "";
  let text = "";
  try {
    const response = await fetch(`${baseUrl}${path}`, { method, headers, signal: abort.signal, ...(body === undefined ? {} : { body }) });
    status = response.status;
    contentType = response.headers.get("content-type") ?? "";
    if (response.body !== null) {
      const decoder = new TextDecoder();
      for await (const chunk of response.body) text += decoder.decode(chunk as Uint8Array, { stream: true });
    }
    return { status, contentType, text, json: parse(text) };
  } catch (error) {
    const reason = abort.signal.aborted ? String((abort.signal.reason as Error).message) : error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ""}` : String(error);
    // Headers that came before the deadline cut a stream are still an answer; only "no status at all" is 0.
    return { status, contentType, text, json: parse(text), error: reason };
  } finally {
    clearTimeout(timer);
  }
}

function parse(text: string): unknown {
  try {
    return text === "" ? null : JSON.parse(text);
  } catch {
    return null;
  }
}
