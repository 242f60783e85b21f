import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { LedgerEntry } from "../../ports/payment-gateway.js";
import type { ProviderRecord, ProviderStore } from "../../simulated/provider-store.js";
import { SimulatedPaymentGateway } from "../../simulated/simulated-payment-gateway.js";
import { SimulatedPayoutGateway } from "../../simulated/simulated-payout-gateway.js";

/** A store under test; `reopen` gives a new instance over the same storage (a process restart). */
export interface ProviderStoreFixture {
  readonly store: ProviderStore;
  readonly reopen?: () => Promise<ProviderStore>;
  readonly close?: () => Promise<void>;
}

export interface ProviderStoreFeatures {
  /** Records survive `reopen` (a real database); the in-memory store has no second instance to reopen. */
  readonly durable: boolean;
}

const eur = (amount: number) => ({ amount, currency: "EUR" });

function charge(orderId: string, key: string, reference: string, amount = 1250): ProviderRecord {
  const at = new Date().toISOString();
  const entry: LedgerEntry = { kind: "charge", party: "customer", partyId: "c1", orderId, amount: eur(amount), idempotencyKey: key, at };
  return { idempotencyKey: key, orderId, outcome: { status: "succeeded", reference }, entry, at };
}

/**
 * The contract of ProviderStore (the simulated providers' durable memory). Every test uses fresh order ids and
 * keys, so suites may share one database.
 */
export function describeProviderStoreContract(
  name: string,
  factory: () => Promise<ProviderStoreFixture>,
  features: ProviderStoreFeatures,
): void {
  describe(`ProviderStore contract: ${name}`, () => {
    let fixture: ProviderStoreFixture | undefined;
    const open = async (): Promise<ProviderStore> => (fixture = await factory()).store;
    afterEach(async () => {
      await fixture?.close?.();
      fixture = undefined;
    });
    const ids = () => ({ orderId: `o-${randomUUID()}`, key: `charge:${randomUUID()}` });

    it("answers null for a key never executed", async () => {
      const store = await open();
      expect(await store.get(`charge:${randomUUID()}`)).toBeNull();
    });

    it("stores a record and reads it back unchanged", async () => {
      const store = await open();
      const { orderId, key } = ids();
      const record = charge(orderId, key, "ch_1");
      expect(await store.putIfAbsent(record)).toEqual(record);
      expect(await store.get(key)).toEqual(record);
      expect(await store.entries(orderId)).toEqual([record.entry]);
    });

    it("keeps the first writer's record for a key and never a second movement", async () => {
      const store = await open();
      const { orderId, key } = ids();
      const first = charge(orderId, key, "ch_first");
      await store.putIfAbsent(first);
      expect(await store.putIfAbsent(charge(orderId, key, "ch_second", 9999))).toEqual(first);
      expect(await store.entries(orderId)).toEqual([first.entry]);
    });

    it("resolves concurrent writers of one key to a single winner", async () => {
      const store = await open();
      const { orderId, key } = ids();
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.putIfAbsent(charge(orderId, key, `ch_${i}`))));
      for (const result of results) expect(result).toEqual(results[0]);
      expect(await store.entries(orderId)).toHaveLength(1);
    });

    it("lists one order's movements in recording order, without declines or other orders", async () => {
      const store = await open();
      const { orderId } = ids();
      const other = ids();
      const first = charge(orderId, `charge:${randomUUID()}`, "ch_a", 100);
      await store.putIfAbsent(first);
      await store.putIfAbsent({ idempotencyKey: `decl:${randomUUID()}`, orderId, outcome: { status: "declined", reason: "card_declined" }, entry: null, at: first.at });
      await store.putIfAbsent(charge(other.orderId, other.key, "ch_b"));
      const second = charge(orderId, `refund:${randomUUID()}`, "re_a", 100);
      const refund: ProviderRecord = { ...second, entry: { ...second.entry!, kind: "refund" } };
      await store.putIfAbsent(refund);
      expect(await store.entries(orderId)).toEqual([first.entry, refund.entry]);
    });

    it("lets gateways in two processes charge one key concurrently with a single movement", async () => {
      const store = await open();
      const { orderId, key } = ids();
      const request = { idempotencyKey: key, orderId, customerId: "c1", amount: eur(700) };
      const [a, b] = [new SimulatedPaymentGateway({}, { store }), new SimulatedPaymentGateway({}, { store })];
      const [ra, rb] = await Promise.all([a.charge(request), b.charge(request)]);
      expect(ra).toEqual(rb);
      expect(await store.entries(orderId)).toHaveLength(1);
    });

    it("refuses a charge key reused for another customer, moving no money for it", async () => {
      const store = await open();
      const { orderId, key } = ids();
      const gateway = new SimulatedPaymentGateway({}, { store });
      const first = await gateway.charge({ idempotencyKey: key, orderId, customerId: "c1", amount: eur(700) });
      await expect(gateway.charge({ idempotencyKey: key, orderId, customerId: "c2", amount: eur(700) })).rejects.toMatchObject({
        transient: false,
      });
      expect(await gateway.charge({ idempotencyKey: key, orderId, customerId: "c1", amount: eur(700) })).toEqual(first);
      expect(await store.entries(orderId)).toMatchObject([{ kind: "charge", partyId: "c1", amount: eur(700) }]);
    });

    it("refuses a declined charge's key reused for another customer", async () => {
      const store = await open();
      const { orderId, key } = ids();
      const gateway = new SimulatedPaymentGateway({ declineCustomerIds: ["c-declined"] }, { store });
      expect(await gateway.charge({ idempotencyKey: key, orderId, customerId: "c-declined", amount: eur(700) })).toMatchObject({
        status: "declined",
      });
      await expect(gateway.charge({ idempotencyKey: key, orderId, customerId: "c1", amount: eur(700) })).rejects.toMatchObject({
        transient: false,
      });
      expect(await store.entries(orderId)).toEqual([]);
    });

    it("refuses a payout key reused for another payee or another kind of movement", async () => {
      const store = await open();
      const { orderId } = ids();
      const key = `payout:${randomUUID()}`;
      const gateway = new SimulatedPayoutGateway({}, { store });
      const request = { idempotencyKey: key, orderId, party: "restaurant" as const, partyId: "r1", amount: eur(500) };
      await gateway.payout(request);
      await expect(gateway.payout({ ...request, partyId: "r2" })).rejects.toMatchObject({ transient: false });
      await expect(gateway.payout({ ...request, party: "courier" })).rejects.toMatchObject({ transient: false });
      await expect(gateway.clawback(request)).rejects.toMatchObject({ transient: false });
      expect(await store.entries(orderId)).toMatchObject([{ kind: "payout", party: "restaurant", partyId: "r1" }]);
    });

    it.skipIf(!features.durable)("remembers keys and movements after a restart", async () => {
      const store = await open();
      const { orderId, key } = ids();
      const record = charge(orderId, key, "ch_durable");
      await store.putIfAbsent(record);
      const reopened = await fixture!.reopen!();
      expect(await reopened.get(key)).toEqual(record);
      expect(await reopened.entries(orderId)).toEqual([record.entry]);
    });
  });
}
