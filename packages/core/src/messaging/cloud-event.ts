/**
 * A CloudEvents 1.0 message as Tiffin carries it: JSON data plus the extensions `correlationid`, `causationid`, `tenant` and `traceparent`.
 * Attribute values are strings so they map one-to-one onto broker attributes (binary mode).
 */
export interface CloudEvent<T = unknown> {
  readonly specversion: "1.0";
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly time: string;
  /** The order id for order events; also the ordering key. */
  readonly subject?: string;
  readonly datacontenttype: "application/json";
  readonly correlationid?: string;
  readonly causationid?: string;
  readonly tenant?: string;
  readonly traceparent?: string;
  readonly tracestate?: string;
  readonly data: T;
}

/** Every attribute name besides `data`, in a stable order. */
export const CLOUD_EVENT_ATTRIBUTES = [
  "specversion",
  "id",
  "source",
  "type",
  "time",
  "subject",
  "datacontenttype",
  "correlationid",
  "causationid",
  "tenant",
  "traceparent",
  "tracestate",
] as const;

export type CloudEventAttribute = (typeof CLOUD_EVENT_ATTRIBUTES)[number];

/** Transport metadata a use case passes down so the events it causes can be correlated and traced. */
export interface MessageMeta {
  readonly source: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly tenant?: string;
  readonly traceparent?: string;
  readonly tracestate?: string;
}
