import { OrderErrorCode } from "../domain/order.errors.js";
import type { Order, OrderChange, OrderStatus } from "../domain/order.js";
import { type DomainError, type Result, domainError, err, ok } from "../domain/result.js";
import type { MessageMeta } from "../messaging/cloud-event.js";
import { orderEventId, toCloudEvent } from "../messaging/domain-event-envelope.js";
import { ORDER_EVENTS_TOPIC } from "../messaging/topology.js";
import { OrderAlreadyExistsError, type OrderStore, OrderVersionConflictError } from "../ports/order-store.js";
import { copy } from "./in-memory-database.js";
import { appendToOutbox } from "./outbox.js";
import type { StoreContext } from "./store-context.js";
import { canSeeOrder, checkWrite } from "./visibility.js";

/** The order store in memory: a save and its outbox rows land in the same transaction. */
export class InMemoryOrderStore implements OrderStore {
  constructor(private readonly ctx: StoreContext) {}

  async load(orderId: string): Promise<Order | null> {
    const order = this.visible(orderId);
    return order ? copy(order) : null;
  }

  async create(change: OrderChange, meta: MessageMeta): Promise<void> {
    const { order } = change;
    if (this.ctx.txn.read("orders").has(order.id)) throw new OrderAlreadyExistsError(order.id);
    this.save(change, meta);
  }

  async stale(filter: { status: OrderStatus; updatedBefore: Date; limit: number; afterId?: string }): Promise<Order[]> {
    const cutoff = filter.updatedBefore.getTime();
    const after = filter.afterId ?? "";
    return [...this.ctx.txn.read("orders").values()]
      .filter((o) => canSeeOrder(this.ctx.principal, o) && o.status === filter.status && Date.parse(o.updatedAt) < cutoff && o.id > after)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, filter.limit)
      .map(copy);
  }

  async update<E extends DomainError>(
    orderId: string,
    fn: (order: Order) => Result<OrderChange, E>,
    meta: MessageMeta,
  ): Promise<Result<Order, E | DomainError<"ORDER_NOT_FOUND">>> {
    const current = this.visible(orderId);
    if (!current) return err(domainError(OrderErrorCode.NotFound, `order ${orderId} not found`, { orderId }));
    const result = fn(copy(current));
    if (!result.ok) return result;
    const change = result.value;
    if (change.order.id !== orderId) throw new Error(`update of order ${orderId} returned order ${change.order.id}`);
    const expected = change.order.version - 1;
    if (this.ctx.txn.read("orders").get(orderId)?.version !== expected) {
      throw new OrderVersionConflictError(orderId, expected);
    }
    this.save(change, meta);
    return ok(copy(change.order));
  }

  private visible(orderId: string): Order | undefined {
    const order = this.ctx.txn.read("orders").get(orderId);
    return order && canSeeOrder(this.ctx.principal, order) ? order : undefined;
  }

  private save({ order, events }: OrderChange, meta: MessageMeta): void {
    checkWrite(canSeeOrder(this.ctx.principal, order), "orders", this.ctx.principal);
    this.ctx.txn.write("orders").set(order.id, copy(order));
    const messages = events.map((event, index) => toCloudEvent(event, orderEventId(order.id, order.version, index), meta));
    appendToOutbox(this.ctx, ORDER_EVENTS_TOPIC, messages);
  }
}
