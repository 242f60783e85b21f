import { status } from "@grpc/grpc-js";
import { InfrastructureError, InfrastructureErrorCode } from "@tiffin/core";

// Retrying the same call may succeed (https://cloud.google.com/pubsub/docs/reference/error-codes).
const TRANSIENT = new Set<number>([
  status.UNAVAILABLE,
  status.DEADLINE_EXCEEDED,
  status.RESOURCE_EXHAUSTED,
  status.ABORTED,
  status.INTERNAL,
  status.UNKNOWN,
  status.CANCELLED,
]);

/** The gRPC status code of a client library error, if it has one. */
export const grpcCode = (error: unknown): number | undefined => {
  const cause = error instanceof InfrastructureError ? error.cause : error;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === "number" ? code : undefined;
};

export const isAlreadyExists = (error: unknown): boolean => grpcCode(error) === status.ALREADY_EXISTS;

/**
 * Wraps a Pub/Sub client error with the action that failed. Unavailable, deadline, quota and internal errors are
 * transient; a missing topic or subscription is a configuration problem; invalid arguments and denied permissions
 * are permanent.
 */
export function pubsubFault(action: string, error: unknown): InfrastructureError {
  if (error instanceof InfrastructureError) return error;
  const code = grpcCode(error);
  const transient = code === undefined || TRANSIENT.has(code);
  const errorCode =
    code === status.NOT_FOUND || code === status.PERMISSION_DENIED || code === status.UNAUTHENTICATED
      ? InfrastructureErrorCode.Misconfigured
      : transient
        ? InfrastructureErrorCode.Unavailable
        : InfrastructureErrorCode.Unexpected;
  const detail = error instanceof Error ? error.message : String(error);
  return new InfrastructureError(errorCode, `${action} failed: ${detail}`, { transient, cause: error });
}

/** Runs one client call, wrapping its failure with `action`. */
export async function pubsubCall<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw pubsubFault(action, error);
  }
}
