import { silentLogger } from "@tiffin/core";
import { describe, expect, it } from "vitest";
import { Lifecycle } from "./lifecycle.js";

describe("Lifecycle", () => {
  it("turns readiness off first, then stops intake, work and resources in that order, once", async () => {
    const lifecycle = new Lifecycle(silentLogger, 5_000);
    const order: string[] = [];
    const readyWhenStopped: boolean[] = [];
    lifecycle.onStop("pool", "resources", async () => void order.push("pool"));
    lifecycle.onStop("worker", "work", async () => void order.push("worker"));
    lifecycle.onStop("http", "intake", async () => {
      readyWhenStopped.push(lifecycle.ready);
      order.push("http");
    });
    lifecycle.markReady();
    expect(lifecycle.ready).toBe(true);
    expect(await lifecycle.stopWithin("SIGTERM")).toBe(true);
    await lifecycle.stop("again");
    expect(order).toEqual(["http", "worker", "pool"]);
    expect(readyWhenStopped).toEqual([false]);
  });

  it("keeps stopping the rest when a part fails", async () => {
    const lifecycle = new Lifecycle(silentLogger, 5_000);
    const stopped: string[] = [];
    lifecycle.onStop("broken", "intake", async () => {
      throw new Error("cannot close");
    });
    lifecycle.onStop("pool", "resources", async () => void stopped.push("pool"));
    expect(await lifecycle.stopWithin("SIGTERM")).toBe(true);
    expect(stopped).toEqual(["pool"]);
  });

  it("reports a stop that outlives the grace period", async () => {
    const lifecycle = new Lifecycle(silentLogger, 20);
    lifecycle.onStop("stuck", "work", () => new Promise<void>(() => undefined));
    expect(await lifecycle.stopWithin("SIGTERM")).toBe(false);
  });
});
