/** Structured fields on a log line. Never payloads or secrets: ids, codes, counts, durations. */
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** A structured logger; the runtime binds it to pino. One call is one JSON line. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields & { readonly err?: unknown }): void;
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
