import type { Problem } from "./api-types.js";

/** A non-2xx answer of the API, carrying its problem `code` so callers branch on codes. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(`${method} ${path}: ${status} ${problem?.code ?? ""} ${problem?.detail ?? problem?.title ?? ""}`.trim());
  }

  get code(): string | undefined {
    return this.problem?.code;
  }
}

/** Whether `error` is an API answer with one of `codes`. */
export const hasCode = (error: unknown, ...codes: string[]): error is ApiError =>
  error instanceof ApiError && error.code !== undefined && codes.includes(error.code);

/** What a request returned: status, headers and the parsed JSON body. */
export interface ApiResponse<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
}

const REQUEST_TIMEOUT_MS = 15_000;

/** A small JSON client for one principal: every request carries its bearer token (or none for public routes). */
export class TiffinApi {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | null,
  ) {}

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    if (this.token !== null) headers.authorization = `Bearer ${this.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      // A hung server must not stall a bounded run: every call gives up after REQUEST_TIMEOUT_MS.
      signal: options.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    const parsed: unknown = text === "" ? null : JSON.parse(text);
    if (!response.ok) throw new ApiError(method, path, response.status, parsed as Problem | null);
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return (await this.request<T>("GET", path, signal === undefined ? {} : { signal })).body;
  }

  async post<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    return (await this.request<T>("POST", path, { body: body ?? {}, ...(headers === undefined ? {} : { headers }) })).body;
  }

  async put<T>(path: string, body: unknown): Promise<T> {
    return (await this.request<T>("PUT", path, { body })).body;
  }

  /** Opens a server-sent events stream; the caller reads (and cancels) the body. */
  async stream(path: string, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const headers: Record<string, string> = { accept: "text/event-stream" };
    if (this.token !== null) headers.authorization = `Bearer ${this.token}`;
    const response = await fetch(new URL(path, this.baseUrl), { headers, signal });
    if (!response.ok || response.body === null) {
      const text = await response.text();
      throw new ApiError("GET", path, response.status, text === "" ? null : (JSON.parse(text) as Problem));
    }
    return response.body;
  }
}
