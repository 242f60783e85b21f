/** The transport's statements, each one round trip; `$n::int` milliseconds become intervals in the database. */
export const BUS_SQL = {
  upsertSubscription: `
    INSERT INTO bus_subscriptions (name, topic, event_types, max_deliveries) VALUES ($1, $2, $3::text[], $4)
    ON CONFLICT (name) DO UPDATE SET topic = excluded.topic, event_types = excluded.event_types,
      max_deliveries = excluded.max_deliveries`,

  /** Fan-out at publish: one row per matching subscription, then one wake-up per subscription. */
  publish: `
    WITH input AS (
      SELECT m.value->>'id' AS message_id, m.value->>'type' AS type, m.value->'attributes' AS attributes,
             m.value->'attributes'->>'subject' AS ordering_key,
             m.value->>'body' AS body, m.n
      FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS m(value, n)
    ), added AS (
      INSERT INTO bus_messages (subscription, message_id, ordering_key, attributes, body)
      SELECT s.name, i.message_id, i.ordering_key, i.attributes, i.body FROM bus_subscriptions s CROSS JOIN input i
      WHERE s.topic = $1 AND (s.event_types IS NULL OR i.type IS NULL OR i.type = ANY (s.event_types))
      ORDER BY i.n, s.name
      RETURNING subscription
    )
    SELECT pg_notify($3, subscription) FROM (SELECT DISTINCT subscription FROM added) AS woken`,

  /**
   * Deletes the acknowledged ids $4 and takes up to $2 visible messages, hiding them for the visibility
   * timeout $3: one round trip per consumer cycle. Only the oldest message of an ordering key is ever
   * claimable, so a key's messages are handled one at a time, in order, retries (still queued) included.
   */
  claim: `
    WITH acked AS (
      DELETE FROM bus_messages WHERE id = ANY ($4::bigint[])
    ), next AS (
      SELECT id FROM bus_messages m WHERE subscription = $1 AND visible_at <= clock_timestamp()
        AND (ordering_key IS NULL OR NOT EXISTS (
          SELECT 1 FROM bus_messages earlier
          WHERE earlier.subscription = $1 AND earlier.ordering_key = m.ordering_key AND earlier.id < m.id))
      ORDER BY visible_at, id LIMIT $2 FOR UPDATE SKIP LOCKED
    )
    UPDATE bus_messages m SET visible_at = clock_timestamp() + $3::int * interval '1 millisecond', deliveries = m.deliveries + 1
    FROM next WHERE m.id = next.id
    RETURNING m.id, m.attributes, m.body, m.deliveries`,

  ack: `DELETE FROM bus_messages WHERE id = ANY ($1::bigint[])`,

  extend: `UPDATE bus_messages SET visible_at = clock_timestamp() + $2::int * interval '1 millisecond' WHERE id = ANY ($1::bigint[])`,

  nack: `UPDATE bus_messages SET visible_at = clock_timestamp() + $2::int * interval '1 millisecond' WHERE id = $1`,

  deadLetter: `
    WITH moved AS (
      DELETE FROM bus_messages WHERE id = $1 RETURNING subscription, message_id, ordering_key, attributes, body, deliveries
    )
    INSERT INTO bus_dead_letters (subscription, message_id, ordering_key, attributes, body, reason, attempts)
    SELECT subscription, message_id, ordering_key, attributes, body, $2, deliveries FROM moved`,

  listDeadLetters: `
    SELECT id, subscription, attributes, body, reason, attempts, dead_lettered_at FROM bus_dead_letters
    WHERE subscription = $1 ORDER BY id LIMIT $2`,

  /** Back to its own subscription only, as a fresh delivery (deliveries start again at 0). */
  replay: `
    WITH letter AS (
      DELETE FROM bus_dead_letters WHERE id = $1::bigint RETURNING subscription, message_id, ordering_key, attributes, body
    ), requeued AS (
      INSERT INTO bus_messages (subscription, message_id, ordering_key, attributes, body)
      SELECT subscription, message_id, ordering_key, attributes, body FROM letter RETURNING subscription
    )
    SELECT pg_notify($2, subscription) FROM requeued`,

  depth: `SELECT count(*) AS n FROM bus_messages WHERE subscription = $1`,
} as const;
