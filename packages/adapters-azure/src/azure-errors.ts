import { InfrastructureError, InfrastructureErrorCode } from "@tiffin/core";

interface ServiceBusFault {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly retryable?: boolean;
}

const MISSING = /MessagingEntityNotFound/;
const DENIED = /UnauthorizedAccess/;

/**
 * Wraps an SDK error with the action that failed. The SDK says whether retrying may help (`retryable`); a missing
 * entity or a refused identity is a configuration problem.
 */
export function serviceBusFault(action: string, error: unknown): InfrastructureError {
  if (error instanceof InfrastructureError) return error;
  const fault = (typeof error === "object" && error !== null ? error : {}) as ServiceBusFault;
  const code = fault.code ?? fault.name ?? "Error";
  const misconfigured = MISSING.test(code) || DENIED.test(code);
  const transient = !misconfigured && fault.retryable !== false;
  const detail = fault.message ?? String(error);
  return new InfrastructureError(
    misconfigured ? InfrastructureErrorCode.Misconfigured : transient ? InfrastructureErrorCode.Unavailable : InfrastructureErrorCode.Unexpected,
    `${action} failed: ${code}: ${detail}`,
    { transient, cause: error },
  );
}

/** Runs one SDK call, wrapping its failure with `action`. */
export async function serviceBus<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw serviceBusFault(action, error);
  }
}

/** True when the SDK reports that no session could be locked within the wait (an idle subscription, not a fault). */
export function isNoSessionAvailable(error: unknown): boolean {
  const code = (error as ServiceBusFault | undefined)?.code ?? "";
  return code === "SessionCannotBeLocked" || code === "ServiceTimeout" || code === "OperationTimeout";
}
