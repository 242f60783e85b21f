import { describe, expect, it } from "vitest";
import type { ServiceBusClient } from "@azure/service-bus";
import { useEmulator } from "./test-support/emulator-fixture.js";

const fixture = useEmulator();

async function drain(client: ServiceBusClient, topic: string, subscription: string): Promise<unknown[]> {
  const receiver = client.createReceiver(topic, subscription, { receiveMode: "receiveAndDelete" });
  const bodies: unknown[] = [];
  for (;;) {
    const batch = await receiver.receiveMessages(10, { maxWaitTimeInMs: 300 });
    if (batch.length === 0) return bodies.sort();
    bodies.push(...batch.map((m) => m.body));
  }
}

describe("topic rules", () => {
  it("routes by correlation filters on subject and on an application property, and by SQL filters", async () => {
    const topic = fixture.topic([
      { Name: "all" },
      { Name: "placed", Rules: [{ Name: "placed", Properties: { FilterType: "Correlation", CorrelationFilter: { Label: "order.placed" } } }] },
      {
        Name: "tenant-a",
        Rules: [{ Name: "tenant", Properties: { FilterType: "Correlation", CorrelationFilter: { Properties: { tenant: "a" } } } }],
      },
      {
        Name: "two-types",
        Rules: [
          { Name: "placed", Properties: { FilterType: "Correlation", CorrelationFilter: { Label: "order.placed" } } },
          { Name: "cancelled", Properties: { FilterType: "Correlation", CorrelationFilter: { Label: "order.cancelled" } } },
        ],
      },
      {
        Name: "sql",
        Rules: [{ Name: "sql", Properties: { FilterType: "Sql", SqlFilter: { SqlExpression: "sys.Label IN ('order.ready', 'order.cancelled') AND tenant = 'b'" } } }],
      },
      { Name: "not-replayed", Rules: [{ Name: "sql", Properties: { FilterType: "Sql", SqlFilter: { SqlExpression: "replay_to IS NULL" } } }] },
    ]);
    const client = fixture.client();
    await client.createSender(topic).sendMessages([
      { body: "1 placed a", subject: "order.placed", applicationProperties: { tenant: "a" } },
      { body: "2 ready b", subject: "order.ready", applicationProperties: { tenant: "b" } },
      { body: "3 cancelled b", subject: "order.cancelled", applicationProperties: { tenant: "b" } },
      { body: "4 replay", subject: "order.placed", applicationProperties: { tenant: "c", replay_to: "x" } },
    ]);
    expect(await drain(client, topic, "all")).toEqual(["1 placed a", "2 ready b", "3 cancelled b", "4 replay"]);
    expect(await drain(client, topic, "placed")).toEqual(["1 placed a", "4 replay"]);
    expect(await drain(client, topic, "tenant-a")).toEqual(["1 placed a"]);
    expect(await drain(client, topic, "two-types")).toEqual(["1 placed a", "3 cancelled b", "4 replay"]);
    expect(await drain(client, topic, "sql")).toEqual(["2 ready b", "3 cancelled b"]);
    expect(await drain(client, topic, "not-replayed")).toEqual(["1 placed a", "2 ready b", "3 cancelled b"]);
  });

  it("sends batches from createMessageBatch, limited to 256 KiB, and refuses a larger message with the service's error", async () => {
    const topic = fixture.topic([{ Name: "all" }]);
    const client = fixture.client();
    const sender = client.createSender(topic);
    const batch = await sender.createMessageBatch();
    expect(batch.maxSizeInBytes).toBe(262_144);
    expect(batch.tryAddMessage({ body: "x".repeat(200_000) })).toBe(true);
    expect(batch.tryAddMessage({ body: "y".repeat(100_000) })).toBe(false);
    expect(batch.tryAddMessage({ body: "small" })).toBe(true);
    await sender.sendMessages(batch);
    expect((await drain(client, topic, "all")).length).toBe(2);
    await expect(sender.sendMessages({ body: "z".repeat(262_144) })).rejects.toMatchObject({ code: "MessageSizeExceeded" });
    expect(await drain(client, topic, "all")).toEqual([]);
  });

  it("drops a message whose id was seen within the duplicate detection window", async () => {
    const topic = fixture.topic([{ Name: "all" }], { RequiresDuplicateDetection: true, DuplicateDetectionHistoryTimeWindow: "PT1M" });
    const client = fixture.client();
    const sender = client.createSender(topic);
    await sender.sendMessages({ body: "first", messageId: "event-1" });
    await sender.sendMessages({ body: "again", messageId: "event-1" });
    await sender.sendMessages({ body: "other", messageId: "event-2" });
    expect(await drain(client, topic, "all")).toEqual(["first", "other"]);
  });
});

describe("scheduled messages", () => {
  it("keeps a scheduled message invisible until its time, and cancels one", async () => {
    const topic = fixture.topic([{ Name: "all" }]);
    const client = fixture.client();
    const sender = client.createSender(topic);
    const at = new Date(Date.now() + 1_000);
    const [kept] = await sender.scheduleMessages({ body: "later" }, at);
    const [cancelled] = await sender.scheduleMessages({ body: "never" }, at);
    expect(kept).toBeDefined();
    if (cancelled === undefined) throw new Error("no sequence number");
    await sender.cancelScheduledMessages(cancelled);
    const receiver = client.createReceiver(topic, "all");
    // The receiver waits from before the scheduled time; the message only arrives once that time has come.
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
    expect(message?.body).toBe("later");
    expect(Date.now()).toBeGreaterThanOrEqual(at.getTime() - 5);
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 })).toEqual([]);
  });
});
