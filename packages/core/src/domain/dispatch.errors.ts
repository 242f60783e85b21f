/** Stable codes for courier dispatch configuration faults; these are deployment errors and are thrown at startup. */
export const DispatchErrorCode = {
  StrategyUnknown: "DISPATCH_STRATEGY_UNKNOWN",
  StrategyDuplicate: "DISPATCH_STRATEGY_DUPLICATE",
} as const;
export type DispatchErrorCode = (typeof DispatchErrorCode)[keyof typeof DispatchErrorCode];

/** Thrown when matching configuration names a strategy nobody registered, or two strategies share a name. */
export class DispatchConfigError extends Error {
  override readonly name = "DispatchConfigError";
  constructor(
    readonly code: DispatchErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}
