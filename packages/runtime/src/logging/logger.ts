import { trace } from "@opentelemetry/api";
import type { ErrorLogFields, LogFields, Logger } from "@tiffin/core";
import { type DestinationStream, type Logger as PinoLogger, pino } from "pino";
import { PinoPretty } from "pino-pretty";

/** How log lines are written: JSON (one object per line, for containers and log shippers) or for a person. */
export type LogFormat = "json" | "pretty";
/** TIFFIN_LOG_FORMAT: `auto` is pretty when stdout is a terminal, JSON otherwise. */
export const LOG_FORMATS = ["auto", "json", "pretty"] as const;

/** The format for a setting: `auto` follows whether stdout is a terminal. */
export const resolveLogFormat = (setting: (typeof LOG_FORMATS)[number], isTTY: boolean): LogFormat =>
  setting === "auto" ? (isTTY ? "pretty" : "json") : setting;

/** Field names the core passes in camelCase, written in the snake_case every log line uses. */
const RENAMED: Readonly<Record<string, string>> = {
  orderId: "order_id",
  correlationId: "correlation_id",
  causationId: "causation_id",
  messageId: "message_id",
  traceId: "trace_id",
};

/** Never logged even if a caller passes them: credentials and bodies. */
const SECRET_FIELDS = ["authorization", "password", "secret", "token", "jwt", "payload", "body", "data", "cookie"];

function normalise(fields: LogFields | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (fields === undefined) return out;
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (SECRET_FIELDS.includes(name.toLowerCase())) continue;
    out[RENAMED[name] ?? name] = value;
  }
  return out;
}

/** Keeps primitive fields only, so an object passed by mistake never dumps a payload into the log. */
function primitives(fields: ErrorLogFields): LogFields {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === null || ["string", "number", "boolean"].includes(typeof value)) out[name] = value as string | number | boolean | null;
  }
  return out;
}

/** The line's fields plus `err` as an Error (pino writes its type, message and stack). */
function withError(fields: ErrorLogFields | undefined): Record<string, unknown> {
  const { err, ...rest } = fields ?? {};
  const line = normalise(primitives(rest));
  if (err !== undefined) line.err = err instanceof Error ? err : new Error(String(err));
  return line;
}

class PinoAdapter implements Logger {
  constructor(private readonly pino: PinoLogger) {}
  debug(message: string, fields?: LogFields): void {
    this.pino.debug(normalise(fields), message);
  }
  info(message: string, fields?: LogFields): void {
    this.pino.info(normalise(fields), message);
  }
  warn(message: string, fields?: ErrorLogFields): void {
    this.pino.warn(withError(fields), message);
  }
  error(message: string, fields?: ErrorLogFields): void {
    this.pino.error(withError(fields), message);
  }
  child(fields: LogFields): Logger {
    return new PinoAdapter(this.pino.child(normalise(fields)));
  }
}

/**
 * Creates the core Logger on pino, with the active span's `trace_id`: JSON, one line per call, or (`pretty`)
 * pino-pretty's lines for a terminal, written synchronously so they keep their order with other output.
 */
export function createLogger(options: { level: string; format?: LogFormat; name?: string; destination?: DestinationStream; colors?: boolean }): Logger {
  const destination =
    options.format === "pretty"
      ? PinoPretty({
          colorize: options.colors ?? true,
          sync: true,
          translateTime: "SYS:HH:MM:ss.l",
          ignore: "pid,hostname,name",
          singleLine: true,
          ...(options.destination === undefined ? {} : { destination: options.destination as NodeJS.WritableStream }),
        })
      : options.destination;
  const instance = pino(
    {
      level: options.level,
      name: options.name ?? "tiffin",
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // JSON lines carry the level's name; pino-pretty reads the numeric level it knows.
      ...(options.format === "pretty" ? {} : { formatters: { level: (label: string) => ({ level: label }) } }),
      mixin() {
        const span = trace.getActiveSpan();
        return span === undefined ? {} : { trace_id: span.spanContext().traceId };
      },
    },
    destination,
  );
  return new PinoAdapter(instance);
}
