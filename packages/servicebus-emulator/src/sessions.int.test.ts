import { describe, expect, it } from "vitest";
import { useEmulator } from "./test-support/emulator-fixture.js";

const fixture = useEmulator();
const SESSIONS = { Name: "s", Properties: { RequiresSession: true, LockDuration: "PT2S" } };

describe("sessions", () => {
  it("gives each session to one receiver at a time, its messages in order", async () => {
    const topic = fixture.topic([SESSIONS]);
    const client = fixture.client();
    const sent = ["a", "b"].flatMap((sessionId) => [1, 2, 3].map((n) => ({ body: `${sessionId}${n}`, sessionId })));
    await client.createSender(topic).sendMessages(sent);
    const first = await client.acceptNextSession(topic, "s");
    const second = await client.acceptNextSession(topic, "s");
    expect(new Set([first.sessionId, second.sessionId])).toEqual(new Set(["a", "b"]));
    // A third receiver finds no unlocked session, and cannot take a locked one by name.
    await expect(client.acceptSession(topic, "s", first.sessionId)).rejects.toMatchObject({ code: "SessionCannotBeLocked" });
    for (const receiver of [first, second]) {
      const received = await receiver.receiveMessages(10, { maxWaitTimeInMs: 500 });
      expect(received.map((m) => m.body)).toEqual([1, 2, 3].map((n) => `${receiver.sessionId}${n}`));
      for (const message of received) await receiver.completeMessage(message);
    }
  });

  it("waits for a session to have messages, as the service holds the attach", async () => {
    const topic = fixture.topic([SESSIONS]);
    const client = fixture.client();
    const accepting = client.acceptNextSession(topic, "s");
    await new Promise((resolve) => setTimeout(resolve, 100));
    await client.createSender(topic).sendMessages({ body: "late", sessionId: "order-9" });
    const receiver = await accepting;
    expect(receiver.sessionId).toBe("order-9");
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 500 });
    expect(message?.body).toBe("late");
  });

  it("answers with a timeout when no session comes within the client's wait", async () => {
    const topic = fixture.topic([SESSIONS]);
    const client = fixture.client({ timeoutInMs: 1_000 });
    await expect(client.acceptNextSession(topic, "s")).rejects.toMatchObject({ code: expect.stringMatching(/ServiceTimeout|SessionCannotBeLocked/) });
  });

  it("an abandoned message comes back first in its session; a closed receiver releases the session", async () => {
    const topic = fixture.topic([SESSIONS]);
    const client = fixture.client();
    await client.createSender(topic).sendMessages([1, 2].map((n) => ({ body: n, sessionId: "order-1" })));
    const receiver = await client.acceptNextSession(topic, "s");
    const [one] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 500 });
    if (one === undefined) throw new Error("no message");
    await receiver.abandonMessage(one);
    const [again] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 500 });
    expect([again?.body, again?.deliveryCount]).toEqual([1, 1]);
    await receiver.close();
    const next = await client.acceptNextSession(topic, "s");
    const rest = await next.receiveMessages(5, { maxWaitTimeInMs: 500 });
    expect(rest.map((m) => [m.body, m.deliveryCount])).toEqual([
      [1, 2],
      [2, 0],
    ]);
  });

  it("renews the session lock while a receiver holds it, and loses it when renewal stops", async () => {
    const topic = fixture.topic([{ Name: "s", Properties: { RequiresSession: true, LockDuration: "PT2S" } }]);
    const client = fixture.client();
    await client.createSender(topic).sendMessages({ body: "held", sessionId: "order-2" });
    const holder = await client.acceptNextSession(topic, "s", { maxAutoLockRenewalDurationInMs: 0 });
    const until = holder.sessionLockedUntilUtc?.getTime() ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await holder.renewSessionLock();
    expect(holder.sessionLockedUntilUtc?.getTime()).toBeGreaterThan(until);
    await expect(client.acceptSession(topic, "s", "order-2")).rejects.toMatchObject({ code: "SessionCannotBeLocked" });
    // Without renewal the lock runs out and another receiver gets the session.
    const taker = await client.acceptSession(topic, "s", "order-2").catch(async () => {
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      return client.acceptSession(topic, "s", "order-2");
    });
    const [message] = await taker.receiveMessages(1, { maxWaitTimeInMs: 500 });
    expect(message?.body).toBe("held");
  });
});
