/** One answer of the API: status and parsed JSON body (null when the body is not JSON). */
export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly json: any;
}

/** How long one request may take before the client gives up on it (a hung process must not hang the load). */
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * A thin HTTP client for the public API. A request that gets no answer (connection refused while a process is
 * down, reset by a SIGKILL, or timed out) throws; callers decide whether to retry.
 */
export class Api {
  constructor(private readonly baseUrl: () => string) {}

  async request(method: string, path: string, options: { token: string; body?: unknown; headers?: Record<string, string> }): Promise<ApiAnswer> {
    const headers: Record<string, string> = { authorization: `Bearer ${options.token}`, ...options.headers };
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(`${this.baseUrl()}${path}`, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text === "" ? null : JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: response.status, headers: response.headers, json };
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
