import { describeBrokerContract } from "@tiffin/core/testing";
import { SNS_SQS_FEATURES, awsBrokerFactory, useFauxqs } from "./test-support/fauxqs.js";

const fauxqs = useFauxqs();

// FIFO topic and queues: the subject (order id) is the message group, so each order's events arrive in sequence.
describeBrokerContract("aws sns/sqs fifo on fauxqs", awsBrokerFactory(() => fauxqs.config({ fifo: true })), {
  ...SNS_SQS_FEATURES,
  orderingKeys: true,
});
