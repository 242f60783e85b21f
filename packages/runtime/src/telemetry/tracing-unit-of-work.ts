import { trace } from "@opentelemetry/api";
import type { MessageMeta, OrderStore, OrderView, Outbox, Principal, ReadModels, TransactionStores, UnitOfWork } from "@tiffin/core";
import { traceHeaders } from "./trace-context.js";

/** Fills `traceparent`/`tracestate` from the active span when the caller's meta has none. */
const traced = (meta: MessageMeta): MessageMeta => (meta.traceparent === undefined ? { ...traceHeaders(), ...meta } : meta);

function tracedOrders(orders: OrderStore): OrderStore {
  return {
    load: (orderId) => orders.load(orderId),
    stale: (filter) => orders.stale(filter),
    create: (change, meta) => orders.create(change, traced(meta)),
    update: (orderId, fn, meta) => orders.update(orderId, fn, traced(meta)),
  };
}

function tracedOutbox(outbox: Outbox): Outbox {
  return {
    append: (topic, messages) => outbox.append(topic, messages.map((m) => (m.traceparent === undefined ? { ...m, ...traceHeaders() } : m))),
    claim: (relayId, limit, leaseMs, options) => outbox.claim(relayId, limit, leaseMs, options),
    markSent: (relayId, positions) => outbox.markSent(relayId, positions),
    release: (relayId, positions) => outbox.release(relayId, positions),
    setAside: (relayId, position, reason) => outbox.setAside(relayId, position, reason),
    setAsideRecords: (options) => outbox.setAsideRecords(options),
    restore: (position) => outbox.restore(position),
    pending: () => outbox.pending(),
  };
}

/** Records the active trace's id on a view saved without one (its first save), so operators can find the order's trace. */
function withTraceId(view: OrderView): OrderView {
  if (view.traceId !== undefined) return view;
  const span = trace.getActiveSpan()?.spanContext();
  return span === undefined || !trace.isSpanContextValid(span) ? view : { ...view, traceId: span.traceId };
}

/** The read models with `saveView` stamping the trace id; every other call goes to the store itself. */
function tracedViews(views: ReadModels): ReadModels {
  return {
    getView: (orderId) => views.getView(orderId),
    saveView: (view) => views.saveView(withTraceId(view)),
    history: (customerId, page) => views.history(customerId, page),
    board: (restaurantId) => views.board(restaurantId),
  };
}

/**
 * A UnitOfWork decorator that stamps the active trace context on every event a transaction writes to the outbox,
 * so the relay publishes it with the `traceparent` of the request or consumer span that caused it, and one trace
 * follows an order from the API through every consumer. The order's view records that trace's id when first saved.
 */
export class TracingUnitOfWork implements UnitOfWork {
  constructor(private readonly inner: UnitOfWork) {}

  run<T>(principal: Principal, fn: (tx: TransactionStores) => Promise<T>): Promise<T> {
    return this.inner.run(principal, (tx) => fn({ ...tx, orders: tracedOrders(tx.orders), outbox: tracedOutbox(tx.outbox), views: tracedViews(tx.views) }));
  }
}
