import { describeBrokerContract } from "@tiffin/core/testing";
import { SNS_SQS_FEATURES, awsBrokerFactory, useFauxqs } from "./test-support/fauxqs.js";

const fauxqs = useFauxqs();

// Standard topic and queues: at-least-once delivery in no particular order.
describeBrokerContract("aws sns/sqs standard on fauxqs", awsBrokerFactory(() => fauxqs.config({ fifo: false })), {
  ...SNS_SQS_FEATURES,
  orderingKeys: false,
});
