import { describe, expect, it } from "vitest";
import type { LedgerItem, OrderStatus } from "./api-types.js";
import { formatSummary, platformShare, summarize } from "./summary.js";
import type { TrackedOrder } from "./tracked-order.js";

const tracked = (id: string, status: OrderStatus, placedAt: number, finishedAt: number | null): TrackedOrder => ({
  number: 1,
  id,
  customerId: "c",
  restaurantName: "R",
  total: { amount: 2000, currency: "EUR" },
  placedAt,
  status,
  paymentStatus: "paid_out",
  courierId: null,
  finishedAt,
});

const entry = (kind: LedgerItem["kind"], party: LedgerItem["party"], amount: number): LedgerItem => ({
  kind,
  party,
  amount: { amount, currency: "EUR" },
  idempotencyKey: `${kind}:${party}`,
  at: "2026-01-01T00:00:00Z",
});

describe("summarize", () => {
  it("counts outcomes and adds the ledgers up by kind and party", () => {
    const orders = [tracked("a", "delivered", 0, 10_000), tracked("b", "delivered", 0, 20_000), tracked("c", "cancelled", 0, 5_000), tracked("d", "ready", 0, null)];
    const ledgers = new Map([
      ["a", [entry("charge", "customer", 2000), entry("payout", "restaurant", 1300), entry("payout", "courier", 400)]],
      ["b", [entry("charge", "customer", 2000), entry("payout", "restaurant", 1300), entry("payout", "courier", 400)]],
      ["c", [entry("charge", "customer", 2000), entry("refund", "customer", 2000)]],
    ]);
    const summary = summarize(orders, ledgers);

    expect(summary).toMatchObject({ placed: 4, delivered: 2, cancelled: 1, unfinished: 1, meanDeliverySeconds: 15 });
    expect(summary.money["charge:customer"]).toEqual({ amount: 6000, currency: "EUR" });
    expect(summary.money["refund:customer"]).toEqual({ amount: 2000, currency: "EUR" });
    expect(platformShare(summary.money)).toEqual({ amount: 600, currency: "EUR" });
    expect(formatSummary(summary).join("\n")).toMatch(/charged to customers +EUR 60.00/);
  });
});
