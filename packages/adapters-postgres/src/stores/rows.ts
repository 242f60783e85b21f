/** A timestamp column as the ISO string the ports use (drivers return Date; some paths return text). */
export const iso = (value: unknown): string => (value instanceof Date ? value : new Date(String(value))).toISOString();

/** A bigint/integer column as a number (pg returns int8 as text). */
export const num = (value: unknown): number => Number(value);

/** Serializes a value for a `$n::jsonb` parameter the same way on both drivers. */
export const json = (value: unknown): string => JSON.stringify(value);

/** An Error carrying a stable code, for the few failures a port documents as thrown. */
export function codedError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}
