-- Live streams wait for view changes instead of polling every view. Each statement that updates order views sends
-- one NOTIFY, in its own transaction (so only committed changes are heard), on the schema's views channel (the same
-- name as viewsChannel() in src/sql/channels.ts), naming the changed orders and their restaurants as JSON. A
-- payload must stay under 8000 bytes: a longer list is sent as '*' ("something changed; read what you watch").
-- INSERTs (placement's first save) do not notify: nobody watches an order before it exists, and a notifying commit
-- is serialized with every other one, which placement should not pay for.
CREATE FUNCTION announce_order_view_updates() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  payload text;
BEGIN
  SELECT json_build_object('o', json_agg(DISTINCT id), 'r', json_agg(DISTINCT restaurant_id))::text INTO payload
    FROM changed_views;
  IF NOT EXISTS (SELECT 1 FROM changed_views) THEN
    RETURN NULL;
  END IF;
  IF octet_length(payload) >= 8000 THEN
    payload := '*';
  END IF;
  PERFORM pg_notify('tiffin_views_' || left(regexp_replace(lower(TG_TABLE_SCHEMA), '[^a-z0-9_]', '_', 'g'), 40), payload);
  RETURN NULL;
END
$$;

CREATE TRIGGER order_views_announce AFTER UPDATE ON order_views
  REFERENCING NEW TABLE AS changed_views
  FOR EACH STATEMENT EXECUTE FUNCTION announce_order_view_updates();
