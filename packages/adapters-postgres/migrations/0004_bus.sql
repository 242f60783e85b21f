-- The Postgres message transport. Not tenant data: only the owner role (the transport's connection) uses it.
CREATE TABLE bus_subscriptions (
  name text PRIMARY KEY,
  topic text NOT NULL,
  event_types text[],
  max_deliveries integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bus_subscriptions_topic ON bus_subscriptions (topic);

-- One row per (subscription, message): fan-out happens at publish.
CREATE TABLE bus_messages (
  id bigserial PRIMARY KEY,
  subscription text NOT NULL,
  message_id text NOT NULL,
  -- The CloudEvents subject: messages of one key are handed out one at a time, oldest first.
  ordering_key text,
  attributes jsonb NOT NULL,
  body text NOT NULL,
  deliveries integer NOT NULL DEFAULT 0,
  visible_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX bus_messages_ready ON bus_messages (subscription, visible_at, id);
CREATE INDEX bus_messages_key ON bus_messages (subscription, ordering_key, id) WHERE ordering_key IS NOT NULL;

CREATE TABLE bus_dead_letters (
  id bigserial PRIMARY KEY,
  subscription text NOT NULL,
  message_id text,
  ordering_key text,
  attributes jsonb NOT NULL,
  body text NOT NULL,
  reason text NOT NULL,
  attempts integer NOT NULL,
  dead_lettered_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bus_dead_letters_subscription ON bus_dead_letters (subscription, id);
