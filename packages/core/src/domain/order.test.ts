import { describe, expect, it } from "vitest";
import { money } from "./money.js";
import { OrderErrorCode } from "./order.errors.js";
import {
  type Order,
  type OrderChange,
  type OrderStatus,
  assignCourier,
  cancel,
  confirm,
  deliver,
  isTerminal,
  markReady,
  pickUp,
  placeOrder,
  startPreparing,
} from "./order.js";
import type { Result } from "./result.js";

const T0 = "2026-01-01T12:00:00.000Z";
const T1 = "2026-01-01T12:05:00.000Z";

function placed(): Order {
  return placeOrder({
    id: "o1",
    customerId: "cust-1",
    restaurantId: "rest-1",
    lines: [],
    total: money(1250, "EUR"),
    menuVersion: 1,
    deliveryAddress: { lat: 52.52, lng: 13.405, line1: "Unter den Linden 1" },
    at: T0,
  }).order;
}

function value<E>(result: Result<OrderChange, E>): OrderChange {
  if (!result.ok) throw new Error(`expected a transition, got ${JSON.stringify(result.error)}`);
  return result.value;
}

type Step = (o: Order) => Result<OrderChange, unknown>;
const steps: Record<string, Step> = {
  confirm: (o) => confirm(o, T1),
  startPreparing: (o) => startPreparing(o, T1),
  markReady: (o) => markReady(o, T1),
  assign: (o) => assignCourier(o, "c1", "offer-1", T1),
  pickUp: (o) => pickUp(o, "c1", T1),
  deliver: (o) => deliver(o, "c1", T1),
  cancel: (o) => cancel(o, "customer_cancelled", T1),
};

/** The order after running the named steps from `placed`, each of which must succeed. */
const after = (...names: (keyof typeof steps)[]): Order =>
  names.reduce((o, name) => value(steps[name]!(o)).order, placed());

const AT: Record<OrderStatus, Order> = {
  placed: placed(),
  confirmed: after("confirm"),
  preparing: after("confirm", "startPreparing"),
  ready: after("confirm", "startPreparing", "assign", "markReady"),
  picked_up: after("confirm", "startPreparing", "assign", "markReady", "pickUp"),
  delivered: after("confirm", "startPreparing", "assign", "markReady", "pickUp", "deliver"),
  cancelled: after("cancel"),
};

describe("order lifecycle", () => {
  it("is placed at version 1 with no courier and an order.placed event carrying the priced order", () => {
    const { order, events } = placeOrder({
      id: "o1",
      customerId: "cust-1",
      restaurantId: "rest-1",
      lines: [],
      total: money(1250, "EUR"),
      menuVersion: 1,
      deliveryAddress: { lat: 1, lng: 2 },
      at: T0,
    });
    expect(order).toMatchObject({ status: "placed", version: 1, courierId: null, cancelReason: null, placedAt: T0 });
    expect(events).toEqual([expect.objectContaining({ type: "order.placed", orderId: "o1", at: T0 })]);
    expect(events[0]?.data).toMatchObject({ total: money(1250, "EUR"), restaurantId: "rest-1" });
  });

  it.each([
    ["confirm", "placed", "confirmed", "order.confirmed"],
    ["startPreparing", "confirmed", "preparing", "order.preparing"],
    ["markReady", "preparing", "ready", "order.ready"],
    ["pickUp", "ready", "picked_up", "order.picked_up"],
    ["deliver", "picked_up", "delivered", "order.delivered"],
    ["cancel", "placed", "cancelled", "order.cancelled"],
    ["cancel", "confirmed", "cancelled", "order.cancelled"],
    ["cancel", "preparing", "cancelled", "order.cancelled"],
  ] as const)("%s moves %s to %s with %s and version + 1", (step, from, to, eventType) => {
    const before = AT[from];
    const { order, events } = value(steps[step]!(before));
    expect(order.status).toBe(to);
    expect(order.version).toBe(before.version + 1);
    expect(order.updatedAt).toBe(T1);
    expect(events.map((e) => e.type)).toEqual([eventType]);
    expect(before.status).toBe(from);
  });

  const allowed: Record<string, readonly OrderStatus[]> = {
    confirm: ["placed"],
    startPreparing: ["confirmed"],
    markReady: ["preparing"],
    pickUp: ["ready"],
    deliver: ["picked_up"],
    cancel: ["placed", "confirmed", "preparing"],
  };
  const invalid = Object.entries(allowed).flatMap(([step, from]) =>
    (Object.keys(AT) as OrderStatus[]).filter((s) => !from.includes(s)).map((s) => [step, s] as const),
  );

  it.each(invalid)("%s from %s is ORDER_INVALID_TRANSITION and changes nothing", (step, from) => {
    const result = steps[step]!(AT[from]);
    expect(result).toMatchObject({ ok: false, error: { code: OrderErrorCode.InvalidTransition } });
    expect(AT[from].status).toBe(from);
  });

  it("records the reason and the status it was cancelled from", () => {
    const { order, events } = value(cancel(AT.preparing, "restaurant_rejected", T1));
    expect(order.cancelReason).toBe("restaurant_rejected");
    expect(events[0]?.data).toEqual({ reason: "restaurant_rejected", from: "preparing" });
  });

  it.each(["delivered", "cancelled"] as const)("%s is terminal", (status) => {
    expect(isTerminal(status)).toBe(true);
    for (const step of Object.values(steps)) {
      expect(step(AT[status])).toMatchObject({ ok: false, error: { code: OrderErrorCode.InvalidTransition } });
    }
  });
});

describe("courier assignment", () => {
  it.each(["confirmed", "preparing", "ready"] as const)("sets the courier once while %s, keeping the status", (status) => {
    const before = status === "ready" ? value(markReady(AT.preparing, T1)).order : AT[status];
    const { order, events } = value(assignCourier(before, "c7", "offer-9", T1));
    expect(order).toMatchObject({ status, courierId: "c7", version: before.version + 1 });
    expect(events).toEqual([expect.objectContaining({ type: "courier.assigned", data: { courierId: "c7", offerId: "offer-9" } })]);
  });

  it("refuses a second courier with ORDER_COURIER_ALREADY_SET", () => {
    const result = assignCourier(after("confirm", "assign"), "c2", "offer-2", T1);
    expect(result).toMatchObject({ ok: false, error: { code: OrderErrorCode.CourierAlreadySet, details: { courierId: "c1" } } });
  });

  it.each(["placed", "picked_up", "delivered", "cancelled"] as const)("cannot assign a courier while %s", (status) => {
    const order = { ...AT[status], courierId: null };
    expect(assignCourier(order, "c2", "offer-2", T1)).toMatchObject({
      ok: false,
      error: { code: OrderErrorCode.InvalidTransition },
    });
  });

  it("lets only the assigned courier pick up and deliver", () => {
    expect(pickUp(AT.ready, "c2", T1)).toMatchObject({ ok: false, error: { code: OrderErrorCode.InvalidTransition } });
    expect(deliver(AT.picked_up, "c2", T1)).toMatchObject({ ok: false, error: { code: OrderErrorCode.InvalidTransition } });
    const unassigned = value(markReady(AT.preparing, T1)).order;
    expect(pickUp(unassigned, "c1", T1).ok).toBe(false);
  });
});
