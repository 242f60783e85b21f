-- Row-level security is the tenant isolation. Workers take tiffin_worker and see every row
-- as the `system` principal; API requests take tiffin_api and see only what their principal may. With no
-- principal set, tiffin_api sees nothing, because every tiffin_api policy requires app_role().
DO $$
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO tiffin_api, tiffin_worker', current_schema());
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO tiffin_api, tiffin_worker', current_schema());
  EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO tiffin_api, tiffin_worker', current_schema());
END
$$;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['orders', 'outbox', 'outbox_leases', 'inbox', 'sagas', 'idempotency_keys', 'order_views',
                           'restaurants', 'menus', 'couriers', 'courier_locations', 'offers', 'timers'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY system_all ON %I TO tiffin_worker USING (app_role() = ''system'')', t);
    EXECUTE format('CREATE POLICY admin_all ON %I TO tiffin_api USING (app_role() = ''admin'')', t);
  END LOOP;
END
$$;

-- Orders: the customer who placed it, its restaurant's staff, and its assigned courier. (Accepting an offer
-- runs as the system principal, since the courier cannot see the order before it is theirs.)
CREATE POLICY tenant ON orders TO tiffin_api USING (
  (app_role() = 'customer' AND customer_id = app_principal())
  OR (app_role() = 'restaurant' AND restaurant_id = app_restaurant())
  OR (app_role() = 'courier' AND courier_id = app_principal())
);

CREATE POLICY tenant ON order_views TO tiffin_api USING (
  (app_role() = 'customer' AND customer_id = app_principal())
  OR (app_role() = 'restaurant' AND restaurant_id = app_restaurant())
  OR (app_role() = 'courier' AND courier_id = app_principal())
);

CREATE POLICY tenant ON offers TO tiffin_api USING (
  (app_role() = 'courier' AND courier_id = app_principal())
  OR (app_role() = 'restaurant' AND restaurant_id = app_restaurant())
);

-- Any principal's transaction may write events and schedule wake-ups; only workers read them back.
CREATE POLICY append ON outbox FOR INSERT TO tiffin_api WITH CHECK (app_role() IS NOT NULL);
CREATE POLICY tenant ON timers TO tiffin_api USING (app_role() IS NOT NULL);
CREATE POLICY tenant ON inbox TO tiffin_api USING (app_role() IS NOT NULL);

-- A principal's idempotency keys are its own.
CREATE POLICY tenant ON idempotency_keys TO tiffin_api USING (owner = app_principal());

-- The catalog is public to every authenticated principal; only admins and workers change it.
CREATE POLICY read ON restaurants FOR SELECT TO tiffin_api USING (app_role() IS NOT NULL);
CREATE POLICY read ON menus FOR SELECT TO tiffin_api USING (app_role() IS NOT NULL);

-- A courier sees and updates only their own profile and position.
CREATE POLICY tenant ON couriers TO tiffin_api USING (app_role() = 'courier' AND id = app_principal());
CREATE POLICY tenant ON courier_locations TO tiffin_api USING (app_role() = 'courier' AND courier_id = app_principal());
