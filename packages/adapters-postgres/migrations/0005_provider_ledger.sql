-- The simulated payment and payout providers' own memory: idempotency keys with their outcomes
-- and the ledger. Written outside Tiffin's transactions, as a real provider's records would be.
CREATE TABLE provider_records (
  seq bigserial UNIQUE,
  idempotency_key text PRIMARY KEY,
  order_id text NOT NULL,
  record jsonb NOT NULL,
  has_entry boolean NOT NULL
);
CREATE INDEX provider_records_order ON provider_records (order_id, seq) WHERE has_entry;
