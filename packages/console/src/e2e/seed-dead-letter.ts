import { randomUUID } from "node:crypto";
import { PgliteDatabase, migrate } from "@tiffin/adapters-postgres";
import { encodeCloudEvent } from "@tiffin/core";

/**
 * Leaves one dead letter on the `projections` subscription of the embedded database in `dataDir`, as an outage
 * would have: a well-formed `order.ready` whose handler failed. Replaying it is safe (the projection skips an event
 * for an order it has no view of), so an operator's replay empties the queue. Runs before `tiffin start` opens the
 * folder, since PGlite serves one process at a time.
 */
export async function seedDeadLetter(dataDir: string): Promise<string> {
  const db = await PgliteDatabase.open({ dataDir: `${dataDir}/pglite` });
  try {
    await migrate(db);
    const orderId = `o-lost-${randomUUID().slice(0, 8)}`;
    const message = encodeCloudEvent({
      specversion: "1.0",
      id: `${orderId}:4:0`,
      source: "tiffin/kitchen",
      type: "order.ready",
      time: new Date().toISOString(),
      subject: orderId,
      datacontenttype: "application/json",
      data: { restaurantId: "r-curry-house" },
    });
    await db.query(
      `INSERT INTO bus_dead_letters (subscription, message_id, ordering_key, attributes, body, reason, attempts)
       VALUES ('projections', $1, $2, $3::jsonb, $4, 'handler failed: connection terminated unexpectedly', 5)`,
      [message.attributes.id, orderId, JSON.stringify(message.attributes), message.body],
    );
    return orderId;
  } finally {
    await db.close();
  }
}
