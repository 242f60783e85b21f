-- The catalog issue: restaurants with hours in their own time zone, a pause switch and a text search
-- vector; menus as numbered versions; per-entry stock with portions; portion reservations per order;
-- courier vehicles and deactivation.

-- Minutes since Monday 00:00 on the wall clock of `zone` at `at` (the domain's minuteOfWeek).
CREATE FUNCTION minute_of_week(at timestamptz, zone text) RETURNS integer
  LANGUAGE sql STABLE
  AS $$
    SELECT ((extract(isodow FROM local) - 1) * 1440 + extract(hour FROM local) * 60 + extract(minute FROM local))::integer
    FROM (SELECT at AT TIME ZONE zone AS local) AS t
  $$;

ALTER TABLE restaurants
  ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC',
  ADD COLUMN hours jsonb NOT NULL DEFAULT '{}',
  -- The hours as the domain's weekIntervals: minutes since Monday 00:00 local, what open_now searches by.
  ADD COLUMN open_minutes int4multirange NOT NULL DEFAULT '{}',
  ADD COLUMN prep_minutes integer NOT NULL DEFAULT 15,
  ADD COLUMN closed_now boolean NOT NULL DEFAULT false,
  ADD COLUMN menu_version integer NOT NULL DEFAULT 0,
  ADD COLUMN dish_names text NOT NULL DEFAULT '';
UPDATE restaurants SET closed_now = NOT open, open_minutes = '{[0,10080)}',
  hours = '{"mon":[{"opens":"00:00","closes":"24:00"}],"tue":[{"opens":"00:00","closes":"24:00"}],"wed":[{"opens":"00:00","closes":"24:00"}],"thu":[{"opens":"00:00","closes":"24:00"}],"fri":[{"opens":"00:00","closes":"24:00"}],"sat":[{"opens":"00:00","closes":"24:00"}],"sun":[{"opens":"00:00","closes":"24:00"}]}';
ALTER TABLE restaurants DROP COLUMN open;
-- Name over cuisine over dish names (ts_rank weights A, B, C); `simple` keeps words as written, lower-cased.
ALTER TABLE restaurants ADD COLUMN search tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', name), 'A') || setweight(to_tsvector('simple', cuisine), 'B')
  || setweight(to_tsvector('simple', dish_names), 'C')) STORED;
CREATE INDEX restaurants_search ON restaurants USING gin (search);
-- Built-in geometric types, no PostGIS: a GiST index answers the search's bounding box; the exact
-- great-circle distance then filters and ranks the few rows inside it.
CREATE INDEX restaurants_position ON restaurants USING gist (point(lng, lat));

CREATE TABLE menu_versions (
  restaurant_id text NOT NULL REFERENCES restaurants (id) ON DELETE CASCADE,
  version integer NOT NULL,
  document jsonb NOT NULL,
  published_at timestamptz NOT NULL,
  PRIMARY KEY (restaurant_id, version)
);
INSERT INTO menu_versions (restaurant_id, version, document, published_at)
  SELECT restaurant_id, 1, document, now() FROM menus;
UPDATE restaurants r SET menu_version = 1 WHERE EXISTS (SELECT 1 FROM menus m WHERE m.restaurant_id = r.id);

-- Live state of the current menu's items and combos. `revision` grows when staff change a row or an item
-- sells out or comes back; the menu's stamp is (menu_version, sum of revisions).
CREATE TABLE menu_stock (
  restaurant_id text NOT NULL REFERENCES restaurants (id) ON DELETE CASCADE,
  item_id text NOT NULL,
  available boolean NOT NULL,
  portions_left integer CHECK (portions_left >= 0),
  revision integer NOT NULL DEFAULT 0,
  PRIMARY KEY (restaurant_id, item_id)
);
INSERT INTO menu_stock (restaurant_id, item_id, available)
  SELECT m.restaurant_id, i ->> 'id', (i ->> 'available')::boolean
  FROM menus m, jsonb_array_elements(m.document -> 'categories') AS c, jsonb_array_elements(c -> 'items') AS i
  UNION ALL
  SELECT m.restaurant_id, k ->> 'id', (k ->> 'available')::boolean
  FROM menus m, jsonb_array_elements(m.document -> 'combos') AS k;
DROP TABLE menus;

-- Portions an order holds; deleting the rows is what gives them back, so a release happens once.
CREATE TABLE portion_reservations (
  order_id text NOT NULL,
  restaurant_id text NOT NULL,
  customer_id text NOT NULL,
  item_id text NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (order_id, item_id)
);

ALTER TABLE couriers
  ADD COLUMN vehicle text NOT NULL DEFAULT 'bicycle',
  ADD COLUMN active boolean NOT NULL DEFAULT true;

DO $$
DECLARE
  t text;
BEGIN
  GRANT SELECT, INSERT, UPDATE, DELETE ON menu_versions, menu_stock, portion_reservations TO tiffin_api, tiffin_worker;
  FOREACH t IN ARRAY ARRAY['menu_versions', 'menu_stock', 'portion_reservations'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY system_all ON %I TO tiffin_worker USING (app_role() = ''system'')', t);
    EXECUTE format('CREATE POLICY admin_all ON %I TO tiffin_api USING (app_role() = ''admin'')', t);
  END LOOP;
END
$$;

-- Menus and stock are public; a restaurant's staff change their own restaurant, menus and stock.
CREATE POLICY read ON menu_versions FOR SELECT TO tiffin_api USING (app_role() IS NOT NULL);
CREATE POLICY read ON menu_stock FOR SELECT TO tiffin_api USING (app_role() IS NOT NULL);
CREATE POLICY staff ON restaurants TO tiffin_api USING (app_role() = 'restaurant' AND id = app_restaurant());
CREATE POLICY staff ON menu_versions TO tiffin_api USING (app_role() = 'restaurant' AND restaurant_id = app_restaurant());
CREATE POLICY staff ON menu_stock TO tiffin_api USING (app_role() = 'restaurant' AND restaurant_id = app_restaurant());
-- A customer's placement or cancellation moves portions: row locks and updates of stock, nothing else.
CREATE POLICY reserve ON menu_stock FOR UPDATE TO tiffin_api USING (app_role() = 'customer');
CREATE POLICY tenant ON portion_reservations TO tiffin_api USING (
  (app_role() = 'customer' AND customer_id = app_principal())
  OR (app_role() = 'restaurant' AND restaurant_id = app_restaurant())
);
