import { type CloudEvent, type EncodedMessage, type MessagePublisher, encodeCloudEvent } from "@tiffin/core";
import { busChannel } from "../sql/channels.js";
import type { Database } from "../sql/database.js";
import { json } from "../stores/rows.js";
import { BUS_SQL } from "./bus-sql.js";

/**
 * Publishes to the Postgres transport: one statement inserts a row per subscription of the topic (fan-out), and
 * once that committed a second one notifies their consumers, so `publish` resolves once every copy is committed
 * and its consumers were woken. Rows are inserted in array order, so messages of one subject keep their order.
 */
export class PostgresPublisher implements MessagePublisher {
  constructor(private readonly db: Database) {}

  async publish(topic: string, messages: readonly CloudEvent[]): Promise<void> {
    await this.publishEncoded(
      topic,
      messages.map((message) => encodeCloudEvent(message)),
    );
  }

  /** Puts already encoded messages on the topic (foreign producers, poison-message tests). */
  async publishEncoded(topic: string, messages: readonly EncodedMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const rows = messages.map((m) => ({ id: m.attributes.id ?? null, type: m.attributes.type ?? null, attributes: m.attributes, body: m.body }));
    const added = await this.db.query<{ subscription: string }>(BUS_SQL.publish, [topic, json(rows)]);
    if (added.length === 0) return;
    await this.db.query(BUS_SQL.wake, [busChannel(this.db.schema), added.map((row) => row.subscription)]);
  }

  async close(): Promise<void> {
    // The database belongs to the caller; nothing to release.
  }
}
