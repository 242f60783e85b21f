import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { money } from "./money.js";
import { OrderErrorCode } from "./order.errors.js";
import {
  type CancelReason,
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

type Command =
  | { readonly kind: "confirm" | "startPreparing" | "markReady" }
  | { readonly kind: "assign" | "pickUp" | "deliver"; readonly courierId: string }
  | { readonly kind: "cancel"; readonly reason: CancelReason };

/** The order lifecycle graph, written independently of order.ts: an edge per command, `to: null` keeps the status. */
const GRAPH: Record<Command["kind"], { from: readonly OrderStatus[]; to: OrderStatus | null; event: string }> = {
  confirm: { from: ["placed"], to: "confirmed", event: "order.confirmed" },
  startPreparing: { from: ["confirmed"], to: "preparing", event: "order.preparing" },
  markReady: { from: ["preparing"], to: "ready", event: "order.ready" },
  assign: { from: ["confirmed", "preparing", "ready"], to: null, event: "courier.assigned" },
  pickUp: { from: ["ready"], to: "picked_up", event: "order.picked_up" },
  deliver: { from: ["picked_up"], to: "delivered", event: "order.delivered" },
  cancel: { from: ["placed", "confirmed", "preparing"], to: "cancelled", event: "order.cancelled" },
};

function reachableFromPlaced(): Set<OrderStatus> {
  const seen = new Set<OrderStatus>(["placed"]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const { from, to } of Object.values(GRAPH)) {
      if (to && !seen.has(to) && from.some((s) => seen.has(s))) {
        seen.add(to);
        grew = true;
      }
    }
  }
  return seen;
}
const REACHABLE = reachableFromPlaced();

/** What the model says a command should do: succeed, or fail with which code. */
function expected(order: Order, cmd: Command): "ok" | OrderErrorCode {
  const edge = GRAPH[cmd.kind];
  if (cmd.kind === "pickUp" || cmd.kind === "deliver") {
    return edge.from.includes(order.status) && order.courierId === cmd.courierId ? "ok" : OrderErrorCode.InvalidTransition;
  }
  if (!edge.from.includes(order.status)) return OrderErrorCode.InvalidTransition;
  if (cmd.kind === "assign" && order.courierId !== null) return OrderErrorCode.CourierAlreadySet;
  return "ok";
}

const AT = "2026-01-01T12:00:00.000Z";

function run(order: Order, cmd: Command): Result<OrderChange, { code: string }> {
  switch (cmd.kind) {
    case "confirm":
      return confirm(order, AT);
    case "startPreparing":
      return startPreparing(order, AT);
    case "markReady":
      return markReady(order, AT);
    case "assign":
      return assignCourier(order, cmd.courierId, `offer-${cmd.courierId}`, AT);
    case "pickUp":
      return pickUp(order, cmd.courierId, AT);
    case "deliver":
      return deliver(order, cmd.courierId, AT);
    case "cancel":
      return cancel(order, cmd.reason, AT);
  }
}

const courierId = fc.constantFrom("c1", "c2");
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.constantFrom("confirm", "startPreparing", "markReady").map((kind) => ({ kind })),
  fc.record({ kind: fc.constantFrom("assign", "pickUp", "deliver"), courierId }),
  fc.record({
    kind: fc.constant("cancel"),
    reason: fc.constantFrom<CancelReason>("customer_cancelled", "payment_declined", "restaurant_rejected", "no_courier"),
  }),
);

const placed = (): Order =>
  placeOrder({
    id: "o1",
    customerId: "cust",
    restaurantId: "rest",
    lines: [],
    total: money(1000, "EUR"),
    menuVersion: 1,
    deliveryAddress: { lat: 0, lng: 0 },
    at: AT,
  }).order;

describe("order lifecycle properties", () => {
  it("no sequence of commands drives an order into an illegal state", () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60 }), (commands) => {
        let order = placed();
        let transitions = 0;
        let courierSets = 0;
        for (const cmd of commands) {
          const before = order;
          const result = run(before, cmd);
          const want = expected(before, cmd);
          if (!result.ok) {
            expect(result.error.code).toBe(want);
            continue;
          }
          expect(want).toBe("ok");
          order = result.value.order;
          transitions += 1;
          if (before.courierId === null && order.courierId !== null) courierSets += 1;
          expect(order.status).toBe(GRAPH[cmd.kind].to ?? before.status);
          expect(result.value.events.map((e) => [e.type, e.orderId])).toEqual([[GRAPH[cmd.kind].event, order.id]]);
          if (before.courierId !== null) expect(order.courierId).toBe(before.courierId);
          expect(isTerminal(before.status)).toBe(false);
        }
        expect(REACHABLE.has(order.status)).toBe(true);
        expect(order.version).toBe(1 + transitions);
        expect(courierSets).toBeLessThanOrEqual(1);
        expect(order.cancelReason !== null).toBe(order.status === "cancelled");
        if (order.status === "picked_up" || order.status === "delivered") expect(order.courierId).not.toBeNull();
      }),
      { numRuns: 1000 },
    );
  });

  it("the happy path reaches delivered, so the graph above is not vacuous", () => {
    const path: Command[] = [
      { kind: "confirm" },
      { kind: "assign", courierId: "c1" },
      { kind: "startPreparing" },
      { kind: "markReady" },
      { kind: "pickUp", courierId: "c1" },
      { kind: "deliver", courierId: "c1" },
    ];
    const order = path.reduce((o, cmd) => {
      const result = run(o, cmd);
      if (!result.ok) throw new Error(`${cmd.kind} failed: ${result.error.code}`);
      return result.value.order;
    }, placed());
    expect(order).toMatchObject({ status: "delivered", version: 7, courierId: "c1" });
    expect([...REACHABLE].sort()).toEqual(["cancelled", "confirmed", "delivered", "picked_up", "placed", "preparing", "ready"]);
  });
});
