/**
 * An error answer of the API as the console shows it: the problem+json `code` and `detail` (RFC 9457), never a
 * generic message. Answers that are not problem documents (a proxy's HTML page, a dropped connection) get a code of
 * the console's own so the user still sees what happened.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = "ApiError";
  }
}

/** Reads an error response into an ApiError. */
export async function problemOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { code?: unknown; detail?: unknown; title?: unknown };
    const code = typeof body.code === "string" ? body.code : `HTTP_${response.status}`;
    const detail = typeof body.detail === "string" ? body.detail : typeof body.title === "string" ? body.title : response.statusText;
    return new ApiError(response.status, code, detail);
  } catch {
    return new ApiError(response.status, `HTTP_${response.status}`, text.slice(0, 200) || response.statusText);
  }
}

/** Any thrown value as an ApiError, so every failure is shown the same way. */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, "NETWORK_ERROR", error instanceof Error ? error.message : String(error));
}
