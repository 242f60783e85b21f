import { OutboxRelay, silentLogger } from "@tiffin/core";
import { InMemoryBroker, SizeLimitedPublisher } from "@tiffin/core/memory";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InMemoryApi, demoOrder, inMemoryApi } from "./test-support/in-memory-api.js";

let api: InMemoryApi;
beforeAll(async () => {
  api = await inMemoryApi();
});
afterAll(async () => {
  await api.app.close();
});

describe("outbox records the broker refused, in the admin dead-letter view", () => {
  it("lists the refused order.placed with its reason under `outbox`, and replays it once", async () => {
    const customer = await api.auth({ role: "customer", id: "refused-alice" });
    const placed = await api.app.inject({ method: "POST", url: "/v1/orders", headers: { authorization: customer, "idempotency-key": "refused-1" }, payload: demoOrder() });
    expect(placed.statusCode).toBe(201);
    const orderId = (placed.json() as { id: string }).id;
    // A broker that takes nothing past 10 bytes refuses it; the relay sets it aside.
    const broker = new InMemoryBroker();
    expect(await new OutboxRelay(api.uow, new SizeLimitedPublisher(broker, 10), silentLogger, { relayId: "small" }).drain()).toBe(1);

    const admin = { authorization: await api.auth({ role: "admin", id: "ops" }) };
    const listed = await api.app.inject({ url: "/admin/dead-letters?subscription=outbox", headers: admin });
    expect(listed.statusCode).toBe(200);
    const items = (listed.json() as { items: { id: string; subscription: string; reason: string; type: string; orderId: string }[] }).items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ subscription: "outbox", type: "order.placed", orderId, messageId: `${orderId}:1:0`, attempts: 1 });
    expect(items[0]?.id).toMatch(/^outbox:\d+$/);
    expect(items[0]?.reason).toMatch(/^refused by the broker: message .* is larger than the broker's 10 bytes$/);

    const replay = () => api.app.inject({ method: "POST", url: `/admin/dead-letters/${items[0]?.id}/replay`, headers: admin });
    const first = await replay();
    expect([first.statusCode, first.json()]).toEqual([202, { replayed: items[0]?.id }]);
    expect((await replay()).statusCode).toBe(404);
    expect(await new OutboxRelay(api.uow, broker, silentLogger, { relayId: "fixed" }).drain()).toBe(1);
    expect((await api.app.inject({ url: "/admin/dead-letters?subscription=outbox", headers: admin })).json()).toEqual({ items: [], nextCursor: null });
  });
});
