/** Structured fields on a log line. Never payloads or secrets: ids, codes, counts, durations. */
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

/**
 * Fields of an error line: LogFields plus `err`. Typed loosely because an index signature of primitives
 * cannot also hold an `unknown` error.
 */
export type ErrorLogFields = Readonly<Record<string, unknown>>;

/** A structured logger; the runtime binds it to pino. One call is one JSON line. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  /** Like `error`, `fields` may carry the error that caused the warning as `err`. */
  warn(message: string, fields?: ErrorLogFields): void;
  /** `fields` may carry the error itself as `err` (logged with its message and stack, never its payload). */
  error(message: string, fields?: ErrorLogFields): void;
  child(fields: LogFields): Logger;
}

/** A logger that drops everything (library default). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
