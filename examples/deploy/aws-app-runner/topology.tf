# The messaging topology (not applied by this repo): one SNS topic for order events, and per subscription an SQS
# queue with a dead-letter queue (redrive after max_deliveries). With delivery = "pull" the queues are subscribed
# to the topic (raw delivery, filter policy on the CloudEvents `type` attribute); with "push" (services.tf) the
# worker's HTTPS endpoint is subscribed instead and the dead-letter queues back those subscriptions. Names match
# the adapter's defaults (TIFFIN_SQS_QUEUE_PREFIX).

terraform {
  required_providers {
    aws    = { source = "hashicorp/aws", version = ">= 5.0" }
    random = { source = "hashicorp/random", version = ">= 3.0" }
  }
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "queue_prefix" {
  type    = string
  default = "tiffin-"
}

variable "fifo" {
  description = "FIFO topic and queues: per-order ordering (set TIFFIN_AWS_FIFO=true or use the .fifo ARN)."
  type        = bool
  default     = false
}

variable "max_deliveries" {
  description = "Must equal the subscriptions' maxDeliveries (default 5)."
  type        = number
  default     = 5
}

variable "subscriptions" {
  description = "Subscription name => event types it receives (null = all). Keep in step with the code's eventTypes."
  type        = map(list(string))
  default = {
    "payment-saga"       = ["order.placed", "courier.assigned", "order.delivered", "order.cancelled"]
    "kitchen"            = ["payment.captured"]
    "courier-assignment" = ["order.confirmed", "order.cancelled"]
    "projections"        = null
  }
}

variable "delivery" {
  description = "push: SNS pushes to the worker service (App Runner gives CPU only during requests); pull: SQS polling."
  type        = string
  default     = "push"
}

provider "aws" {
  region = var.region
}

locals {
  suffix = var.fifo ? ".fifo" : ""
}

resource "aws_sns_topic" "order_events" {
  name       = "tiffin-order-events${local.suffix}"
  fifo_topic = var.fifo
}

resource "aws_sqs_queue" "dlq" {
  for_each                  = var.subscriptions
  name                      = "${var.queue_prefix}${each.key}-dlq${local.suffix}"
  fifo_queue                = var.fifo
  message_retention_seconds = 1209600
}

resource "aws_sqs_queue" "queue" {
  for_each                   = var.subscriptions
  name                       = "${var.queue_prefix}${each.key}${local.suffix}"
  fifo_queue                 = var.fifo
  visibility_timeout_seconds = 30
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq[each.key].arn
    maxReceiveCount     = var.max_deliveries
  })
}

# Lets the topic, and only it, deliver into each queue.
resource "aws_sqs_queue_policy" "from_topic" {
  for_each  = var.subscriptions
  queue_url = aws_sqs_queue.queue[each.key].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "sns.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.queue[each.key].arn
      Condition = { ArnEquals = { "aws:SourceArn" = aws_sns_topic.order_events.arn } }
    }]
  })
}

resource "aws_sns_topic_subscription" "queue" {
  for_each             = var.delivery == "pull" ? var.subscriptions : {}
  topic_arn            = aws_sns_topic.order_events.arn
  protocol             = "sqs"
  endpoint             = aws_sqs_queue.queue[each.key].arn
  raw_message_delivery = true
  filter_policy        = each.value == null ? null : jsonencode({ type = each.value })
}

# What the Tiffin processes may do; attach it to their task or instance role.
data "aws_iam_policy_document" "tiffin_broker" {
  statement {
    sid       = "Publish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.order_events.arn]
  }
  statement {
    sid       = "VerifyTopology"
    actions   = ["sns:ListSubscriptionsByTopic"]
    resources = [aws_sns_topic.order_events.arn]
  }
  statement {
    sid = "Consume"
    actions = [
      "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
      "sqs:GetQueueUrl", "sqs:GetQueueAttributes",
      "sqs:SendMessage", # dead-lettering into the DLQ, replaying back into the queue
    ]
    resources = concat(values(aws_sqs_queue.queue)[*].arn, values(aws_sqs_queue.dlq)[*].arn)
  }
}

resource "aws_iam_policy" "tiffin_broker" {
  name   = "tiffin-broker"
  policy = data.aws_iam_policy_document.tiffin_broker.json
}

output "topic_arn" {
  description = "TIFFIN_SNS_TOPIC_ARN"
  value       = aws_sns_topic.order_events.arn
}

output "broker_policy_arn" {
  value = aws_iam_policy.tiffin_broker.arn
}
