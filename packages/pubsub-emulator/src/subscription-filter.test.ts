import { describe, expect, it } from "vitest";
import { compileFilter } from "./subscription-filter.js";

const matches = (filter: string, attributes: Record<string, string>): boolean => compileFilter(filter)(attributes);

describe("compileFilter (the documented filter language)", () => {
  it("compares values with = and != (which also matches a missing attribute)", () => {
    expect(matches('attributes.type = "order.placed"', { type: "order.placed" })).toBe(true);
    expect(matches('attributes.type = "order.placed"', { type: "order.placedx" })).toBe(false);
    expect(matches('attributes.type != "order.placed"', { type: "x" })).toBe(true);
    expect(matches('attributes.type != "order.placed"', {})).toBe(true);
  });

  it("tests existence with : and prefixes with hasPrefix", () => {
    expect(matches("attributes:tenant", { tenant: "" })).toBe(true);
    expect(matches("attributes:tenant", {})).toBe(false);
    expect(matches('hasPrefix(attributes.type, "order.")', { type: "order.ready" })).toBe(true);
    expect(matches('hasPrefix(attributes.type, "order.")', { type: "payment.captured" })).toBe(false);
  });

  it("combines with AND, OR, NOT and parentheses, and refuses AND mixed with OR without them", () => {
    const filter = '(attributes.a = "1" OR attributes.b = "2") AND NOT attributes:c';
    expect(matches(filter, { a: "1" })).toBe(true);
    expect(matches(filter, { b: "2", c: "x" })).toBe(false);
    expect(matches("-attributes:c", {})).toBe(true);
    expect(() => compileFilter('attributes.a = "1" OR attributes.b = "2" AND attributes:c')).toThrow(/parentheses/);
  });

  it("refuses syntax errors and filters over 256 bytes", () => {
    for (const bad of ["attributes.a = 1", "attributes.a ==", 'attributes.a = "x', "data = \"x\"", `attributes.a = "${"x".repeat(256)}"`]) {
      expect(() => compileFilter(bad), bad).toThrow(/Invalid filter/);
    }
    expect(compileFilter("")({})).toBe(true);
  });
});
