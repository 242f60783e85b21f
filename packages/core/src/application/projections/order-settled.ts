import type { OrderView } from "../../ports/read-models.js";

/**
 * True when nothing more will happen to the order a customer can see: delivered and paid out (or its payments
 * wound back after a failed payout), or cancelled with no charge left to refund. Event streams end here.
 */
export function isOrderSettled(view: Pick<OrderView, "status" | "paymentStatus">): boolean {
  if (view.status === "delivered") return ["paid_out", "refunded", "refund_failed"].includes(view.paymentStatus);
  if (view.status === "cancelled") return view.paymentStatus !== "captured";
  return false;
}
