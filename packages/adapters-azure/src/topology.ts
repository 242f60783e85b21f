import type { ResolvedSubscriptionSpec } from "@tiffin/core";

/**
 * Application properties this adapter adds to a Service Bus message besides the CloudEvents attributes. CloudEvents
 * attribute names are lowercase letters and digits only, so the underscore keeps them apart from any extension.
 */
export const ADAPTER_PROPERTIES = {
  /** A replayed dead letter goes to this subscription only (its `replay` rule matches it, no other rule does). */
  replayTo: "tiffin_replay_to",
  /** The delivery attempt on which the adapter dead-lettered a message. */
  attempts: "tiffin_attempts",
  /** When the adapter dead-lettered it (ISO 8601). */
  deadLetteredAt: "tiffin_dead_lettered_at",
} as const;

/** A rule as Service Bus takes it: a correlation filter (every field equal) or a SQL filter. */
export type RuleDescription =
  | { readonly name: string; readonly correlation: { readonly subject?: string; readonly applicationProperties?: Readonly<Record<string, string>> } }
  | { readonly name: string; readonly sql: string };

/** What one Tiffin subscription is on Service Bus. */
export interface SubscriptionDescription {
  readonly topic: string;
  readonly name: string;
  /** Sessions on: the session id is the order id, so one order's events are handled one at a time, in order. */
  readonly requiresSession: true;
  /** The adapter dead-letters on its last attempt itself; the service's count is the backstop for crashed handlers. */
  readonly maxDeliveryCount: number;
  readonly lockDurationMs: number;
  /** Any rule matching delivers the message (rules are OR-ed). */
  readonly rules: readonly RuleDescription[];
}

/**
 * The subscription for a spec: one correlation rule per event type on the message `subject` (which carries the
 * CloudEvents type), or a catch-all SQL rule that leaves out replays for other subscriptions; and always the
 * `replay` rule that takes this subscription's replayed dead letters.
 */
export function describeSubscription(spec: ResolvedSubscriptionSpec, lockDurationMs: number): SubscriptionDescription {
  const byType: RuleDescription[] =
    spec.eventTypes === undefined
      ? [{ name: "all-events", sql: `${ADAPTER_PROPERTIES.replayTo} IS NULL` }]
      : spec.eventTypes.map((type) => ({ name: ruleName(type), correlation: { subject: type } }));
  return {
    topic: spec.topic,
    name: spec.subscription,
    requiresSession: true,
    maxDeliveryCount: spec.maxDeliveries,
    lockDurationMs,
    rules: [...byType, { name: "replay", correlation: { applicationProperties: { [ADAPTER_PROPERTIES.replayTo]: spec.subscription } } }],
  };
}

/** Rule names allow 50 letters, digits, `.`, `-`, `_`. */
const ruleName = (type: string): string => `type-${type}`.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 50);

/** Creates (or checks) topics and subscriptions before the adapter uses them. */
export interface TopologyProvisioner {
  ensureSubscription(description: SubscriptionDescription): Promise<void>;
}

/** Creates nothing: the topology comes from the infrastructure template (or the emulator's config). */
export const EXISTING_TOPOLOGY: TopologyProvisioner = { ensureSubscription: async () => undefined };

/** ISO 8601 duration for the administration API and templates. */
export const isoDuration = (ms: number): string => `PT${ms / 1000}S`;
