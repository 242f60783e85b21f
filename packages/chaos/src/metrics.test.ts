import { describe, expect, it } from "vitest";
import { parseCounter, total } from "./metrics.js";

const TEXT = `# HELP tiffin_gateway_circuit_transitions_total Changes of a provider gateway's circuit breaker
# TYPE tiffin_gateway_circuit_transitions_total counter
tiffin_gateway_circuit_transitions_total{gateway="payments",state="opened"} 3
tiffin_gateway_circuit_transitions_total{gateway="payments",state="closed"} 2
tiffin_gateway_circuit_transitions_total{gateway="payouts",state="opened"} 1
tiffin_gateway_circuit_transitions_total_extra{gateway="payments",state="opened"} 99
tiffin_reconciliation_repairs_total{kind="unresolved_step_settled"} 4
`;

describe("reading a counter from Prometheus text", () => {
  it("takes the named counter's samples with their labels, and no other metric's", () => {
    const samples = parseCounter(TEXT, "tiffin_gateway_circuit_transitions_total");
    expect(samples).toHaveLength(3);
    expect(total(samples, { state: "opened" })).toBe(4);
    expect(total(samples, { gateway: "payments", state: "closed" })).toBe(2);
    expect(total(parseCounter(TEXT, "tiffin_reconciliation_repairs_total"))).toBe(4);
    expect(parseCounter(TEXT, "absent_total")).toEqual([]);
  });
});
