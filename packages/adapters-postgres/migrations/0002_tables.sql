CREATE TABLE orders (
  id text PRIMARY KEY,
  customer_id text NOT NULL,
  restaurant_id text NOT NULL,
  courier_id text,
  status text NOT NULL,
  version integer NOT NULL,
  data jsonb NOT NULL
);
CREATE INDEX orders_courier_active ON orders (courier_id) WHERE status NOT IN ('delivered', 'cancelled');

-- Sent rows are deleted, so the table holds only what waits; leases hold an ordering key for one relay.
CREATE TABLE outbox (
  position bigserial PRIMARY KEY,
  topic text NOT NULL,
  key text NOT NULL,
  message jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_key ON outbox (key, position);
CREATE TABLE outbox_leases (
  key text PRIMARY KEY,
  relay_id text NOT NULL,
  lease_until timestamptz NOT NULL
);

CREATE TABLE inbox (
  consumer text NOT NULL,
  message_id text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, message_id)
);

CREATE TABLE sagas (
  order_id text PRIMARY KEY,
  status text NOT NULL,
  step text,
  version integer NOT NULL,
  updated_at timestamptz NOT NULL,
  state jsonb NOT NULL
);
CREATE INDEX sagas_status ON sagas (status, updated_at DESC);

CREATE TABLE idempotency_keys (
  scope text NOT NULL,
  key text NOT NULL,
  owner text NOT NULL DEFAULT coalesce(app_principal(), ''),
  request_hash text NOT NULL,
  response jsonb,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (scope, key)
);

CREATE TABLE order_views (
  id text PRIMARY KEY,
  customer_id text NOT NULL,
  restaurant_id text NOT NULL,
  courier_id text,
  status text NOT NULL,
  placed_at timestamptz NOT NULL,
  revision integer NOT NULL,
  view jsonb NOT NULL
);
CREATE INDEX order_views_customer ON order_views (customer_id, placed_at DESC, id DESC);
CREATE INDEX order_views_board ON order_views (restaurant_id, placed_at, id) WHERE status NOT IN ('delivered', 'cancelled');
CREATE INDEX order_views_courier ON order_views (courier_id) WHERE status <> 'delivered';

CREATE TABLE restaurants (
  id text PRIMARY KEY,
  name text NOT NULL,
  cuisine text NOT NULL,
  city text NOT NULL,
  lat float8 NOT NULL,
  lng float8 NOT NULL,
  open boolean NOT NULL
);
CREATE TABLE menus (
  restaurant_id text PRIMARY KEY REFERENCES restaurants (id) ON DELETE CASCADE,
  document jsonb NOT NULL
);

CREATE TABLE couriers (
  id text PRIMARY KEY,
  name text NOT NULL,
  city text NOT NULL,
  speed_kmh float8 NOT NULL,
  rate_per_km jsonb NOT NULL,
  available boolean NOT NULL
);
CREATE TABLE courier_locations (
  courier_id text PRIMARY KEY REFERENCES couriers (id) ON DELETE CASCADE,
  lat float8 NOT NULL,
  lng float8 NOT NULL,
  at timestamptz NOT NULL
);

CREATE SEQUENCE offer_tokens;
CREATE TABLE offers (
  id text PRIMARY KEY,
  order_id text NOT NULL,
  restaurant_id text NOT NULL,
  courier_id text NOT NULL,
  token bigint NOT NULL DEFAULT nextval('offer_tokens'),
  status text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL
);
-- The store's guarantee: one open offer per courier and per order, whoever races.
CREATE UNIQUE INDEX offers_one_open_per_courier ON offers (courier_id) WHERE status = 'open';
CREATE UNIQUE INDEX offers_one_open_per_order ON offers (order_id) WHERE status = 'open';
CREATE INDEX offers_order ON offers (order_id, created_at);

CREATE TABLE timers (
  id text PRIMARY KEY,
  kind text NOT NULL,
  key text NOT NULL UNIQUE,
  due_at timestamptz NOT NULL,
  payload jsonb NOT NULL,
  lease_owner text,
  lease_until timestamptz
);
CREATE INDEX timers_due ON timers (due_at);
