import { ORDER_EVENTS_TOPIC, canReportDepth, silentLogger } from "@tiffin/core";
import type { MessageSubscriber } from "@tiffin/core";
import { InMemoryBroker } from "@tiffin/core/memory";
import { describe, expect, it } from "vitest";
import { InstrumentedSubscriber } from "./instrumented-subscriber.js";
import { Metrics } from "./metrics.js";

describe("InstrumentedSubscriber", () => {
  it("reports queue depth exactly when the subscriber it wraps does", async () => {
    const broker = new InMemoryBroker();
    const instrumented = new InstrumentedSubscriber(broker, new Metrics(), silentLogger);
    await instrumented.subscribe({ topic: ORDER_EVENTS_TOPIC, subscription: "projections" }, async () => undefined);
    expect(canReportDepth(instrumented)).toBe(true);
    if (canReportDepth(instrumented)) expect(await instrumented.depth("projections")).toBe(0);
    await instrumented.close();

    const depthless: MessageSubscriber = { subscribe: (spec, handler) => broker.subscribe(spec, handler), close: async () => undefined };
    expect(canReportDepth(new InstrumentedSubscriber(depthless, new Metrics(), silentLogger))).toBe(false);
  });
});
