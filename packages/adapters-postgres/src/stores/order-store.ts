import {
  type DomainError,
  type MessageMeta,
  type Order,
  type OrderChange,
  type OrderStatus,
  type OrderStore,
  type Outbox,
  type Result,
  ORDER_EVENTS_TOPIC,
  OrderErrorCode,
  OrderVersionConflictError,
  domainError,
  err,
  ok,
  orderEventId,
  toCloudEvent,
} from "@tiffin/core";
import type { SqlExecutor } from "../sql/database.js";
import { codedError, json } from "./rows.js";

/** Orders with compare-and-set on `version`; every write appends its events to the outbox in the same transaction. */
export class PostgresOrderStore implements OrderStore {
  constructor(
    private readonly tx: SqlExecutor,
    private readonly outbox: Outbox,
  ) {}

  async load(orderId: string): Promise<Order | null> {
    const rows = await this.tx.query<{ data: Order }>("SELECT data FROM orders WHERE id = $1", [orderId]);
    return rows[0]?.data ?? null;
  }

  async stale(filter: { status: OrderStatus; updatedBefore: Date; limit: number; afterId?: string }): Promise<Order[]> {
    const rows = await this.tx.query<{ data: Order }>(
      `SELECT data FROM orders WHERE status = $1 AND (data->>'updatedAt')::timestamptz < $2 AND id > $4
       ORDER BY id LIMIT $3`,
      [filter.status, filter.updatedBefore.toISOString(), filter.limit, filter.afterId ?? ""],
    );
    return rows.map((r) => r.data);
  }

  async create(change: OrderChange, meta: MessageMeta): Promise<void> {
    const { order } = change;
    const inserted = await this.tx.query(
      `INSERT INTO orders (id, customer_id, restaurant_id, courier_id, status, version, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [order.id, order.customerId, order.restaurantId, order.courierId, order.status, order.version, json(order)],
    );
    if (inserted.length === 0) throw codedError(OrderErrorCode.AlreadyExists, `order ${order.id} already exists`);
    await this.appendEvents(change, meta);
  }

  async update<E extends DomainError>(
    orderId: string,
    fn: (order: Order) => Result<OrderChange, E>,
    meta: MessageMeta,
  ): Promise<Result<Order, E | DomainError<"ORDER_NOT_FOUND">>> {
    const current = await this.load(orderId);
    if (!current) return err(domainError(OrderErrorCode.NotFound, `order ${orderId} not found`, { orderId }));
    const result = fn(current);
    if (!result.ok) return result;
    const { order } = result.value;
    // Compare-and-set on the version the change was computed from, which need not be the one loaded here.
    const expected = order.version - 1;
    const saved = await this.tx.query(
      `UPDATE orders SET courier_id = $3, status = $4, version = $5, data = $6::jsonb
       WHERE id = $1 AND version = $2 RETURNING id`,
      [orderId, expected, order.courierId, order.status, order.version, json(order)],
    );
    if (saved.length === 0) throw new OrderVersionConflictError(orderId, expected);
    await this.appendEvents(result.value, meta);
    return ok(order);
  }

  private async appendEvents(change: OrderChange, meta: MessageMeta): Promise<void> {
    if (change.events.length === 0) return;
    const messages = change.events.map((event, index) =>
      toCloudEvent(event, orderEventId(change.order.id, change.order.version, index), meta),
    );
    await this.outbox.append(ORDER_EVENTS_TOPIC, messages);
  }
}
