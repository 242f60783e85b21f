import { type Context, ROOT_CONTEXT, context, defaultTextMapGetter, defaultTextMapSetter, trace } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import type { CloudEvent } from "@tiffin/core";

/** W3C trace context, used directly so messages carry `traceparent` whatever global propagator is set. */
const propagator = new W3CTraceContextPropagator();

export interface TraceHeaders {
  readonly traceparent?: string;
  readonly tracestate?: string;
}

/** The W3C headers of `ctx` (the active context by default); empty when there is no valid span. */
export function traceHeaders(ctx: Context = context.active()): TraceHeaders {
  const carrier: Record<string, string> = {};
  propagator.inject(ctx, carrier, defaultTextMapSetter);
  return {
    ...(carrier.traceparent === undefined ? {} : { traceparent: carrier.traceparent }),
    ...(carrier.tracestate === undefined ? {} : { tracestate: carrier.tracestate }),
  };
}

/** The context a message's `traceparent` describes, to parent or link a consumer span to. */
export function contextFromMessage(message: Pick<CloudEvent, "traceparent" | "tracestate">): Context {
  const carrier: Record<string, string> = {};
  if (message.traceparent !== undefined) carrier.traceparent = message.traceparent;
  if (message.tracestate !== undefined) carrier.tracestate = message.tracestate;
  return propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
}

/** Adds the active trace context to a message that has none; one that has it keeps its origin's. */
export function withTraceContext(message: CloudEvent, ctx: Context = context.active()): CloudEvent {
  if (message.traceparent !== undefined) return message;
  const headers = traceHeaders(ctx);
  return headers.traceparent === undefined ? message : { ...message, ...headers };
}

export const tracer = () => trace.getTracer("tiffin");
