-- One placement as Postgres alone can commit it: an order row and its outbox row in one transaction, the
-- least work a POST /v1/orders that commits per request does. Run by pgbench against pgbench/schema.sql.
\set cid random(1, 100000)
BEGIN;
INSERT INTO orders(idempotency_key, customer_id, amount_cents, payload) VALUES (gen_random_uuid()::text, :cid, 8997, '{"customerId":12345,"currency":"EUR","items":[{"sku":"SKU-0001","qty":2,"priceCents":1999},{"sku":"SKU-0002","qty":1,"priceCents":4999}],"shipping":{"name":"Jane Doe","line1":"1 Main Street","city":"Berlin","zip":"10115","country":"DE"},"note":"leave at door","source":"web"}') RETURNING id AS oid \gset
INSERT INTO outbox(aggregate_id, topic, payload) VALUES (:oid, 'order.created', '{"customerId":12345,"currency":"EUR","items":[{"sku":"SKU-0001","qty":2,"priceCents":1999},{"sku":"SKU-0002","qty":1,"priceCents":4999}],"shipping":{"name":"Jane Doe","line1":"1 Main Street","city":"Berlin","zip":"10115","country":"DE"},"note":"leave at door","source":"web"}');
END;
