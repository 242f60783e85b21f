-- The reconciliation sweep pages through orders in one status and through running sagas with no step in flight.
CREATE INDEX orders_status ON orders (status, id);
CREATE INDEX sagas_idle ON sagas (order_id) WHERE status = 'running' AND step IS NULL;
