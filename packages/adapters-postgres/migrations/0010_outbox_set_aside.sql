-- Outbox records the broker refused for good (too large, an attribute it cannot take), kept with the reason until an
-- admin restores them. A set-aside record holds its key: the relay claims none of that key's later records, so an
-- order's events are never published out of sequence. Restoring moves the record back at its old position.
CREATE TABLE outbox_set_aside (
  position bigint PRIMARY KEY,
  topic text NOT NULL,
  key text NOT NULL,
  message jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  reason text NOT NULL,
  set_aside_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_set_aside_key ON outbox_set_aside (key, position);

GRANT SELECT, INSERT, UPDATE, DELETE ON outbox_set_aside TO tiffin_api, tiffin_worker;
ALTER TABLE outbox_set_aside ENABLE ROW LEVEL SECURITY;
ALTER TABLE outbox_set_aside FORCE ROW LEVEL SECURITY;
-- Workers set records aside; admins list and restore them.
CREATE POLICY system_all ON outbox_set_aside TO tiffin_worker USING (app_role() = 'system');
CREATE POLICY admin_all ON outbox_set_aside TO tiffin_api USING (app_role() = 'admin');

-- The idle probe of migration 0006 runs as the owner and must see set-aside records too: records held behind one
-- do not count as work, so an append still wakes an idle relay.
DO $$
BEGIN
  EXECUTE format('CREATE POLICY owner_probe ON outbox_set_aside FOR SELECT TO %I USING (true)', current_user);
  EXECUTE format(
    'CREATE OR REPLACE FUNCTION outbox_idle() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = %I
       AS $f$ SELECT NOT EXISTS (SELECT 1 FROM outbox o WHERE NOT EXISTS (
         SELECT 1 FROM outbox_set_aside s WHERE s.key = o.key AND s.position < o.position)) $f$', current_schema());
END
$$;
