import { SYSTEM_PRINCIPAL } from "@tiffin/core";
import { InMemoryViewChanges } from "@tiffin/core/memory";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InMemoryApi, demoOrder, inMemoryApi } from "../test-support/in-memory-api.js";

let api: InMemoryApi;
beforeAll(async () => {
  // A feed whose announcements are all lost: only the safety poll can find a change.
  api = await inMemoryApi({
    streams: { safetyPollMs: 50 },
    viewChanges: (uow) => {
      const feed = new InMemoryViewChanges(uow.database);
      return { subscribe: async () => async () => undefined, revisions: (ids) => feed.revisions(ids) };
    },
  });
});
afterAll(async () => {
  await api.app.close();
});

describe("an order stream whose change announcement was lost", () => {
  it("finds the change at the safety poll and ends with the settled order", async () => {
    const customer = { role: "customer" as const, id: "poll-bob" };
    const placed = await api.app.inject({ method: "POST", url: "/v1/orders", headers: { authorization: await api.auth(customer), "idempotency-key": "poll-1" }, payload: demoOrder() });
    const id = placed.json().id as string;
    const cancel = async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await api.uow.run(SYSTEM_PRINCIPAL, async (tx) => {
        const view = await tx.views.getView(id);
        if (view === null) throw new Error("no view");
        const timeline = [...view.timeline, { status: "cancelled" as const, at: new Date().toISOString() }];
        await tx.views.saveView({ ...view, status: "cancelled", timeline, revision: view.revision + 1 });
      });
    };
    const [response] = await Promise.all([
      Promise.race([
        api.app.inject({ url: `/v1/orders/${id}/stream`, headers: { authorization: await api.auth(customer) } }),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the stream never saw the cancellation")), 5_000)),
      ]),
      cancel(),
    ]);
    const statuses = response.body
      .split("\n")
      .filter((line) => line.startsWith("data: "))
      .map((line) => (JSON.parse(line.slice(6)) as { status: string }).status);
    expect(statuses).toEqual(["placed", "cancelled"]);
  });
});
