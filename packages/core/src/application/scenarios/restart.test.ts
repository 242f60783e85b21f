import { afterEach, describe, expect, it } from "vitest";
import type { CloudEvent } from "../../messaging/cloud-event.js";
import type { MessageHandler, MessagePublisher, MessageSubscriber, Subscription, SubscriptionSpec } from "../../ports/messaging.js";
import { Scenario, ledgerTotals } from "../../testing/scenario.js";

/** Counts the worker's steps (a handled delivery, a published relay batch) across worker generations. */
class Stepper {
  steps = 0;
  onStep: (step: number) => void = () => undefined;
  step(): void {
    this.steps += 1;
    this.onStep(this.steps);
  }
  subscriber(inner: MessageSubscriber): MessageSubscriber {
    return {
      subscribe: (spec: SubscriptionSpec, handler: MessageHandler): Promise<Subscription> =>
        inner.subscribe(spec, async (message, delivery) => {
          await handler(message, delivery);
          this.step();
        }),
      close: () => inner.close(),
    };
  }
  publisher(inner: MessagePublisher): MessagePublisher {
    return {
      publish: async (topic: string, messages: readonly CloudEvent[]) => {
        await inner.publish(topic, messages);
        this.step();
      },
      close: () => inner.close(),
    };
  }
}

let scenario: Scenario;
afterEach(async () => scenario?.dispose());

/** Runs one order to the end, stopping the worker after step `stopAfter` and starting a new one. */
async function runWithRestart(stopAfter: number | null) {
  const stepper = new Stepper();
  scenario = await new Scenario({ subscriber: (s) => stepper.subscriber(s), publisher: (p) => stepper.publisher(p) }).start();
  let restart: Promise<unknown> = Promise.resolve();
  stepper.onStep = (step) => {
    if (step !== stopAfter) return;
    // Not awaited here: stop() waits for in-flight work, this step included.
    restart = scenario.stopWorker().then(() => scenario.startWorker());
  };
  const placed = await scenario.placeOrder();
  await scenario.deliver(placed.id);
  await restart;
  await scenario.waitForSaga(placed.id, ["completed"]);
  const view = await scenario.waitForView(placed.id, "paid out", (v) => v.paymentStatus === "paid_out");
  const entries = await scenario.ledger(placed.id);
  const result = { steps: stepper.steps, status: view.status, ledger: ledgerTotals(entries), entries: entries.length, workers: scenario.generations };
  await scenario.dispose();
  return result;
}

describe("a worker stopped between two steps and started again", () => {
  it("resumes from every step boundary and never pays twice", async () => {
    const baseline = await runWithRestart(null);
    expect(baseline.entries).toBe(3);
    expect(baseline.steps).toBeGreaterThan(10);

    for (let boundary = 1; boundary < baseline.steps; boundary += 1) {
      const run = await runWithRestart(boundary);
      expect({ boundary, status: run.status, ledger: run.ledger, entries: run.entries, workers: run.workers }).toEqual({
        boundary,
        status: "delivered",
        ledger: baseline.ledger,
        entries: 3,
        workers: 2,
      });
    }
  }, 60_000);
});
