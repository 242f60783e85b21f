/**
 * Consumer-side statements (claims, acks, nacks, leases, dead-lettering) commit without waiting for their WAL flush.
 * A crash of the server can lose only their last fraction of a second, and each of those losses redelivers a message
 * (a claim or an ack undone), which at-least-once delivery allows; publishing keeps the synchronous commit, so a
 * resolved `publish` is durable. Measured on this machine: small commits went from about 1,500 to 4,500 per second.
 * The uncorrelated subquery runs once per statement, as an init plan, and `true` makes the setting local to it.
 */
const ASYNC_COMMIT = `(SELECT set_config('synchronous_commit', 'off', true)) IS NOT NULL`;

/** The transport's statements, each one round trip; `$n::int` milliseconds become intervals in the database. */
export const BUS_SQL = {
  upsertSubscription: `
    INSERT INTO bus_subscriptions (name, topic, event_types, max_deliveries) VALUES ($1, $2, $3::text[], $4)
    ON CONFLICT (name) DO UPDATE SET topic = excluded.topic, event_types = excluded.event_types,
      max_deliveries = excluded.max_deliveries`,

  /** Fan-out at publish: one row per matching subscription; returns the subscriptions that got rows. */
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
    SELECT DISTINCT subscription FROM added`,

  /**
   * The wake-up after a publish committed, in a transaction of its own. A notifying commit holds a database-wide lock
   * until its commit record is flushed, so publishes that notified in their own transaction waited for each other's
   * WAL flush (sampled: `Lock:object` was the publishers' main wait once claims were cheap). This transaction writes
   * nothing but the notification, so it need not wait for the flush: a crash can lose the wake-up, never a message,
   * and the consumers' poll covers a lost wake-up as it covers a dropped listening connection.
   */
  wake: `SELECT pg_notify($1, subscription) FROM unnest($2::text[]) AS woken(subscription) WHERE ${ASYNC_COMMIT}`,

  /**
   * Deletes the acknowledged ids $4 and takes up to $2 visible messages, hiding them for the visibility timeout $3:
   * one round trip per consumer cycle. `bus_claim` (migration 0020) holds the statement and says why it is a function.
   */
  claim: `SELECT * FROM bus_claim($1, $2, $3, $4::bigint[]) WHERE ${ASYNC_COMMIT}`,

  ack: `DELETE FROM bus_messages WHERE id = ANY ($1::bigint[]) AND ${ASYNC_COMMIT}`,

  extend: `UPDATE bus_messages SET visible_at = clock_timestamp() + $2::int * interval '1 millisecond' WHERE id = ANY ($1::bigint[]) AND ${ASYNC_COMMIT}`,

  nack: `UPDATE bus_messages SET visible_at = clock_timestamp() + $2::int * interval '1 millisecond' WHERE id = $1 AND ${ASYNC_COMMIT}`,

  deadLetter: `
    WITH moved AS (
      DELETE FROM bus_messages WHERE id = $1 AND ${ASYNC_COMMIT} RETURNING subscription, message_id, ordering_key, attributes, body, deliveries
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
