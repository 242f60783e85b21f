import type { Message } from "rhea";
import type { CorrelationFilterConfig, RuleConfig } from "./config.js";
import { compileSqlFilter, type FilterableMessage } from "./sql-filter.js";

/** A message held by a queue, subscription or dead-letter queue. */
export interface StoredMessage {
  readonly sequenceNumber: number;
  /** The message as the client sent it, plus any properties a disposition changed; shared, never mutated. */
  message: Message;
  readonly enqueuedAt: number;
  /** Scheduled messages stay invisible until then. */
  visibleAt: number;
  readonly sessionId: string | undefined;
  /** Prior delivery attempts (the AMQP header's `delivery-count`; the service starts at 0). */
  deliveryCount: number;
  lock: MessageLock | undefined;
}

export interface MessageLock {
  readonly token: string;
  until: number;
  /** The link that received the message; for a session, its session lock covers the message. */
  readonly owner: object;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const SYSTEM_PROPERTIES: Record<string, keyof Message> = {
  messageid: "message_id",
  correlationid: "correlation_id",
  to: "to",
  replyto: "reply_to",
  label: "subject",
  subject: "subject",
  sessionid: "group_id",
  replytosessionid: "reply_to_group_id",
  contenttype: "content_type",
};

/** The message as SQL and correlation filters see it. */
export function filterView(message: Message): FilterableMessage {
  return {
    system: (name) => {
      const field = SYSTEM_PROPERTIES[name.toLowerCase()];
      return field === undefined ? undefined : message[field];
    },
    user: (name) => message.application_properties?.[name],
  };
}

/** A rule's filter as a predicate; a subscription without rules takes everything. */
export function compileRule(rule: RuleConfig): (message: FilterableMessage) => boolean {
  const properties = rule.Properties;
  if (properties.FilterType === "Sql") return compileSqlFilter(properties.SqlFilter.SqlExpression);
  if (properties.FilterType === "Correlation") return correlationFilter(properties.CorrelationFilter);
  throw new Error(`rule "${rule.Name}": unknown FilterType`);
}

function correlationFilter(filter: CorrelationFilterConfig): (message: FilterableMessage) => boolean {
  const system: [string, string][] = [];
  for (const name of ["ContentType", "CorrelationId", "Label", "MessageId", "ReplyTo", "ReplyToSessionId", "SessionId", "To"] as const) {
    const value = filter[name];
    if (value !== undefined && value !== "") system.push([name, value]);
  }
  const user = Object.entries(filter.Properties ?? {});
  return (message) =>
    system.every(([name, value]) => message.system(name) === value) && user.every(([name, value]) => message.user(name) === value);
}
