import type { LedgerItem, Money } from "./api-types.js";
import { type TrackedOrder, formatMoney } from "./tracked-order.js";

/** The outcome of a run. */
export interface Summary {
  readonly placed: number;
  readonly delivered: number;
  readonly cancelled: number;
  /** Placed but neither delivered nor cancelled when the run ended. */
  readonly unfinished: number;
  /** Sums of the providers' ledger per kind and party, e.g. `charge:customer`, per currency. */
  readonly money: Readonly<Record<string, Money>>;
  /** Mean time from placing to delivery, in seconds; null with no delivery. */
  readonly meanDeliverySeconds: number | null;
}

/** Counts the orders and adds up their ledgers (`GET /admin/payments/:id`) by kind and party. */
export function summarize(orders: readonly TrackedOrder[], ledgers: ReadonlyMap<string, readonly LedgerItem[]>): Summary {
  const delivered = orders.filter((o) => o.status === "delivered");
  const cancelled = orders.filter((o) => o.status === "cancelled").length;
  const money: Record<string, Money> = {};
  for (const entry of [...ledgers.values()].flat()) {
    const key = `${entry.kind}:${entry.party}`;
    const sum = money[key]?.amount ?? 0;
    if (money[key] !== undefined && money[key].currency !== entry.amount.currency) throw new Error(`mixed currencies in ${key}`);
    money[key] = { amount: sum + entry.amount.amount, currency: entry.amount.currency };
  }
  const durations = delivered.filter((o) => o.finishedAt !== null).map((o) => (o.finishedAt! - o.placedAt) / 1000);
  return {
    placed: orders.length,
    delivered: delivered.length,
    cancelled,
    unfinished: orders.length - delivered.length - cancelled,
    money,
    meanDeliverySeconds: durations.length === 0 ? null : durations.reduce((a, b) => a + b, 0) / durations.length,
  };
}

/** What the platform keeps of an order's money: charges less refunds and payouts, plus clawbacks. */
export function platformShare(money: Summary["money"]): Money | null {
  const charged = money["charge:customer"];
  if (charged === undefined) return null;
  const sign: Record<string, number> = { charge: 1, refund: -1, payout: -1, clawback: 1 };
  let amount = 0;
  for (const [key, value] of Object.entries(money)) amount += (sign[key.split(":")[0]!] ?? 0) * value.amount;
  return { amount, currency: charged.currency };
}

const MONEY_ROWS: readonly [string, string][] = [
  ["charge:customer", "charged to customers"],
  ["refund:customer", "refunded to customers"],
  ["payout:restaurant", "paid to restaurants"],
  ["payout:courier", "paid to couriers"],
  ["clawback:restaurant", "clawed back from restaurants"],
  ["clawback:courier", "clawed back from couriers"],
];

/** The summary as the lines printed at the end of a run. */
export function formatSummary(summary: Summary): string[] {
  const row = (label: string, value: string) => `  ${label.padEnd(30)}${value.padStart(12)}`;
  const lines = [
    "",
    "Summary",
    row("orders placed", String(summary.placed)),
    row("delivered", String(summary.delivered)),
    row("cancelled", String(summary.cancelled)),
    ...(summary.unfinished > 0 ? [row("unfinished", String(summary.unfinished))] : []),
    ...(summary.meanDeliverySeconds === null ? [] : [row("placed -> delivered (mean)", `${summary.meanDeliverySeconds.toFixed(1)} s`)]),
  ];
  for (const [key, label] of MONEY_ROWS) {
    const money = summary.money[key];
    if (money !== undefined) lines.push(row(label, formatMoney(money)));
  }
  const kept = platformShare(summary.money);
  if (kept !== null) lines.push(row("kept by the platform", formatMoney(kept)));
  return lines;
}
