import { MoneyError, MoneyErrorCode } from "./money.errors.js";

/** An amount in integer minor units (cents) of an ISO 4217 currency. Never a float. */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

const CURRENCY = /^[A-Z]{3}$/;

/** Builds money, rejecting fractional, unsafe or non-finite amounts and malformed currencies. */
export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount)) {
    throw new MoneyError(MoneyErrorCode.InvalidAmount, `amount must be a safe integer of minor units, got ${amount}`);
  }
  if (!CURRENCY.test(currency)) {
    throw new MoneyError(MoneyErrorCode.InvalidCurrency, `currency must be an ISO 4217 code, got "${currency}"`);
  }
  return { amount, currency };
}

export const zero = (currency: string): Money => money(0, currency);

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new MoneyError(MoneyErrorCode.CurrencyMismatch, `cannot combine ${a.currency} with ${b.currency}`);
  }
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount - b.amount, a.currency);
}

/** Multiplies by an integer factor (a quantity). */
export function multiply(a: Money, factor: number): Money {
  if (!Number.isSafeInteger(factor)) {
    throw new MoneyError(MoneyErrorCode.InvalidAmount, `factor must be an integer, got ${factor}`);
  }
  return money(a.amount * factor, a.currency);
}

/** Takes a share in basis points (1/100 of a percent), rounding down so a split never exceeds the whole. */
export function share(a: Money, basisPoints: number): Money {
  if (!Number.isSafeInteger(basisPoints) || basisPoints < 0 || basisPoints > 10_000) {
    throw new MoneyError(MoneyErrorCode.InvalidAmount, `basis points must be an integer in 0..10000, got ${basisPoints}`);
  }
  return money(Math.floor((a.amount * basisPoints) / 10_000), a.currency);
}

export function sum(items: readonly Money[], currency: string): Money {
  return items.reduce(add, zero(currency));
}

export const isNegative = (a: Money): boolean => a.amount < 0;

export const equals = (a: Money, b: Money): boolean => a.amount === b.amount && a.currency === b.currency;
