-- The transport's claim as a function, so its plan does not depend on the queue's statistics. A queue table goes
-- from empty to thousands of rows faster than autovacuum analyzes it; with statistics that say "a few rows" the
-- planner read the whole subscription with a bitmap scan and sorted it, checking the ordering key of every waiting
-- message: measured at 68 ms per claim with 10,000 waiting, against under 1 ms when it walks the (subscription,
-- visible_at, id) index in order and stops at the limit. The function's SET clauses leave the planner only that walk.
--
-- Deletes the acknowledged ids and takes up to max_rows visible messages, hiding them for visibility_ms. Only the
-- oldest message of an ordering key is ever claimable, so a key's messages are handled one at a time, in order,
-- retries (still queued) included.
DO $$
BEGIN
  EXECUTE format($ddl$
    CREATE FUNCTION bus_claim(p_subscription text, p_max integer, p_visibility_ms integer, p_acks bigint[])
      RETURNS TABLE (id bigint, attributes jsonb, body text, deliveries integer)
      LANGUAGE sql VOLATILE SET search_path = %I SET enable_sort = off SET enable_bitmapscan = off SET enable_seqscan = off
    AS $f$
      WITH acked AS (
        DELETE FROM bus_messages WHERE bus_messages.id = ANY (p_acks)
      ), next AS (
        SELECT m.id FROM bus_messages m WHERE m.subscription = p_subscription AND m.visible_at <= clock_timestamp()
          AND (m.ordering_key IS NULL OR NOT EXISTS (
            SELECT 1 FROM bus_messages earlier
            WHERE earlier.subscription = p_subscription AND earlier.ordering_key = m.ordering_key AND earlier.id < m.id))
        ORDER BY m.visible_at, m.id LIMIT p_max FOR UPDATE SKIP LOCKED
      )
      UPDATE bus_messages m SET visible_at = clock_timestamp() + p_visibility_ms * interval '1 millisecond',
        deliveries = m.deliveries + 1
      FROM next WHERE m.id = next.id
      RETURNING m.id, m.attributes, m.body, m.deliveries
    $f$ $ddl$, current_schema());
END
$$;
