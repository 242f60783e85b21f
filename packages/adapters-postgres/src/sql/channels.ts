const suffix = (schema: string): string => schema.toLowerCase().replace(/[^a-z0-9_]/g, "_").slice(0, 40);

/** NOTIFY channel on which an outbox append wakes the relays of one schema. */
export const outboxChannel = (schema: string): string => `tiffin_outbox_${suffix(schema)}`;

/** NOTIFY channel on which a publish wakes the transport's consumers of one schema (payload: subscription). */
export const busChannel = (schema: string): string => `tiffin_bus_${suffix(schema)}`;

/**
 * NOTIFY channel on which committed order view updates are announced in one schema (payload: JSON `{ o, r }` with
 * the order and restaurant ids, or `*`). Migration 0018's trigger builds the same name in SQL.
 */
export const viewsChannel = (schema: string): string => `tiffin_views_${suffix(schema)}`;
