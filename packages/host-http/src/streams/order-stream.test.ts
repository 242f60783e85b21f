import { SYSTEM_PRINCIPAL } from "@tiffin/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InMemoryApi, demoOrder, inMemoryApi } from "../test-support/in-memory-api.js";

let api: InMemoryApi;
beforeAll(async () => {
  // Ten minutes: only the view change feed can tell a stream that its order changed within a test.
  api = await inMemoryApi({ streams: { safetyPollMs: 600_000 } });
});
afterAll(async () => {
  await api.app.close();
});

const customer = { role: "customer" as const, id: "stream-alice" };
const LIFECYCLE = ["placed", "confirmed", "preparing", "ready", "picked_up", "delivered"] as const;

/** Places an order, then writes its view as the projections would after the given statuses. */
async function orderThrough(statuses: readonly string[], paymentStatus: string, key: string): Promise<string> {
  const placed = await api.app.inject({ method: "POST", url: "/v1/orders", headers: { authorization: await api.auth(customer), "idempotency-key": key }, payload: demoOrder() });
  const id = placed.json().id as string;
  await api.uow.run(SYSTEM_PRINCIPAL, async (tx) => {
    const view = await tx.views.getView(id);
    if (view === null) throw new Error("no view");
    const timeline = statuses.map((status, i) => ({ status, at: new Date(Date.parse(view.placedAt) + i * 1000).toISOString() }));
    await tx.views.saveView({ ...view, status: statuses.at(-1), timeline, paymentStatus, revision: view.revision + 1 } as typeof view);
  });
  return id;
}

/** Reads a whole stream; the server must end it by itself (a stream that never ends fails the test). */
async function readStream(id: string, lastEventId?: string, meanwhile: () => Promise<void> = async () => undefined) {
  const response = await Promise.race([
    meanwhile().then(() => new Promise<never>(() => undefined)),
    api.app.inject({ url: `/v1/orders/${id}/stream`, headers: { authorization: await api.auth(customer), ...(lastEventId === undefined ? {} : { "last-event-id": lastEventId }) } }),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the stream did not end after the terminal event")), 5_000)),
  ]);
  expect(response.statusCode).toBe(200);
  return response.body
    .split("\n\n")
    .filter((block) => block.includes("data: "))
    .map((block) => {
      const field = (name: string) => block.split("\n").find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2);
      return { id: field("id"), event: field("event"), view: JSON.parse(field("data") ?? "null") as { status: string; paymentStatus: string } };
    });
}

describe("GET /v1/orders/:id/stream", () => {
  it("sends every transition as its own event with an id, even ones it never saw, and ends after the settled order", async () => {
    const id = await orderThrough(LIFECYCLE, "paid_out", "stream-1");
    const events = await readStream(id);
    expect(events.map((e) => e.view.status)).toEqual([...LIFECYCLE]);
    expect(events.map((e) => e.event)).toEqual(LIFECYCLE.map(() => "order"));
    expect(new Set(events.map((e) => e.id)).size).toBe(LIFECYCLE.length);
    expect(events.at(-1)?.view.paymentStatus).toBe("paid_out");
  });

  it("resumes after Last-Event-ID with the transitions the client missed", async () => {
    const id = await orderThrough(LIFECYCLE, "paid_out", "stream-2");
    const all = await readStream(id);
    const resumed = await readStream(id, all[2]?.id);
    expect(resumed.map((e) => e.view.status)).toEqual(LIFECYCLE.slice(3));
  });

  it("is told of a change as soon as the view is written, with no poll to find it", async () => {
    const id = await orderThrough(["placed"], "pending", "stream-4");
    const advance = async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await api.uow.run(SYSTEM_PRINCIPAL, async (tx) => {
        const view = await tx.views.getView(id);
        if (view === null) throw new Error("no view");
        const timeline = LIFECYCLE.map((status, i) => ({ status, at: new Date(Date.parse(view.placedAt) + i * 1000).toISOString() }));
        await tx.views.saveView({ ...view, status: "delivered", timeline, paymentStatus: "paid_out", revision: view.revision + 1 });
      });
    };
    const events = await readStream(id, undefined, advance);
    expect(events.map((e) => e.view.status)).toEqual([...LIFECYCLE]);
  });

  it("ends after a cancellation", async () => {
    const id = await orderThrough(["placed", "cancelled"], "declined", "stream-3");
    expect((await readStream(id)).map((e) => e.view.status)).toEqual(["placed", "cancelled"]);
  });
});
