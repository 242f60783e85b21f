import { describe, expect, it, vi } from "vitest";
import { InMemoryProviderStore } from "../memory/simulated-provider-store.js";
import { isTransient } from "../ports/infrastructure.errors.js";
import { SimulatedPaymentGateway } from "./simulated-payment-gateway.js";
import { SimulatedPayoutGateway } from "./simulated-payout-gateway.js";

const eur = (amount: number) => ({ amount, currency: "EUR" });
const chargeRequest = { idempotencyKey: "charge:o1", orderId: "o1", customerId: "c1", amount: eur(1500) };
const restaurantPayout = { idempotencyKey: "payout:restaurant:o1", orderId: "o1", party: "restaurant", partyId: "r1", amount: eur(1000) } as const;

function gateways(config: ConstructorParameters<typeof SimulatedPaymentGateway>[0] = {}, random?: () => number) {
  const store = new InMemoryProviderStore();
  const deps = random === undefined ? { store } : { store, random };
  return { store, payments: new SimulatedPaymentGateway(config, deps), payouts: new SimulatedPayoutGateway(config, deps) };
}

const kinds = async (payments: SimulatedPaymentGateway) => (await payments.entries("o1")).map((e) => `${e.kind}:${e.party}:${e.amount.amount}`);

describe("simulated payment gateway", () => {
  it("answers the same key with the same capture and moves the money once", async () => {
    const { payments } = gateways();
    const first = await payments.charge(chargeRequest);
    expect(first.status).toBe("captured");
    expect(await payments.charge(chargeRequest)).toEqual(first);
    expect(await kinds(payments)).toEqual(["charge:customer:1500"]);
  });

  it("refuses a key reused with other parameters, like Stripe, instead of answering the first request's outcome", async () => {
    const { payments, payouts } = gateways();
    await payments.charge(chargeRequest);
    await expect(payments.charge({ ...chargeRequest, amount: eur(999) })).rejects.toMatchObject({ transient: false, message: /other parameters/ });
    await expect(payments.charge({ ...chargeRequest, orderId: "o2" })).rejects.toMatchObject({ transient: false });
    await payouts.payout(restaurantPayout);
    await expect(payouts.payout({ ...restaurantPayout, amount: eur(1001) })).rejects.toMatchObject({ transient: false });
    expect(await kinds(payments)).toEqual(["charge:customer:1500", "payout:restaurant:1000"]);
  });

  it("declines listed customers and large amounts without moving money, and replays the decline", async () => {
    const { payments } = gateways({ declineCustomerIds: ["c1"], declineAmountOver: 5000 });
    expect(await payments.charge(chargeRequest)).toEqual({ status: "declined", reason: "card_declined" });
    const big = { ...chargeRequest, idempotencyKey: "charge:o2", orderId: "o2", customerId: "c2", amount: eur(5001) };
    expect((await payments.charge(big)).status).toBe("declined");
    expect(await payments.charge(chargeRequest)).toEqual({ status: "declined", reason: "card_declined" });
    expect(await kinds(payments)).toEqual([]);
  });

  it("keeps a captured key's answer after the customer becomes declined", async () => {
    const { payments } = gateways();
    const first = await payments.charge(chargeRequest);
    payments.declineCustomer("c1");
    expect(await payments.charge(chargeRequest)).toEqual(first);
  });

  it("fails transiently the given number of times, then executes once", async () => {
    const { payments } = gateways();
    payments.inject("charge", { kind: "transient", times: 2 });
    for (let i = 0; i < 2; i++) {
      const error = await payments.charge(chargeRequest).catch((e: unknown) => e);
      expect(isTransient(error)).toBe(true);
    }
    expect((await payments.charge(chargeRequest)).status).toBe("captured");
    expect(await kinds(payments)).toEqual(["charge:customer:1500"]);
  });

  it("fails permanently until the fault is cleared", async () => {
    const { payments } = gateways();
    payments.inject("charge", { kind: "permanent" });
    await expect(payments.charge(chargeRequest)).rejects.toMatchObject({ transient: false });
    await expect(payments.charge(chargeRequest)).rejects.toMatchObject({ transient: false });
    payments.clearFaults();
    expect((await payments.charge(chargeRequest)).status).toBe("captured");
  });

  it("hangs until the caller aborts, then reports a transient timeout without moving money", async () => {
    const { payments } = gateways();
    payments.inject("charge", { kind: "hang", times: 1 });
    const controller = new AbortController();
    const pending = payments.charge({ ...chargeRequest, signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "INFRA_TIMEOUT", transient: true });
    expect(await kinds(payments)).toEqual([]);
  });

  it("fails transiently at the configured rate", async () => {
    const always = gateways({ failureRate: 1 }, () => 0.5);
    await expect(always.payments.charge(chargeRequest)).rejects.toMatchObject({ code: "INFRA_UNAVAILABLE", transient: true });
    const never = gateways({ failureRate: 0.25 }, () => 0.5);
    expect((await never.payments.charge(chargeRequest)).status).toBe("captured");
  });

  it("is down for the outage's length at the start of every period, moving no money, and up in between", async () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const { payments } = gateways({ outageEveryMs: 60_000, outageMs: 20_000 });
      const outcome = () => payments.charge(chargeRequest).then((r) => r.status, (e: unknown) => (isTransient(e) ? "down" : "error"));
      expect(await outcome()).toBe("down");
      vi.setSystemTime(19_999);
      expect(await outcome()).toBe("down");
      expect(await kinds(payments)).toEqual([]);
      vi.setSystemTime(20_000);
      expect(await outcome()).toBe("captured");
      vi.setSystemTime(60_500);
      expect(await outcome()).toBe("down");
      vi.setSystemTime(80_000);
      expect(await outcome()).toBe("captured");
      expect(await kinds(payments)).toEqual(["charge:customer:1500"]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses an outage as long as its period up front, naming the settings", () => {
    expect(() => gateways({ outageEveryMs: 1000, outageMs: 1000 })).toThrow(/TIFFIN_PAYMENT_OUTAGE_EVERY_MS/);
  });

  it("rejects a failure rate outside 0..1 up front, naming the setting", () => {
    expect(() => gateways({ failureRate: 1.5 })).toThrow(/TIFFIN_PAYMENT_FAILURE_RATE/);
  });

  it("rejects every other rate outside 0..1 up front, naming its variable", () => {
    expect(() => gateways({ hangRate: -1 })).toThrow(/TIFFIN_PAYMENT_HANG_RATE/);
    expect(() => gateways({ lostReplyRate: 2 })).toThrow(/TIFFIN_PAYMENT_LOST_REPLY_RATE/);
    expect(() => gateways({ lateReplyRate: Number.NaN })).toThrow(/TIFFIN_PAYMENT_LATE_REPLY_RATE/);
    expect(() => gateways({ declineRate: 1.5 })).toThrow(/TIFFIN_PAYMENT_DECLINE_RATE/);
    expect(() => gateways({ lateReplyMs: -5 })).toThrow(/TIFFIN_PAYMENT_LATE_REPLY_MS/);
  });

  it("declines charges at the decline rate, moving no money, and answers a retry of the key with the same decline", async () => {
    const draws = [0.1, 0.9];
    const { payments } = gateways({ declineRate: 0.5 }, () => draws.shift() ?? 0.9);
    expect(await payments.charge(chargeRequest)).toEqual({ status: "declined", reason: "card_declined" });
    expect(await payments.charge(chargeRequest)).toEqual({ status: "declined", reason: "card_declined" });
    expect(await kinds(payments)).toEqual([]);
  });

  it("hangs at the hang rate without moving money, until the caller gives up", async () => {
    const { payments } = gateways({ hangRate: 1 }, () => 0.5);
    const controller = new AbortController();
    const pending = payments.charge({ ...chargeRequest, signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "INFRA_TIMEOUT", transient: true });
    expect(await kinds(payments)).toEqual([]);
  });

  it("loses the reply at the lost-reply rate after moving the money; a retry with the key learns the outcome", async () => {
    let lose = true;
    const { payments, payouts } = gateways({ lostReplyRate: 0.5 }, () => (lose ? 0.1 : 0.9));
    await expect(payments.charge(chargeRequest)).rejects.toMatchObject({ transient: true, message: /reply was lost/ });
    await expect(payouts.payout(restaurantPayout)).rejects.toMatchObject({ transient: true });
    expect(await kinds(payments)).toEqual(["charge:customer:1500", "payout:restaurant:1000"]);
    lose = false;
    expect((await payments.charge(chargeRequest)).status).toBe("captured");
    expect(await kinds(payments)).toEqual(["charge:customer:1500", "payout:restaurant:1000"]);
  });

  it("answers late at the late-reply rate: the money moves, and a caller that aborts first sees a timeout", async () => {
    const { payments } = gateways({ lateReplyRate: 1, lateReplyMs: 60_000 }, () => 0.5);
    const controller = new AbortController();
    const pending = payments.charge({ ...chargeRequest, signal: controller.signal });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "INFRA_TIMEOUT", transient: true });
    expect(await kinds(payments)).toEqual(["charge:customer:1500"]);
    const patient = gateways({ lateReplyRate: 1, lateReplyMs: 0 }, () => 0.5);
    expect((await patient.payments.charge(chargeRequest)).status).toBe("captured");
  });

  it("refunds a captured charge once, and refuses a refund with nothing captured", async () => {
    const { payments } = gateways();
    const refund = { idempotencyKey: "refund:o1", orderId: "o1", amount: eur(1500) };
    await expect(payments.refund(refund)).rejects.toMatchObject({ transient: false });
    await payments.charge(chargeRequest);
    const first = await payments.refund(refund);
    expect(await payments.refund(refund)).toEqual(first);
    expect(await kinds(payments)).toEqual(["charge:customer:1500", "refund:customer:1500"]);
  });
});

describe("simulated payout gateway", () => {
  it("pays a party once per key and claws back only what was paid", async () => {
    const { payments, payouts } = gateways();
    const clawback = { ...restaurantPayout, idempotencyKey: "clawback:restaurant:o1" };
    await expect(payouts.clawback(clawback)).rejects.toMatchObject({ transient: false });
    const paid = await payouts.payout(restaurantPayout);
    expect(await payouts.payout(restaurantPayout)).toEqual(paid);
    await payouts.clawback(clawback);
    await payouts.clawback(clawback);
    expect(await kinds(payments)).toEqual(["payout:restaurant:1000", "clawback:restaurant:1000"]);
  });

  it("injects a fault for one party only", async () => {
    const { payments, payouts } = gateways();
    payouts.inject("payout", { kind: "permanent", party: "courier" });
    await payouts.payout(restaurantPayout);
    const courier = { ...restaurantPayout, idempotencyKey: "payout:courier:o1", party: "courier", partyId: "k1" } as const;
    await expect(payouts.payout(courier)).rejects.toMatchObject({ transient: false });
    expect(await kinds(payments)).toEqual(["payout:restaurant:1000"]);
  });
});
