-- Under row-level security only leakproof operators may become index conditions, and neither the text match
-- (tsvector @@ tsquery) nor the box test (point <@ box) is leakproof: on `restaurants` the search's GIN and GiST
-- indexes were never used (measured with npm run bench:search). The catalog is public, so the search reads
-- a copy of its searchable columns without row-level security, which the API may only read and which only
-- this trigger writes; the profile itself is still read from `restaurants` by primary key, under its policies.
CREATE TABLE restaurant_search (
  id text PRIMARY KEY REFERENCES restaurants (id) ON DELETE CASCADE,
  lat float8 NOT NULL,
  lng float8 NOT NULL,
  time_zone text NOT NULL,
  open_minutes int4multirange NOT NULL,
  closed_now boolean NOT NULL,
  search tsvector NOT NULL
);
CREATE INDEX restaurant_search_text ON restaurant_search USING gin (search);
CREATE INDEX restaurant_search_position ON restaurant_search USING gist (point(lng, lat));
GRANT SELECT ON restaurant_search TO tiffin_api, tiffin_worker;
DROP INDEX restaurants_search;
DROP INDEX restaurants_position;

-- Runs as the owner of the tables (the migrating role), so API transactions that change a restaurant keep
-- the copy in step without any write privilege on it.
CREATE FUNCTION sync_restaurant_search() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT
  AS $$
  BEGIN
    INSERT INTO restaurant_search (id, lat, lng, time_zone, open_minutes, closed_now, search)
      VALUES (NEW.id, NEW.lat, NEW.lng, NEW.time_zone, NEW.open_minutes, NEW.closed_now, NEW.search)
      ON CONFLICT (id) DO UPDATE SET lat = excluded.lat, lng = excluded.lng, time_zone = excluded.time_zone,
        open_minutes = excluded.open_minutes, closed_now = excluded.closed_now, search = excluded.search;
    RETURN NEW;
  END
  $$;
CREATE TRIGGER restaurants_search AFTER INSERT OR UPDATE ON restaurants
  FOR EACH ROW EXECUTE FUNCTION sync_restaurant_search();
INSERT INTO restaurant_search (id, lat, lng, time_zone, open_minutes, closed_now, search)
  SELECT id, lat, lng, time_zone, open_minutes, closed_now, search FROM restaurants;
