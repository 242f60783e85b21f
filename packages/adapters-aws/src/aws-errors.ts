import { InfrastructureError, InfrastructureErrorCode } from "@tiffin/core";

interface AwsServiceError {
  readonly name?: string;
  readonly message?: string;
  readonly $fault?: "client" | "server";
  readonly $retryable?: unknown;
}

const THROTTLED = /Throttl|TooManyRequests|RequestLimitExceeded|KmsThrottling/;
const MISSING = /NotFound|NonExistent|QueueDoesNotExist/;

/** True when AWS says the queue or topic does not exist. */
export function isMissingResource(error: unknown): boolean {
  const cause = error instanceof InfrastructureError ? error.cause : error;
  return MISSING.test((cause as AwsServiceError | undefined)?.name ?? "");
}

/**
 * Wraps an SDK error with the action that failed. Server faults, throttling and network errors are transient;
 * other client faults (bad request, missing queue, access denied) are not, and a missing resource is a
 * configuration problem.
 */
export function awsFault(action: string, error: unknown): InfrastructureError {
  if (error instanceof InfrastructureError) return error;
  const aws = (typeof error === "object" && error !== null ? error : {}) as AwsServiceError;
  const name = aws.name ?? "Error";
  const clientFault = aws.$fault === "client" && aws.$retryable === undefined && !THROTTLED.test(name);
  const code = MISSING.test(name)
    ? InfrastructureErrorCode.Misconfigured
    : clientFault
      ? InfrastructureErrorCode.Unexpected
      : InfrastructureErrorCode.Unavailable;
  const detail = aws.message ?? String(error);
  return new InfrastructureError(code, `${action} failed: ${name}: ${detail}`, { transient: !clientFault, cause: error });
}

/** Runs one SDK call, wrapping its failure with `action`. */
export async function aws<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw awsFault(action, error);
  }
}
