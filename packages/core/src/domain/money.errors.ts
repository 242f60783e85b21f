/** Stable codes for money arithmetic faults; these are programming errors and are thrown. */
export const MoneyErrorCode = {
  CurrencyMismatch: "MONEY_CURRENCY_MISMATCH",
  InvalidAmount: "MONEY_INVALID_AMOUNT",
  InvalidCurrency: "MONEY_INVALID_CURRENCY",
} as const;
export type MoneyErrorCode = (typeof MoneyErrorCode)[keyof typeof MoneyErrorCode];

/** Thrown when money is built from a non-integer amount or two currencies are mixed. */
export class MoneyError extends Error {
  override readonly name = "MoneyError";
  constructor(
    readonly code: MoneyErrorCode,
    message: string,
  ) {
    super(message);
  }
}
