-- Each restaurant delivers within its own radius (kilometres, great-circle from its location); placement refuses
-- an address beyond it with DELIVERY_OUT_OF_RANGE. Existing restaurants get the default radius. The column sits
-- on `restaurants`, so its row-level security policies (public read, staff and admin write) already cover it.
ALTER TABLE restaurants
  ADD COLUMN delivery_radius_km float8 NOT NULL DEFAULT 10
    CONSTRAINT restaurants_delivery_radius CHECK (delivery_radius_km > 0 AND delivery_radius_km <= 100);
