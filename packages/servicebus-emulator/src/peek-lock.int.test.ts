import { describe, expect, it } from "vitest";
import { useEmulator } from "./test-support/emulator-fixture.js";

const fixture = useEmulator();

describe("peek-lock on a subscription, with the real @azure/service-bus client", () => {
  it("stamps sequence number, enqueued time, lock expiry and lock token, and completes", async () => {
    const topic = fixture.topic([{ Name: "s", Properties: { LockDuration: "PT5S" } }]);
    const client = fixture.client();
    await client.createSender(topic).sendMessages({ body: { n: 1 }, messageId: "m-1", subject: "order.placed", applicationProperties: { tenant: "t1" } });
    const receiver = client.createReceiver(topic, "s");
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
    expect(message?.body).toEqual({ n: 1 });
    expect(message?.messageId).toBe("m-1");
    expect(message?.subject).toBe("order.placed");
    expect(message?.applicationProperties).toEqual({ tenant: "t1" });
    expect(message?.deliveryCount).toBe(0);
    expect(message?.sequenceNumber?.toNumber()).toBe(1);
    expect(message?.enqueuedTimeUtc).toBeInstanceOf(Date);
    expect(message?.lockedUntilUtc?.getTime()).toBeGreaterThan(Date.now());
    expect(message?.lockToken).toMatch(/^[0-9a-f-]{36}$/);
    if (message === undefined) throw new Error("no message");
    await receiver.completeMessage(message);
    expect(await receiver.peekMessages(10)).toEqual([]);
  });

  it("redelivers an abandoned message at once with deliveryCount incremented", async () => {
    const topic = fixture.topic([{ Name: "s", Properties: { LockDuration: "PT5S", MaxDeliveryCount: 5 } }]);
    const client = fixture.client();
    await client.createSender(topic).sendMessages({ body: "again" });
    const receiver = client.createReceiver(topic, "s");
    const [first] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
    if (first === undefined) throw new Error("no message");
    await receiver.abandonMessage(first, { reason: "retry-later" });
    const [second] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
    expect(second?.body).toBe("again");
    expect(second?.deliveryCount).toBe(1);
    expect(second?.applicationProperties).toEqual({ reason: "retry-later" });
  });
});

describe("locks, lock renewal and dead-lettering", () => {
  it("redelivers when the lock expires, and renew-lock through $management keeps the lock", async () => {
    const topic = fixture.topic([{ Name: "s", Properties: { LockDuration: "PT2S", MaxDeliveryCount: 10 } }]);
    const client = fixture.client();
    await client.createSender(topic).sendMessages([{ body: "renewed" }, { body: "expires" }]);
    const receiver = client.createReceiver(topic, "s", { maxAutoLockRenewalDurationInMs: 0 });
    const [renewed, expires] = await receiver.receiveMessages(2, { maxWaitTimeInMs: 2_000 });
    if (renewed === undefined || expires === undefined) throw new Error("expected two messages");
    const lockedUntil = renewed.lockedUntilUtc?.getTime() ?? 0;
    const other = client.createReceiver(topic, "s", { maxAutoLockRenewalDurationInMs: 0 });
    // Renew the first lock a few times over more than the lock duration; only the second comes back.
    // Renewals 600 ms apart over 3 s: longer than the lock, with room for a slow machine between two renewals.
    for (let n = 0; n < 5; n += 1) {
      await new Promise((resolve) => setTimeout(resolve, 600));
      const until = await receiver.renewMessageLock(renewed);
      expect(until.getTime()).toBeGreaterThan(lockedUntil);
    }
    const [redelivered] = await other.receiveMessages(1, { maxWaitTimeInMs: 3_000 });
    expect([redelivered?.body, redelivered?.deliveryCount]).toEqual(["expires", 1]);
    if (redelivered) await other.completeMessage(redelivered);
    await receiver.completeMessage(renewed);
    await expect(receiver.completeMessage(expires)).rejects.toMatchObject({ code: "MessageLockLost" });
  });

  it("moves a message to $DeadLetterQueue after MaxDeliveryCount deliveries, with the service's reason", async () => {
    const topic = fixture.topic([{ Name: "s", Properties: { MaxDeliveryCount: 3 } }]);
    const client = fixture.client();
    await client.createSender(topic).sendMessages({ body: "poison", messageId: "poison-1" });
    const receiver = client.createReceiver(topic, "s");
    for (let n = 0; n < 3; n += 1) {
      const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
      expect(message?.deliveryCount).toBe(n);
      if (message) await receiver.abandonMessage(message);
    }
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 })).toEqual([]);
    const deadLetters = client.createReceiver(topic, "s", { subQueueType: "deadLetter" });
    const [dead] = await deadLetters.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
    expect(dead?.messageId).toBe("poison-1");
    expect(dead?.deadLetterReason).toBe("MaxDeliveryCountExceeded");
    expect(dead?.deadLetterErrorDescription).toBe("Message could not be consumed after 3 delivery attempts.");
    expect(dead?.deadLetterSource?.toLowerCase()).toBe(`${topic}/subscriptions/s`);
  });

  it("dead-letters on request with reason, description and modified properties, and peeks the dead-letter queue", async () => {
    const topic = fixture.topic([{ Name: "s" }]);
    const client = fixture.client();
    await client.createSender(topic).sendMessages([{ body: 1 }, { body: 2 }]);
    const receiver = client.createReceiver(topic, "s");
    const messages = await receiver.receiveMessages(2, { maxWaitTimeInMs: 2_000 });
    for (const message of messages) {
      await receiver.deadLetterMessage(message, { deadLetterReason: "rejected", deadLetterErrorDescription: `bad ${String(message.body)}`, attempts: 1 });
    }
    const deadLetters = client.createReceiver(topic, "s", { subQueueType: "deadLetter" });
    const peeked = await deadLetters.peekMessages(10);
    expect(peeked.map((m) => [m.body, m.deadLetterReason, m.deadLetterErrorDescription, m.applicationProperties?.attempts])).toEqual([
      [1, "rejected", "bad 1", 1],
      [2, "rejected", "bad 2", 1],
    ]);
    // Peeking does not lock: the dead letters can still be received.
    const received = await deadLetters.receiveMessages(2, { maxWaitTimeInMs: 1_000 });
    expect(received.map((m) => m.body)).toEqual([1, 2]);
    expect(await receiver.peekMessages(10)).toEqual([]);
  });
});
