import { describe, expect, it } from "vitest";
import type { OrderStatus, OrderView } from "./api-types.js";
import { type TrackedOrder, isSettled, observe } from "./tracked-order.js";

const order = (): TrackedOrder => ({
  number: 3,
  id: "o-1",
  customerId: "c",
  restaurantName: "R",
  total: { amount: 1250, currency: "EUR" },
  placedAt: 1_000,
  status: "placed",
  paymentStatus: "pending",
  courierId: null,
  finishedAt: null,
});

const view = (statuses: OrderStatus[], overrides: Partial<OrderView> = {}): OrderView => ({
  id: "o-1",
  status: statuses.at(-1)!,
  restaurantId: "r",
  customerId: "c",
  courierId: null,
  total: { amount: 1250, currency: "EUR" },
  paymentStatus: "captured",
  timeline: statuses.map((status) => ({ status, at: "2026-01-01T00:00:00Z" })),
  courierPosition: null,
  version: statuses.length,
  ...overrides,
});

describe("observe", () => {
  it("prints one line per status change, naming states passed between two looks, then courier and payment", () => {
    const tracked = order();
    const lines = observe(tracked, view(["placed", "confirmed", "preparing"], { courierId: "c-anna" }), 5_000);
    expect(lines).toEqual([
      "order #3 placed -> confirmed",
      "order #3 confirmed -> preparing",
      "order #3 courier c-anna assigned",
      "order #3 payment pending -> captured",
    ]);
    expect(tracked).toMatchObject({ status: "preparing", courierId: "c-anna", paymentStatus: "captured", finishedAt: null });
    expect(observe(tracked, view(["placed", "confirmed", "preparing"], { courierId: "c-anna" }), 6_000)).toEqual([]);
  });

  it("records when the order finished", () => {
    const tracked = order();
    observe(tracked, view(["placed", "cancelled"], { paymentStatus: "refunded" }), 9_000);
    expect(tracked.finishedAt).toBe(9_000);
  });
});

describe("isSettled", () => {
  it("waits for the payout of a delivered order and for the refund of a cancelled paid one", () => {
    expect(isSettled({ status: "delivered", paymentStatus: "captured" })).toBe(false);
    expect(isSettled({ status: "delivered", paymentStatus: "paid_out" })).toBe(true);
    expect(isSettled({ status: "cancelled", paymentStatus: "captured" })).toBe(false);
    expect(isSettled({ status: "cancelled", paymentStatus: "refunded" })).toBe(true);
    expect(isSettled({ status: "cancelled", paymentStatus: "declined" })).toBe(true);
    expect(isSettled({ status: "ready", paymentStatus: "captured" })).toBe(false);
  });
});
