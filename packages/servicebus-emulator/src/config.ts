/**
 * The emulator's topology, in the shape of the `Config.json` that Microsoft's Service Bus emulator reads, so a file
 * written for one works for the other. Durations are ISO 8601 (`PT1M`, `PT0.5S`).
 */
export interface EmulatorConfig {
  readonly UserConfig: {
    readonly Namespaces: readonly NamespaceConfig[];
  };
}

export interface NamespaceConfig {
  readonly Name: string;
  readonly Queues?: readonly QueueConfig[];
  readonly Topics?: readonly TopicConfig[];
}

export interface QueueConfig {
  readonly Name: string;
  readonly Properties?: EntityProperties & DuplicateDetectionProperties;
}

export interface TopicConfig {
  readonly Name: string;
  readonly Properties?: DuplicateDetectionProperties & { readonly DefaultMessageTimeToLive?: string };
  readonly Subscriptions?: readonly SubscriptionConfig[];
}

export interface SubscriptionConfig {
  readonly Name: string;
  readonly Properties?: EntityProperties;
  /** No rules: the subscription takes every message (the service's `$Default` rule with `1=1`). */
  readonly Rules?: readonly RuleConfig[];
}

export interface EntityProperties {
  readonly LockDuration?: string;
  readonly MaxDeliveryCount?: number;
  readonly RequiresSession?: boolean;
  readonly DefaultMessageTimeToLive?: string;
  readonly DeadLetteringOnMessageExpiration?: boolean;
}

export interface DuplicateDetectionProperties {
  readonly RequiresDuplicateDetection?: boolean;
  readonly DuplicateDetectionHistoryTimeWindow?: string;
}

export interface RuleConfig {
  readonly Name: string;
  readonly Properties:
    | { readonly FilterType: "Correlation"; readonly CorrelationFilter: CorrelationFilterConfig }
    | { readonly FilterType: "Sql"; readonly SqlFilter: { readonly SqlExpression: string } };
}

/** Every field present must equal the message's; `Properties` are application properties. */
export interface CorrelationFilterConfig {
  readonly ContentType?: string;
  readonly CorrelationId?: string;
  readonly Label?: string;
  readonly MessageId?: string;
  readonly ReplyTo?: string;
  readonly ReplyToSessionId?: string;
  readonly SessionId?: string;
  readonly To?: string;
  readonly Properties?: Readonly<Record<string, string | number | boolean>>;
}

/** Settings of a queue or subscription with the service's defaults applied, in milliseconds. */
export interface ResolvedEntityProperties {
  readonly lockDurationMs: number;
  readonly maxDeliveryCount: number;
  readonly requiresSession: boolean;
}

export interface ResolvedDuplicateDetection {
  readonly enabled: boolean;
  readonly windowMs: number;
}

/** The service's defaults: 1 minute locks, 10 deliveries, no sessions, 10 minutes of duplicate history. */
export const ENTITY_DEFAULTS = { lockDurationMs: 60_000, maxDeliveryCount: 10, duplicateWindowMs: 600_000 } as const;

const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Parses an ISO 8601 duration of days, hours, minutes and (fractional) seconds into milliseconds. */
export function parseDuration(value: string, what: string): number {
  const match = DURATION.exec(value);
  if (match === null || value === "P" || value.endsWith("T")) throw new Error(`${what}: "${value}" is not an ISO 8601 duration`);
  const [, days = "0", hours = "0", minutes = "0", seconds = "0"] = match;
  return Math.round(((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000);
}

export function resolveEntityProperties(properties: EntityProperties | undefined, what: string): ResolvedEntityProperties {
  const maxDeliveryCount = properties?.MaxDeliveryCount ?? ENTITY_DEFAULTS.maxDeliveryCount;
  if (!Number.isInteger(maxDeliveryCount) || maxDeliveryCount < 1) throw new Error(`${what}: MaxDeliveryCount must be >= 1`);
  const lockDurationMs =
    properties?.LockDuration === undefined ? ENTITY_DEFAULTS.lockDurationMs : parseDuration(properties.LockDuration, `${what} LockDuration`);
  if (lockDurationMs <= 0) throw new Error(`${what}: LockDuration must be positive`);
  return { lockDurationMs, maxDeliveryCount, requiresSession: properties?.RequiresSession ?? false };
}

export function resolveDuplicateDetection(properties: DuplicateDetectionProperties | undefined, what: string): ResolvedDuplicateDetection {
  const window = properties?.DuplicateDetectionHistoryTimeWindow;
  return {
    enabled: properties?.RequiresDuplicateDetection ?? false,
    windowMs: window === undefined ? ENTITY_DEFAULTS.duplicateWindowMs : parseDuration(window, `${what} DuplicateDetectionHistoryTimeWindow`),
  };
}
