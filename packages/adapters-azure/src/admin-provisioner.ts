import { ServiceBusAdministrationClient, type TokenCredential } from "@azure/service-bus";
import type { SubscriptionDescription, TopologyProvisioner } from "./topology.js";
import { isoDuration } from "./topology.js";
import { serviceBus } from "./azure-errors.js";

/**
 * Creates missing topics, subscriptions and rules through the administration API (ATOM over HTTPS; needs the
 * `Azure Service Bus Data Owner` role or a Manage claim). For development against a real namespace: production
 * applies the Bicep template. The emulator has no administration endpoint, so this is exercised only there.
 */
export class AdministrationProvisioner implements TopologyProvisioner {
  private readonly client: ServiceBusAdministrationClient;
  private readonly done = new Map<string, Promise<void>>();

  constructor(auth: { connectionString: string } | { fullyQualifiedNamespace: string; credential: TokenCredential }) {
    this.client =
      "connectionString" in auth
        ? new ServiceBusAdministrationClient(auth.connectionString)
        : new ServiceBusAdministrationClient(auth.fullyQualifiedNamespace, auth.credential);
  }

  ensureSubscription(description: SubscriptionDescription): Promise<void> {
    const key = `${description.topic}/${description.name}`;
    let done = this.done.get(key);
    if (done === undefined) {
      done = this.create(description);
      this.done.set(key, done);
      done.catch(() => this.done.delete(key));
    }
    return done;
  }

  private async create(description: SubscriptionDescription): Promise<void> {
    const { topic, name } = description;
    await serviceBus(`create topic ${topic}`, async () => {
      if (!(await this.client.topicExists(topic))) {
        await this.client.createTopic(topic, { requiresDuplicateDetection: true, duplicateDetectionHistoryTimeWindow: "PT10M" });
      }
    });
    await serviceBus(`create subscription ${topic}/${name}`, async () => {
      if (await this.client.subscriptionExists(topic, name)) return;
      const [first, ...rest] = description.rules;
      await this.client.createSubscription(topic, name, {
        requiresSession: true,
        maxDeliveryCount: description.maxDeliveryCount,
        lockDuration: isoDuration(description.lockDurationMs),
        deadLetteringOnFilterEvaluationExceptions: true,
        ...(first === undefined ? {} : { defaultRuleOptions: { name: first.name, filter: filterOf(first) } }),
      });
      for (const rule of rest) await this.client.createRule(topic, name, rule.name, filterOf(rule));
    });
  }
}

function filterOf(rule: SubscriptionDescription["rules"][number]): { sqlExpression: string } | { subject?: string; applicationProperties?: Record<string, string> } {
  if ("sql" in rule) return { sqlExpression: rule.sql };
  return {
    ...(rule.correlation.subject === undefined ? {} : { subject: rule.correlation.subject }),
    ...(rule.correlation.applicationProperties === undefined ? {} : { applicationProperties: { ...rule.correlation.applicationProperties } }),
  };
}
