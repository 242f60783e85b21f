import { describe, expect, it } from "vitest";
import { compileSqlFilter, type FilterableMessage } from "./sql-filter.js";

const message = (system: Record<string, unknown>, user: Record<string, unknown>): FilterableMessage => ({
  system: (name) => system[name],
  user: (name) => user[name],
});

describe("SQL filters", () => {
  const m = message({ Label: "order.placed", MessageId: "m-1" }, { tenant: "a", "weird-name": "w", amount: 12 });
  it.each([
    ["tenant = 'a'", true],
    ["tenant = 'b'", false],
    ["user.tenant <> 'b'", true],
    ["sys.Label IN ('order.placed', 'order.ready')", true],
    ["sys.Label NOT IN ('order.placed')", false],
    ["missing IS NULL AND tenant IS NOT NULL", true],
    ["EXISTS(tenant) AND NOT EXISTS(missing)", true],
    ["amount > 10 AND amount <= 12", true],
    ["(tenant = 'b' OR [weird-name] = 'w') AND sys.MessageId = 'm-1'", true],
    ["missing = 'x' OR missing <> 'x'", false],
    ["1 = 1", true],
    ["tenant = 'it''s'", false],
  ])("%s is %s", (expression, expected) => {
    expect(compileSqlFilter(expression)(m)).toBe(expected);
  });

  it.each(["tenant ==", "tenant LIKE 'a%'", "(tenant = 'a'", "tenant = 'a' extra"])("rejects %s", (expression) => {
    expect(() => compileSqlFilter(expression)).toThrow(/SQL filter/);
  });
});
