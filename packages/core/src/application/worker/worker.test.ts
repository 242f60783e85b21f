import { afterEach, describe, expect, it } from "vitest";
import type { Order } from "../../domain/order.js";
import { ORDER_EVENTS_TOPIC, SUBSCRIPTIONS } from "../../messaging/topology.js";
import { SYSTEM_PRINCIPAL } from "../../ports/principal.js";
import type { KitchenDecision, RestaurantGateway } from "../../ports/restaurant-gateway.js";
import { waitFor } from "../../testing/broker/wait-for.js";
import { Scenario } from "../../testing/scenario.js";

/** A kitchen that answers only when the test lets it. */
class HeldKitchen implements RestaurantGateway {
  asked = 0;
  private release!: () => void;
  private readonly released = new Promise<void>((resolve) => (this.release = resolve));

  async requestConfirmation(_order: Order): Promise<KitchenDecision> {
    this.asked += 1;
    await this.released;
    return { decision: "accepted", readyInMs: 60_000 };
  }

  answer(): void {
    this.release();
  }
}

let scenario: Scenario;
afterEach(async () => scenario?.dispose());

describe("Worker.stop", () => {
  it("finishes in-flight work before resolving, takes nothing new, and a new worker carries on", async () => {
    const kitchen = new HeldKitchen();
    scenario = await new Scenario({ kitchen }).start();
    const first = await scenario.placeOrder();
    await waitFor(() => kitchen.asked === 1, { what: "the kitchen to be asked" });

    let stopped = false;
    const stopping = scenario.stopWorker().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);
    kitchen.answer();
    await stopping;
    const order = await scenario.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.load(first.id));
    expect(order?.status).toBe("preparing");

    const second = await scenario.placeOrder();
    const pending = await scenario.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.outbox.pending());
    expect(pending).toBeGreaterThan(0);
    await scenario.startWorker();
    await scenario.waitForView(second.id, "preparing", (v) => v.status === "preparing");
  });
});

describe("a message the worker cannot use", () => {
  it("is dead-lettered at once, listed for admins, and leaves the other orders flowing", async () => {
    scenario = await new Scenario().start();
    const attributes = { specversion: "1.0", id: "bad-1", source: "elsewhere", type: "order.confirmed", time: "2026-01-01T12:00:00.000Z" };
    await scenario.broker.publishRaw(ORDER_EVENTS_TOPIC, { attributes, body: "{}" });

    const listed = async () => {
      const letters = await scenario.tiffin.ask(scenario.admin, { type: "DeadLetters", subscription: SUBSCRIPTIONS.courierAssignment });
      return letters.ok ? letters.value : [];
    };
    await waitFor(async () => (await listed()).length === 1, { what: "a dead letter" });
    expect((await listed())[0]?.reason).toMatch(/subject/);
    const placed = await scenario.placeOrder();
    await scenario.deliver(placed.id);
  });
});
