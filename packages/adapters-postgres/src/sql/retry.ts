import { wrapSqlError } from "./sql-errors.js";

/** SQLSTATEs after which the whole transaction may simply run again. */
const RETRYABLE = new Set(["40001", "40P01"]);

export const isRetryableSqlError = (error: unknown): boolean => {
  if (typeof error !== "object" || error === null) return false;
  const { code, sqlState } = error as { code?: unknown; sqlState?: unknown };
  return RETRYABLE.has(String(sqlState ?? code));
};

/**
 * Runs `attempt` again after a serialization failure or deadlock, with a short jittered pause, up to `max` times;
 * a driver error that escapes is wrapped as an InfrastructureError.
 */
export async function retryTransaction<T>(attempt: () => Promise<T>, max = 5): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= max || !isRetryableSqlError(error)) throw wrapSqlError(error);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** n));
    }
  }
}
