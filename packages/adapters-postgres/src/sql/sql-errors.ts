import { InfrastructureError, InfrastructureErrorCode } from "@tiffin/core";

const SOCKET_ERRORS = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN"]);

function classify(sqlState: string): { code: string; transient: boolean } {
  if (sqlState === "40001" || sqlState === "40P01" || sqlState === "55P03") return { code: InfrastructureErrorCode.Conflict, transient: true };
  if (sqlState === "57014") return { code: InfrastructureErrorCode.Timeout, transient: true };
  if (/^(08|53|58|57P0[1-3])/.test(sqlState)) return { code: InfrastructureErrorCode.Unavailable, transient: true };
  return { code: InfrastructureErrorCode.Unexpected, transient: false };
}

/** A driver error as an InfrastructureError saying whether a retry may help; the SQLSTATE stays on `sqlState`. */
export class SqlError extends InfrastructureError {
  readonly sqlState: string | undefined;
  constructor(message: string, options: { code: string; transient: boolean; sqlState?: string; cause: unknown }) {
    super(options.code, message, { transient: options.transient, cause: options.cause });
    this.sqlState = options.sqlState;
  }
}

/**
 * Wraps what the driver threw (a server error with a SQLSTATE, or a lost connection); anything else, such as an
 * error the caller's own code threw inside a transaction, passes through unchanged.
 */
export function wrapSqlError(error: unknown): unknown {
  if (error instanceof InfrastructureError || typeof error !== "object" || error === null) return error;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = `database: ${typeof message === "string" ? message : String(error)}`;
  // Server errors from either driver carry a severity next to the SQLSTATE; callers' own coded errors do not.
  if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && "severity" in error) {
    return new SqlError(text, { ...classify(code), sqlState: code, cause: error });
  }
  if ((typeof code === "string" && SOCKET_ERRORS.has(code)) || (typeof message === "string" && /Connection terminated|not queryable|connection error/i.test(message))) {
    return new SqlError(text, { code: InfrastructureErrorCode.Unavailable, transient: true, cause: error });
  }
  return error;
}
