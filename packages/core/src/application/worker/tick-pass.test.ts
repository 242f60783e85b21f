import { describe, expect, it } from "vitest";
import { silentLogger } from "../../ports/logger.js";
import { runTick } from "./tick-pass.js";

/** A part that has `pending` units of work and does up to `batch` per call. */
const backlog = (pending: number, batch: number) => {
  const state = { pending, calls: 0 };
  const once = async () => {
    state.calls += 1;
    const done = Math.min(batch, state.pending);
    state.pending -= done;
    return done;
  };
  return { state, once };
};

describe("a tick", () => {
  it("drains what is pending and says so", async () => {
    const outbox = backlog(250, 100);
    const timers = backlog(3, 50);
    const report = await runTick({ relayOnce: outbox.once, pollTimersOnce: timers.once, recoverSagas: async () => 2 }, silentLogger);
    expect(report).toMatchObject({ relayed: 250, timersFired: 3, sagasRecovered: 2, reconciled: null, drained: true, errors: [] });
    expect(outbox.state.pending).toBe(0);
  });

  it("stops at its limits and reports that work is left", async () => {
    const outbox = backlog(1_000, 100);
    const report = await runTick({ relayOnce: outbox.once }, silentLogger, { maxRelayBatches: 3 });
    expect(report.relayed).toBe(300);
    expect(report.drained).toBe(false);
    expect(outbox.state.pending).toBe(700);
  });

  it("runs the other parts when one fails, and reports the failure", async () => {
    const timers = backlog(2, 50);
    const report = await runTick(
      { relayOnce: async () => Promise.reject(new Error("broker unreachable")), pollTimersOnce: timers.once, reconcile: async () => 1 },
      silentLogger,
    );
    expect(report.timersFired).toBe(2);
    expect(report.reconciled).toBe(1);
    expect(report.drained).toBe(false);
    expect(report.errors).toContainEqual({ part: "relay", message: "broker unreachable" });
  });

  it("publishes in the same pass what the timers and recovery wrote to the outbox", async () => {
    const outbox = backlog(0, 100);
    let due = 1;
    // Firing a timer (an offer expiring) writes an outbox record (the next offer).
    const fireTimers = async () => {
      const fired = due;
      outbox.state.pending += fired;
      due = 0;
      return fired;
    };
    const report = await runTick({ relayOnce: outbox.once, pollTimersOnce: fireTimers }, silentLogger);
    expect(report).toMatchObject({ timersFired: 1, relayed: 1, drained: true });
    expect(outbox.state.pending).toBe(0);
  });
});
