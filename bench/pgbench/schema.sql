-- The tables of the placement ceiling: an order with a unique idempotency key, and an outbox row per order
-- (with the partial index a relay reads). Loaded into a scratch database by bench/lib/report.mjs.
DROP TABLE IF EXISTS events, orders, outbox;
CREATE TABLE events (id bigserial PRIMARY KEY, payload jsonb NOT NULL);
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  idempotency_key text NOT NULL UNIQUE,
  customer_id bigint NOT NULL,
  amount_cents bigint NOT NULL,
  status text NOT NULL DEFAULT 'pending',
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  aggregate_id bigint NOT NULL,
  topic text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
