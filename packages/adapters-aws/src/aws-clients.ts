import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { ResolvedAwsBrokerConfig } from "./aws-config.js";

/** The two SDK clients the broker uses; credentials come from the SDK's default provider chain. */
export interface AwsClients {
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
}

export function createAwsClients(config: ResolvedAwsBrokerConfig): AwsClients {
  const common = { region: config.region, ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }) };
  return { sns: new SNSClient(common), sqs: new SQSClient(common) };
}

export function destroyAwsClients(clients: AwsClients): void {
  clients.sns.destroy();
  clients.sqs.destroy();
}
