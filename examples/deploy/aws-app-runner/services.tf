# The Tiffin services on App Runner from one image (not applied by this repo): RDS PostgreSQL, secrets, the API
# service (`serve`), the worker service (`work` with SNS HTTPS push, since App Runner gives CPU only while a request
# is in flight), a one-minute tick from EventBridge, and `migrate` as an ECS task run once per release.

variable "image" {
  description = "The Tiffin image in ECR, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/tiffin:0.1.0"
  type        = string
}

variable "vpc_id" {
  type = string
}

variable "private_subnet_ids" {
  description = "Subnets for RDS, the App Runner VPC connector and the migrate task."
  type        = list(string)
}

resource "random_password" "db" {
  length  = 32
  special = false
}

resource "random_password" "jwt" {
  length = 48
}

resource "random_password" "task" {
  length  = 48
  special = false
}

# --- PostgreSQL ---------------------------------------------------------------------------------------------------

resource "aws_security_group" "services" {
  name   = "tiffin-services"
  vpc_id = var.vpc_id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "db" {
  name   = "tiffin-db"
  vpc_id = var.vpc_id
  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.services.id]
  }
}

resource "aws_db_subnet_group" "tiffin" {
  name       = "tiffin"
  subnet_ids = var.private_subnet_ids
}

resource "aws_db_instance" "tiffin" {
  identifier                = "tiffin"
  engine                    = "postgres"
  engine_version            = "16"
  instance_class            = "db.t4g.small"
  allocated_storage         = 20
  db_name                   = "tiffin"
  username                  = "tiffin"
  password                  = random_password.db.result
  db_subnet_group_name      = aws_db_subnet_group.tiffin.name
  vpc_security_group_ids    = [aws_security_group.db.id]
  storage_encrypted         = true
  multi_az                  = true
  backup_retention_period   = 7
  final_snapshot_identifier = "tiffin-final"
}

# --- Secrets (read by the services' instance role only) -----------------------------------------------------------

resource "aws_secretsmanager_secret" "database_url" {
  name = "tiffin/database-url"
}

resource "aws_secretsmanager_secret_version" "database_url" {
  secret_id     = aws_secretsmanager_secret.database_url.id
  secret_string = "postgres://tiffin:${random_password.db.result}@${aws_db_instance.tiffin.endpoint}/tiffin?sslmode=require"
}

resource "aws_secretsmanager_secret" "jwt" {
  name = "tiffin/jwt-secret"
}

resource "aws_secretsmanager_secret_version" "jwt" {
  secret_id     = aws_secretsmanager_secret.jwt.id
  secret_string = random_password.jwt.result
}

resource "aws_secretsmanager_secret" "task" {
  name = "tiffin/task-secret"
}

resource "aws_secretsmanager_secret_version" "task" {
  secret_id     = aws_secretsmanager_secret.task.id
  secret_string = random_password.task.result
}

# --- Identities ---------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "apprunner_tasks" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["tasks.apprunner.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "read_secrets" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.database_url.arn, aws_secretsmanager_secret.jwt.arn, aws_secretsmanager_secret.task.arn]
  }
}

# The API publishes nothing itself (the outbox does, from the worker) but probes the broker for readiness.
resource "aws_iam_role" "api" {
  name               = "tiffin-api"
  assume_role_policy = data.aws_iam_policy_document.apprunner_tasks.json
}

resource "aws_iam_role" "worker" {
  name               = "tiffin-worker"
  assume_role_policy = data.aws_iam_policy_document.apprunner_tasks.json
}

resource "aws_iam_role_policy" "api_secrets" {
  role   = aws_iam_role.api.id
  policy = data.aws_iam_policy_document.read_secrets.json
}

resource "aws_iam_role_policy" "worker_secrets" {
  role   = aws_iam_role.worker.id
  policy = data.aws_iam_policy_document.read_secrets.json
}

resource "aws_iam_role_policy_attachment" "api_broker" {
  role       = aws_iam_role.api.name
  policy_arn = aws_iam_policy.tiffin_broker.arn
}

resource "aws_iam_role_policy_attachment" "worker_broker" {
  role       = aws_iam_role.worker.name
  policy_arn = aws_iam_policy.tiffin_broker.arn
}

resource "aws_iam_role" "ecr_access" {
  name = "tiffin-apprunner-ecr"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "build.apprunner.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "ecr_access" {
  role       = aws_iam_role.ecr_access.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSAppRunnerServicePolicyForECRAccess"
}

resource "aws_apprunner_vpc_connector" "tiffin" {
  vpc_connector_name = "tiffin"
  subnets            = var.private_subnet_ids
  security_groups    = [aws_security_group.services.id]
}

# --- Services: one image, two commands ----------------------------------------------------------------------------

resource "aws_apprunner_service" "api" {
  service_name = "tiffin-api"
  source_configuration {
    auto_deployments_enabled = false
    authentication_configuration {
      access_role_arn = aws_iam_role.ecr_access.arn
    }
    image_repository {
      image_identifier      = var.image
      image_repository_type = "ECR"
      image_configuration {
        port          = "8080"
        start_command = "serve"
        runtime_environment_variables = {
          TIFFIN_BROKER        = "aws"
          AWS_REGION           = var.region
          TIFFIN_SNS_TOPIC_ARN = aws_sns_topic.order_events.arn
        }
        runtime_environment_secrets = {
          TIFFIN_DATABASE_URL = aws_secretsmanager_secret.database_url.arn
          TIFFIN_JWT_SECRET   = aws_secretsmanager_secret.jwt.arn
        }
      }
    }
  }
  health_check_configuration {
    protocol = "HTTP"
    path     = "/health/ready"
  }
  instance_configuration {
    instance_role_arn = aws_iam_role.api.arn
  }
  network_configuration {
    egress_configuration {
      egress_type       = "VPC"
      vpc_connector_arn = aws_apprunner_vpc_connector.tiffin.arn
    }
  }
}

resource "aws_apprunner_service" "worker" {
  service_name = "tiffin-worker"
  source_configuration {
    auto_deployments_enabled = false
    authentication_configuration {
      access_role_arn = aws_iam_role.ecr_access.arn
    }
    image_repository {
      image_identifier      = var.image
      image_repository_type = "ECR"
      image_configuration {
        port          = "8080"
        start_command = "work"
        runtime_environment_variables = {
          TIFFIN_BROKER        = "aws"
          AWS_REGION           = var.region
          TIFFIN_SNS_TOPIC_ARN = aws_sns_topic.order_events.arn
          TIFFIN_DELIVERY      = var.delivery
        }
        runtime_environment_secrets = {
          TIFFIN_DATABASE_URL = aws_secretsmanager_secret.database_url.arn
          TIFFIN_TASK_SECRET  = aws_secretsmanager_secret.task.arn
        }
      }
    }
  }
  health_check_configuration {
    protocol = "HTTP"
    path     = "/health/live"
  }
  instance_configuration {
    instance_role_arn = aws_iam_role.worker.arn
  }
  network_configuration {
    egress_configuration {
      egress_type       = "VPC"
      vpc_connector_arn = aws_apprunner_vpc_connector.tiffin.arn
    }
  }
}

# --- SNS pushes to the worker: one HTTPS subscription per Tiffin subscription ---------------------------------------
# Wrapped delivery (signed; raw HTTP delivery is refused by the worker), the same filter policy as the queue would
# have, retries on 5xx for max_deliveries attempts, then the subscription's dead-letter queue.

resource "aws_sqs_queue_policy" "dlq_from_topic" {
  for_each  = var.delivery == "push" ? var.subscriptions : {}
  queue_url = aws_sqs_queue.dlq[each.key].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "sns.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.dlq[each.key].arn
      Condition = { ArnEquals = { "aws:SourceArn" = aws_sns_topic.order_events.arn } }
    }]
  })
}

resource "aws_sns_topic_subscription" "push" {
  for_each               = var.delivery == "push" ? var.subscriptions : {}
  topic_arn              = aws_sns_topic.order_events.arn
  protocol               = "https"
  endpoint               = "https://${aws_apprunner_service.worker.service_url}/push/${each.key}"
  endpoint_auto_confirms = false
  filter_policy          = each.value == null ? null : jsonencode({ type = each.value })
  redrive_policy         = jsonencode({ deadLetterTargetArn = aws_sqs_queue.dlq[each.key].arn })
  delivery_policy = jsonencode({
    healthyRetryPolicy = {
      numRetries         = var.max_deliveries - 1
      numNoDelayRetries  = 0
      minDelayTarget     = 1
      maxDelayTarget     = 60
      numMinDelayRetries = 0
      numMaxDelayRetries = 0
      backoffFunction    = "exponential"
    }
  })
}

# --- The tick: EventBridge calls POST /tasks/tick every minute with the shared secret --------------------------------

resource "aws_cloudwatch_event_connection" "tick" {
  name               = "tiffin-tick"
  authorization_type = "API_KEY"
  auth_parameters {
    api_key {
      key   = "X-Tiffin-Task-Secret"
      value = random_password.task.result
    }
  }
}

resource "aws_cloudwatch_event_api_destination" "tick" {
  name                             = "tiffin-tick"
  invocation_endpoint              = "https://${aws_apprunner_service.worker.service_url}/tasks/tick"
  http_method                      = "POST"
  invocation_rate_limit_per_second = 1
  connection_arn                   = aws_cloudwatch_event_connection.tick.arn
}

resource "aws_cloudwatch_event_rule" "tick" {
  name                = "tiffin-tick"
  schedule_expression = "rate(1 minute)"
}

resource "aws_iam_role" "tick" {
  name = "tiffin-tick"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "events.amazonaws.com" } }]
  })
  inline_policy {
    name = "invoke-tick"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "events:InvokeApiDestination", Resource = aws_cloudwatch_event_api_destination.tick.arn }]
    })
  }
}

resource "aws_cloudwatch_event_target" "tick" {
  rule     = aws_cloudwatch_event_rule.tick.name
  arn      = aws_cloudwatch_event_api_destination.tick.arn
  role_arn = aws_iam_role.tick.arn
}

# --- Migrate: an ECS task definition, run once per release (`aws ecs run-task`, see README) ------------------------

resource "aws_ecs_cluster" "tiffin" {
  name = "tiffin"
}

resource "aws_iam_role" "migrate_execution" {
  name = "tiffin-migrate-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
  })
  inline_policy {
    name   = "read-database-url"
    policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = aws_secretsmanager_secret.database_url.arn }] })
  }
}

resource "aws_iam_role_policy_attachment" "migrate_execution" {
  role       = aws_iam_role.migrate_execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_ecs_task_definition" "migrate" {
  family                   = "tiffin-migrate"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.migrate_execution.arn
  container_definitions = jsonencode([{
    name        = "migrate"
    image       = var.image
    command     = ["migrate"]
    essential   = true
    environment = []
    secrets     = [{ name = "TIFFIN_DATABASE_URL", valueFrom = aws_secretsmanager_secret.database_url.arn }]
  }])
}

output "api_url" {
  value = "https://${aws_apprunner_service.api.service_url}"
}

output "worker_url" {
  value = "https://${aws_apprunner_service.worker.service_url}"
}
