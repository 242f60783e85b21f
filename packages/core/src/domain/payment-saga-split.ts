import { MoneyError, MoneyErrorCode } from "./money.errors.js";
import { type Money, money, share, subtract } from "./money.js";

/** How an order's total is divided on delivery. */
export interface PayoutPolicy {
  /** The platform's commission in basis points of the total (1500 = 15%). */
  readonly commissionBps: number;
  /** The courier's flat fee in minor units of the order's currency. */
  readonly courierFee: number;
}

/** What each party receives from one order; the three parts always add up to the total. */
export interface PayoutSplit {
  readonly platform: Money;
  readonly courier: Money;
  readonly restaurant: Money;
}

export const DEFAULT_PAYOUT_POLICY: PayoutPolicy = { commissionBps: 1500, courierFee: 400 };

/**
 * Splits a total: the platform takes its commission first (rounded down), the courier then gets the flat fee
 * (capped by what is left, so a tiny order never pays out more than was charged), the restaurant gets the rest.
 */
export function splitPayout(total: Money, policy: PayoutPolicy): PayoutSplit {
  if (!Number.isSafeInteger(policy.courierFee) || policy.courierFee < 0) {
    throw new MoneyError(MoneyErrorCode.InvalidAmount, `courier fee must be a non-negative integer, got ${policy.courierFee}`);
  }
  if (total.amount < 0) {
    throw new MoneyError(MoneyErrorCode.InvalidAmount, `cannot split a negative total ${total.amount}`);
  }
  const platform = share(total, policy.commissionBps);
  const afterCommission = subtract(total, platform);
  const courier = money(Math.min(policy.courierFee, afterCommission.amount), total.currency);
  return { platform, courier, restaurant: subtract(afterCommission, courier) };
}
