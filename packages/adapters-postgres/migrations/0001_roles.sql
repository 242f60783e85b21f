-- Database roles are cluster-wide: create them only when missing, and tolerate a concurrent creator.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tiffin_api') THEN
    BEGIN
      CREATE ROLE tiffin_api NOLOGIN NOBYPASSRLS;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tiffin_worker') THEN
    BEGIN
      CREATE ROLE tiffin_worker NOLOGIN NOBYPASSRLS;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
  -- The connecting (owner) role takes these roles per transaction with SET LOCAL ROLE.
  IF NOT pg_has_role(current_user, 'tiffin_api', 'MEMBER') THEN
    EXECUTE format('GRANT tiffin_api TO %I', current_user);
  END IF;
  IF NOT pg_has_role(current_user, 'tiffin_worker', 'MEMBER') THEN
    EXECUTE format('GRANT tiffin_worker TO %I', current_user);
  END IF;
END
$$;

-- The principal of the current transaction, as set by the SQL layer with set_config(..., true).
CREATE FUNCTION app_role() RETURNS text LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.principal_role', true), '') $$;
CREATE FUNCTION app_principal() RETURNS text LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.principal_id', true), '') $$;
CREATE FUNCTION app_restaurant() RETURNS text LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.restaurant_id', true), '') $$;

-- Great-circle distance in kilometres (haversine), as the domain computes it.
CREATE FUNCTION distance_km(lat1 float8, lng1 float8, lat2 float8, lng2 float8) RETURNS float8
  LANGUAGE sql IMMUTABLE
  AS $$
    SELECT 2 * 6371.0088 * asin(least(1, sqrt(
      sin(radians(lat2 - lat1) / 2) ^ 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(radians(lng2 - lng1) / 2) ^ 2)))
  $$;
