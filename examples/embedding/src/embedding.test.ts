import { describe, expect, it } from "vitest";
import { runEmbeddingExample } from "./embedding.js";

describe("embedding @tiffin/core in memory", () => {
  it("takes the example order to delivered; the ledger shows one charge and two payouts that add up", async () => {
    const lines: string[] = [];
    const { order, ledger } = await runEmbeddingExample((line) => lines.push(line));

    expect(order.status).toBe("delivered");
    expect(order.timeline.map((t) => t.status)).toEqual(["placed", "confirmed", "preparing", "ready", "picked_up", "delivered"]);
    // 2 × Pad Thai (12.50 + 0.50 hot) + Spring Rolls 6.00, priced by the menu.
    expect(order.total).toEqual({ amount: 3200, currency: "EUR" });

    const charges = ledger.filter((e) => e.kind === "charge");
    const payouts = ledger.filter((e) => e.kind === "payout");
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ party: "customer", amount: { amount: 3200, currency: "EUR" } });
    expect(payouts.map((p) => p.party).sort()).toEqual(["courier", "restaurant"]);
    expect(payouts.reduce((sum, p) => sum + p.amount.amount, 0)).toBeLessThanOrEqual(3200);
    expect(ledger.filter((e) => e.kind === "refund" || e.kind === "clawback")).toEqual([]);
    expect(lines.at(-1)).toMatch(/payout/);
  });
});
