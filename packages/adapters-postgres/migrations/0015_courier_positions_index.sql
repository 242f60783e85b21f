-- Nearest-courier searches filter on a GiST index over the built-in geometric `point` type (longitude, latitude
-- in degrees): a bounding box of the radius, then the exact great-circle distance on the few rows inside it.
-- Core PostgreSQL, so PGlite runs it too (no PostGIS, no extension).
ALTER TABLE courier_locations ADD COLUMN pos point GENERATED ALWAYS AS (point(lng, lat)) STORED;
CREATE INDEX courier_locations_pos ON courier_locations USING gist (pos);

-- Order views no longer carry the courier's position: it is read from the positions store when a view is served.
UPDATE order_views SET view = jsonb_set(view, '{courierPosition}', 'null'::jsonb) WHERE view -> 'courierPosition' <> 'null'::jsonb;
