import { describe, expect, it } from "vitest";
import { MoneyErrorCode } from "./money.errors.js";
import { add, equals, isNegative, money, multiply, share, subtract, sum, zero } from "./money.js";

const eur = (amount: number) => money(amount, "EUR");

function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return (e as { code?: unknown }).code;
  }
  return undefined;
}

describe("money", () => {
  it("holds integer minor units of an ISO currency", () => {
    expect(money(1250, "EUR")).toEqual({ amount: 1250, currency: "EUR" });
    expect(money(-5, "USD").amount).toBe(-5);
  });

  it.each([12.5, Number.NaN, Infinity, Number.MAX_SAFE_INTEGER + 1])("rejects the amount %s", (amount) => {
    expect(codeOf(() => money(amount, "EUR"))).toBe(MoneyErrorCode.InvalidAmount);
  });

  it.each(["eur", "EURO", "", "E1R"])("rejects the currency %j", (currency) => {
    expect(codeOf(() => money(1, currency))).toBe(MoneyErrorCode.InvalidCurrency);
  });

  it("adds and subtracts within one currency", () => {
    expect(add(eur(1250), eur(75))).toEqual(eur(1325));
    expect(subtract(eur(100), eur(250))).toEqual(eur(-150));
  });

  it("refuses to mix currencies", () => {
    expect(codeOf(() => add(eur(1), money(1, "USD")))).toBe(MoneyErrorCode.CurrencyMismatch);
    expect(codeOf(() => subtract(eur(1), money(1, "USD")))).toBe(MoneyErrorCode.CurrencyMismatch);
    expect(codeOf(() => sum([eur(1), money(1, "GBP")], "EUR"))).toBe(MoneyErrorCode.CurrencyMismatch);
  });

  it("multiplies by an integer quantity only", () => {
    expect(multiply(eur(399), 3)).toEqual(eur(1197));
    expect(codeOf(() => multiply(eur(399), 1.5))).toBe(MoneyErrorCode.InvalidAmount);
  });

  it("fails rather than lose precision when a product leaves the safe integer range", () => {
    expect(codeOf(() => multiply(eur(Number.MAX_SAFE_INTEGER), 2))).toBe(MoneyErrorCode.InvalidAmount);
  });

  it("takes a share in basis points rounding down, so split parts never exceed the whole", () => {
    expect(share(eur(1000), 2500)).toEqual(eur(250));
    expect(share(eur(999), 3333)).toEqual(eur(332));
    const whole = eur(1001);
    const parts = [share(whole, 3333), share(whole, 3333), share(whole, 3334)];
    expect(sum(parts, "EUR").amount).toBeLessThanOrEqual(whole.amount);
    expect(share(whole, 10_000)).toEqual(whole);
    expect(share(whole, 0)).toEqual(eur(0));
  });

  it.each([-1, 10_001, 12.5])("rejects %s basis points", (bp) => {
    expect(codeOf(() => share(eur(100), bp))).toBe(MoneyErrorCode.InvalidAmount);
  });

  it("sums to zero in the given currency when empty", () => {
    expect(sum([], "EUR")).toEqual(zero("EUR"));
    expect(sum([eur(1), eur(2), eur(3)], "EUR")).toEqual(eur(6));
  });

  it("compares by amount and currency", () => {
    expect(equals(eur(5), eur(5))).toBe(true);
    expect(equals(eur(5), money(5, "USD"))).toBe(false);
    expect(isNegative(eur(-1))).toBe(true);
    expect(isNegative(eur(0))).toBe(false);
  });
});
