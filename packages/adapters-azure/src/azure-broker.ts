import { DefaultAzureCredential } from "@azure/identity";
import { ServiceBusClient } from "@azure/service-bus";
import { type Logger, type SubscriptionSpec, resolveSubscriptionSpec } from "@tiffin/core";
import { AdministrationProvisioner } from "./admin-provisioner.js";
import { resolveAzureBrokerConfig, type AzureBrokerConfig, type ResolvedAzureBrokerConfig } from "./azure-config.js";
import { ServiceBusDeadLetters } from "./servicebus-dead-letters.js";
import { ServiceBusPublisher } from "./servicebus-publisher.js";
import { ServiceBusSubscriber } from "./servicebus-subscriber.js";
import { EXISTING_TOPOLOGY, type TopologyProvisioner, describeSubscription } from "./topology.js";

export interface AzureBrokerDeps {
  readonly logger?: Logger;
  /** Source of backoff jitter. */
  readonly random?: () => number;
  /** Who creates subscriptions; default the administration API with `createTopology`, else nobody. */
  readonly provisioner?: TopologyProvisioner;
}

/** The Service Bus broker: publisher, subscriber and dead letters sharing one client (one AMQP connection). */
export class AzureBroker {
  readonly config: ResolvedAzureBrokerConfig;
  readonly publisher: ServiceBusPublisher;
  readonly subscriber: ServiceBusSubscriber;
  readonly deadLetters: ServiceBusDeadLetters;
  private readonly client: ServiceBusClient;
  private readonly provisioner: TopologyProvisioner;
  private readonly topics = new Map<string, string>();
  private readonly extraClients: ServiceBusClient[] = [];

  /** Validates the config at once (INFRA_MISCONFIGURED naming the variable); connects on first use. */
  constructor(
    config: AzureBrokerConfig,
    private readonly deps: AzureBrokerDeps = {},
  ) {
    this.config = resolveAzureBrokerConfig(config);
    this.client = this.newClient();
    this.provisioner = deps.provisioner ?? (this.config.createTopology ? this.administration() : EXISTING_TOPOLOGY);
    this.publisher = new ServiceBusPublisher(this.client);
    this.subscriber = new ServiceBusSubscriber(this.client, this.provisioner, this.config, this.topics, deps);
    this.deadLetters = new ServiceBusDeadLetters(this.client, this.topics, this.config.deadLetterTopic);
  }

  /**
   * BrokerTopology: creates or updates each spec's session subscription and rules through the administration API,
   * whatever `createTopology` says (this is the call that creates them: `tiffin topology`; needs Manage rights).
   */
  async ensureTopology(specs: readonly SubscriptionSpec[]): Promise<readonly string[]> {
    const provisioner = this.deps.provisioner ?? this.administration();
    const lines: string[] = [];
    for (const spec of specs) {
      const description = describeSubscription(resolveSubscriptionSpec(spec), this.config.lockDurationMs);
      await provisioner.ensureSubscription(description);
      lines.push(`${spec.subscription}: ${description.topic}/Subscriptions/${description.name} (sessions, ${description.rules.length} rules)`);
    }
    return lines;
  }

  /** A second subscriber on its own connection, as another process would have; closed with the broker. */
  newSubscriber(): ServiceBusSubscriber {
    const client = this.newClient();
    this.extraClients.push(client);
    return new ServiceBusSubscriber(client, this.provisioner, this.config, this.topics, this.deps);
  }

  /** Stops every consumer (waiting for handlers), then closes the connection. */
  async close(): Promise<void> {
    await this.subscriber.close();
    await this.publisher.close();
    await Promise.all([this.client, ...this.extraClients].map((client) => client.close()));
  }

  private newClient(): ServiceBusClient {
    // The session wait is the operation timeout: the service holds an accept-next-session request that long.
    const options = { retryOptions: { timeoutInMs: this.config.sessionWaitMs } };
    return "connectionString" in this.config
      ? new ServiceBusClient(this.config.connectionString, options)
      : new ServiceBusClient(this.config.fullyQualifiedNamespace, new DefaultAzureCredential(), options);
  }

  private administration(): TopologyProvisioner {
    return "connectionString" in this.config
      ? new AdministrationProvisioner({ connectionString: this.config.connectionString })
      : new AdministrationProvisioner({ fullyQualifiedNamespace: this.config.fullyQualifiedNamespace, credential: new DefaultAzureCredential() });
  }
}
