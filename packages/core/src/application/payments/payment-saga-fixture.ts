import { type DomainEvent, type EventDataMap, type EventType, domainEvent } from "../../domain/events.js";
import { money } from "../../domain/money.js";
import { placeOrder } from "../../domain/order.js";
import type { SagaState } from "../../domain/payment-saga.js";
import { InMemoryUnitOfWork } from "../../memory/in-memory-unit-of-work.js";
import { InMemoryProviderStore } from "../../memory/simulated-provider-store.js";
import type { CloudEvent } from "../../messaging/cloud-event.js";
import { orderEventId, toCloudEvent } from "../../messaging/domain-event-envelope.js";
import type { PaymentGateway } from "../../ports/payment-gateway.js";
import { SYSTEM_PRINCIPAL } from "../../ports/principal.js";
import { type SimulatedPaymentConfig, SimulatedPaymentGateway } from "../../simulated/simulated-payment-gateway.js";
import { SimulatedPayoutGateway } from "../../simulated/simulated-payout-gateway.js";
import { FakeClock } from "../../testing/fake-clock.js";
import { PaymentSagaRunner } from "./payment-saga-runner.js";

// Test support for the payment saga runner's tests (not exported from the package).

const ORDER = "o1";
const at = "2026-01-01T12:00:00.000Z";
const meta = { source: "tiffin/api", correlationId: "corr-1" };
const FAST = { initialDelayMs: 1, maxDelayMs: 5, timeoutMs: 200 };

const message = <T extends EventType>(type: T, version: number, data: EventDataMap[T]): CloudEvent =>
  toCloudEvent(domainEvent(type, ORDER, at, data) as DomainEvent, orderEventId(ORDER, version, 0), meta);

/** One placed order (total 20.00 EUR: restaurant 13.00, courier 4.00, platform 3.00) and a runner over simulated providers. */
export async function sagaFixture(payment: SimulatedPaymentConfig = {}) {
  const clock = new FakeClock(at);
  const uow = new InMemoryUnitOfWork({ clock });
  const store = new InMemoryProviderStore();
  const payments = new SimulatedPaymentGateway(payment, { store, clock });
  const payouts = new SimulatedPayoutGateway({}, { store, clock });
  const placed = placeOrder({
    id: ORDER,
    customerId: "c1",
    restaurantId: "r1",
    lines: [],
    total: money(2000, "EUR"),
    deliveryAddress: { lat: 52.5, lng: 13.4 },
    at,
  });
  await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.create(placed, meta));
  const messages = {
    placed: toCloudEvent(placed.events[0]!, orderEventId(ORDER, 1, 0), meta),
    assigned: message("courier.assigned", 3, { courierId: "k1", offerId: "f1" }),
    delivered: message("order.delivered", 6, { courierId: "k1" }),
    cancelled: message("order.cancelled", 2, { reason: "customer_cancelled", from: "placed" }),
  };
  const runner = (gateway: PaymentGateway = payments, stalledAfterMs = 1_000) =>
    new PaymentSagaRunner({ resilience: FAST, stalledAfterMs }, { uow, payments: gateway, payouts, clock });
  return {
    clock,
    uow,
    payments,
    payouts,
    messages,
    runner,
    /** The ledger as `kind:party:amount`, in booking order. */
    ledger: async () => (await payments.entries(ORDER)).map((e) => `${e.kind}:${e.party}:${e.amount.amount}`),
    /** Each party's balance from the provider's ledger (customer pays, parties receive). */
    balances: async () => {
      const balance = { customer: 0, restaurant: 0, courier: 0 };
      for (const e of await payments.entries(ORDER)) {
        balance[e.party] += (e.kind === "charge" || e.kind === "clawback" ? -1 : 1) * e.amount.amount;
      }
      return balance;
    },
    saga: (): Promise<SagaState | null> => uow.run(SYSTEM_PRINCIPAL, (tx) => tx.sagas.load(ORDER)),
    order: () => uow.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.load(ORDER)),
    /** Every pending outbox message (left pending). */
    outbox: () =>
      uow.run(SYSTEM_PRINCIPAL, async (tx) => {
        const records = await tx.outbox.claim("peek", 1_000, 60_000);
        await tx.outbox.release("peek", records.map((r) => r.position));
        return records.map((r) => r.message);
      }),
  };
}

/** The saga's own events in the outbox, as `type` (plus the party for payouts). */
export async function sagaEventsOf(fixture: SagaFixture): Promise<string[]> {
  return (await fixture.outbox())
    .filter((m) => m.id.includes(":saga:"))
    .map((m) => (m.type === "payout.paid" ? `payout.paid:${(m.data as { party: string }).party}` : m.type));
}

export type SagaFixture = Awaited<ReturnType<typeof sagaFixture>>;

/** A latch a test opens by hand, so two racing calls interleave in a chosen order without sleeps. */
export function latch() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}
