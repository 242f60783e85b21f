import type { LedgerEntry, OrderView, Principal } from "@tiffin/core";
import { COURIER, RESTAURANT, startEmbeddedPlatform } from "./platform.js";

/** What the example ends with: the delivered order and the money the providers moved for it. */
export interface ExampleOutcome {
  readonly order: OrderView;
  readonly ledger: readonly LedgerEntry[];
}

const customer: Principal = { role: "customer", id: "cust-ada" };
const courier: Principal = { role: "courier", id: COURIER.id };
const admin: Principal = { role: "admin", id: "admin" };

/** Polls `read` until it returns a value (the worker moves the order in the background); bounded. */
async function until<T>(what: string, read: () => Promise<T | null | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Places one order through the facade and drives it to delivered as its courier would, then reads the payment
 * provider's ledger. Every call is `tiffin.send` (a command) or `tiffin.ask` (a query) with the acting principal;
 * expected failures come back as `Result` values with a stable code, so nothing here needs try/catch.
 */
export async function runEmbeddingExample(log: (line: string) => void = () => undefined): Promise<ExampleOutcome> {
  const platform = await startEmbeddedPlatform();
  const { tiffin } = platform;
  try {
    const placed = await tiffin.send(customer, {
      type: "PlaceOrder",
      idempotencyKey: "example-order-1",
      order: {
        restaurantId: RESTAURANT.id,
        items: [
          { itemId: "pad-thai", quantity: 2, options: ["hot"] },
          { itemId: "spring-rolls", quantity: 1 },
        ],
        deliveryAddress: { lat: 52.53, lng: 13.41, line1: "Invalidenstraße 1" },
      },
    });
    if (!placed.ok) throw new Error(`placing the order failed: ${placed.error.code}`);
    const orderId = placed.value.view.id;
    log(`placed order ${orderId}: total ${(placed.value.view.total.amount / 100).toFixed(2)} ${placed.value.view.total.currency} (computed by the menu, not sent by the client)`);

    // Payment captured, kitchen accepted, dispatch offered the order to the nearest courier: the worker did all that.
    const offer = await until("an offer to the courier", async () => {
      const offers = await tiffin.ask(courier, { type: "CourierOffers" });
      return offers.ok ? offers.value.find((o) => o.orderId === orderId) : undefined;
    });
    const accepted = await tiffin.send(courier, { type: "AcceptOffer", offerId: offer.id, token: offer.token });
    if (!accepted.ok) throw new Error(`accepting the offer failed: ${accepted.error.code}`);
    log(`courier ${courier.id} accepted offer ${offer.id} (fencing token ${offer.token})`);

    await until("the food to be ready", async () => {
      const view = await tiffin.ask(courier, { type: "GetOrder", orderId });
      return view.ok && view.value.status === "ready" ? view.value : null;
    });
    for (const type of ["MarkPickedUp", "MarkDelivered"] as const) {
      const moved = await tiffin.send(courier, { type, orderId });
      if (!moved.ok) throw new Error(`${type} failed: ${moved.error.code}`);
    }

    // Delivery starts the saga's payout steps; the order view shows `paid_out` once both are made.
    const order = await until("the payouts", async () => {
      const view = await tiffin.ask(customer, { type: "GetOrder", orderId });
      return view.ok && view.value.paymentStatus === "paid_out" ? view.value : null;
    });
    log(`order ${order.status}: ${order.timeline.map((t) => t.status).join(" -> ")}`);

    const ledger = await tiffin.ask(admin, { type: "Payments", orderId });
    if (!ledger.ok) throw new Error(`reading the ledger failed: ${ledger.error.code}`);
    log("ledger (as the payment and payout providers recorded it):");
    for (const entry of ledger.value) {
      log(`  ${entry.kind.padEnd(8)} ${entry.party.padEnd(10)} ${(entry.amount.amount / 100).toFixed(2).padStart(7)} ${entry.amount.currency}  key ${entry.idempotencyKey}`);
    }
    return { order, ledger: ledger.value };
  } finally {
    await platform.stop();
  }
}
