import { describe, expect, it } from "vitest";
import { createTiffin } from "../../application/tiffin-facade.js";
import { OUTBOX_DEAD_LETTERS } from "../../application/relay/outbox-dead-letters.js";
import type { CloudEvent } from "../../messaging/cloud-event.js";
import { SizeLimitedPublisher } from "../../memory/broker/size-limited-publisher.js";
import type { MessagePublisher } from "../../ports/messaging.js";
import { waitFor } from "../broker/wait-for.js";
import { netByParty } from "../scenario.js";
import type { ScenarioStarter } from "./reconciliation.scenarios.js";

/** The broker's limit in these scenarios: an ordinary order's events fit, an order with a 4 KB address line does not. */
const LIMIT_BYTES = 2_048;

/**
 * The broker as the relay sees it: the adapter's own publisher behind a size limit that an operator can raise (the
 * fix), recording what the broker accepted, in order.
 */
function limitedBroker() {
  const accepted: CloudEvent[] = [];
  const broker = { maxMessageBytes: LIMIT_BYTES, accepted };
  const wrap = (inner: MessagePublisher): MessagePublisher => ({
    publish: async (topic, messages) => {
      await new SizeLimitedPublisher(inner, broker.maxMessageBytes).publish(topic, messages);
      accepted.push(...messages);
    },
    close: () => inner.close(),
  });
  return { broker, wrap };
}

const typesOf = (accepted: readonly CloudEvent[], orderId: string): string[] => accepted.filter((m) => m.subject === orderId).map((m) => m.type);

/**
 * One outbox record the broker refuses for good (a message past its size limit) must not stop publishing: it is set
 * aside with the reason, shown in the admin dead-letter view, and replayable after a fix; the rest of the line keeps
 * flowing; the refused order's later events wait behind it, so they are never published out of sequence. With the
 * broker's limit known, such an order is refused at placement instead.
 */
export function describeRefusedMessageScenarios(name: string, start: ScenarioStarter): void {
  describe(`${name}: a message the broker refuses for good`, () => {
    it("is set aside with its reason while other orders flow, holds its order's later events, and replays after a fix", async () => {
      const { broker, wrap } = limitedBroker();
      const s = await start({ publisher: wrap });
      // Written while the broker took larger messages (the deployment moved to one with a lower limit since).
      const bigBody = { ...(s.orderBody() as object), deliveryAddress: { ...(s.orderBody() as { deliveryAddress: object }).deliveryAddress, line1: "x".repeat(4_000) } };
      const big = await s.tiffin.send(s.customer(), { type: "PlaceOrder", idempotencyKey: "big-1", order: bigBody });
      if (!big.ok) throw new Error(big.error.code);
      const poisoned = big.value.view.id;
      const healthy = await s.placeOrder();

      // The line keeps flowing: the order placed after it is charged.
      await s.waitForView(healthy.id, "charged", (v) => v.paymentStatus === "captured", 15_000);
      let letters: { id: string; reason: string; message: CloudEvent | null }[] = [];
      await waitFor(async () => {
        const answer = await s.tiffin.ask(s.admin, { type: "DeadLetters", subscription: OUTBOX_DEAD_LETTERS });
        letters = answer.ok ? answer.value.filter((l) => l.message?.subject === poisoned) : [];
        return letters.length > 0;
      }, { what: "the refused order.placed in the outbox dead-letter view" });
      expect(letters).toHaveLength(1);
      expect(letters[0]?.message?.type).toBe("order.placed");
      expect(letters[0]?.reason).toMatch(/^refused by the broker: .*larger than the broker's 2048 bytes/);

      // Its order's later events wait behind it: the cancellation is written but not published ahead of order.placed.
      const cancelled = await s.tiffin.send(s.customer(), { type: "CancelOrder", orderId: poisoned });
      expect(cancelled.ok).toBe(true);
      const another = await s.placeOrder();
      await s.waitForView(another.id, "charged", (v) => v.paymentStatus === "captured", 15_000);
      expect(typesOf(broker.accepted, poisoned)).toEqual([]);
      expect(await s.saga(poisoned)).toBeNull();

      // The fix (a broker that takes the message), then the admin replays it: it goes first, the held event after it.
      broker.maxMessageBytes = 1_000_000;
      const replayed = await s.tiffin.send(s.admin, { type: "ReplayDeadLetter", deadLetterId: letters[0]!.id });
      expect(replayed).toEqual({ ok: true, value: { replayed: letters[0]!.id } });
      const again = await s.tiffin.send(s.admin, { type: "ReplayDeadLetter", deadLetterId: letters[0]!.id });
      expect(!again.ok && again.error.code).toBe("NOT_FOUND");
      await waitFor(() => typesOf(broker.accepted, poisoned).length >= 2, { what: "the refused order's events published" });
      expect(typesOf(broker.accepted, poisoned).slice(0, 2)).toEqual(["order.placed", "order.cancelled"]);
      await s.waitForSaga(poisoned, ["compensated"], 15_000);
      expect(netByParty(await s.ledger(poisoned)).customer).toBe(0);
      const left = await s.tiffin.ask(s.admin, { type: "DeadLetters", subscription: OUTBOX_DEAD_LETTERS });
      expect(left.ok && left.value.filter((l) => l.message?.subject === poisoned)).toEqual([]);
    }, 60_000);

    it("with the broker's limit known, an order too large to publish is refused at placement (ORDER_TOO_LARGE) and nothing is kept", async () => {
      const { broker, wrap } = limitedBroker();
      const s = await start({ publisher: wrap });
      const tiffin = createTiffin({ ...s.appDeps(), messageSizeLimit: new SizeLimitedPublisher(s.broker, broker.maxMessageBytes) });
      const body = s.orderBody() as { deliveryAddress: object };
      const refused = await tiffin.send(s.customer(), {
        type: "PlaceOrder",
        idempotencyKey: "too-big",
        order: { ...body, deliveryAddress: { ...body.deliveryAddress, line1: "x".repeat(4_000) } },
      });
      expect(!refused.ok && refused.error.code).toBe("ORDER_TOO_LARGE");
      expect(!refused.ok && refused.error.details).toMatchObject({ maxBytes: LIMIT_BYTES });
      const history = await tiffin.ask(s.customer(), { type: "OrderHistory" });
      expect(history.ok && history.value.items).toEqual([]);
      // An ordinary order still fits and flows.
      const placed = await tiffin.send(s.customer(), { type: "PlaceOrder", idempotencyKey: "fits", order: s.orderBody() });
      if (!placed.ok) throw new Error(placed.error.code);
      await s.waitForView(placed.value.view.id, "charged", (v) => v.paymentStatus === "captured", 15_000);
    }, 30_000);
  });
}
