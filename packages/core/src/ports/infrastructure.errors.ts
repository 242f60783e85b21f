/** Stable codes for infrastructure faults that adapters throw. */
export const InfrastructureErrorCode = {
  Unavailable: "INFRA_UNAVAILABLE",
  Timeout: "INFRA_TIMEOUT",
  Conflict: "INFRA_CONFLICT",
  Misconfigured: "INFRA_MISCONFIGURED",
  Unexpected: "INFRA_UNEXPECTED",
} as const;

/**
 * An adapter fault, wrapping the vendor's error as `cause`. `transient` says whether retrying the same
 * call may succeed (retry with backoff) or not (fail the step / dead-letter now).
 */
export class InfrastructureError extends Error {
  override readonly name = "InfrastructureError";
  readonly code: string;
  readonly transient: boolean;
  constructor(code: string, message: string, options: { transient: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.transient = options.transient;
  }
}

/** True when an error says that retrying may succeed. Unknown errors are treated as transient. */
export function isTransient(error: unknown): boolean {
  if (typeof error === "object" && error !== null && "transient" in error) {
    return (error as { transient: unknown }).transient === true;
  }
  return true;
}
