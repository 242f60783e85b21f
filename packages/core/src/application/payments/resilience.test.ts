import { isBrokenCircuitError } from "cockatiel";
import { describe, expect, it } from "vitest";
import { InfrastructureError } from "../../ports/infrastructure.errors.js";
import { DEFAULT_RESILIENCE, gatewayPipeline, validateResilience } from "./resilience.js";

const fast = { ...DEFAULT_RESILIENCE, initialDelayMs: 1, maxDelayMs: 2 };
const unavailable = () => new InfrastructureError("INFRA_UNAVAILABLE", "down", { transient: true });
const refused = () => new InfrastructureError("INFRA_UNEXPECTED", "refused", { transient: false });

describe("gateway pipeline", () => {
  it("retries transient errors until the call succeeds", async () => {
    let calls = 0;
    const result = await gatewayPipeline(fast).execute(async () => {
      calls += 1;
      if (calls < 3) throw unavailable();
      return "paid";
    });
    expect({ result, calls }).toEqual({ result: "paid", calls: 3 });
  });

  it("never retries a permanent error", async () => {
    let calls = 0;
    const call = gatewayPipeline(fast).execute(async () => {
      calls += 1;
      throw refused();
    });
    await expect(call).rejects.toMatchObject({ code: "INFRA_UNEXPECTED" });
    expect(calls).toBe(1);
  });

  it("opens the circuit on a high failure ratio, then fails fast without calling the gateway", async () => {
    const pipeline = gatewayPipeline({ ...fast, maxRetries: 0, breakerMinimumRps: 0.001, breakerWindowMs: 60_000, halfOpenAfterMs: 60_000 });
    let calls = 0;
    const failing = async (): Promise<never> => {
      calls += 1;
      throw unavailable();
    };
    await expect(pipeline.execute(failing)).rejects.toMatchObject({ code: "INFRA_UNAVAILABLE" });
    const error = await pipeline.execute(failing).catch((e: unknown) => e);
    expect(isBrokenCircuitError(error)).toBe(true);
    expect(calls).toBe(1);
  });

  it("reports the circuit opening, its trial call and closing again once the gateway answers", async () => {
    const transitions: string[] = [];
    const pipeline = gatewayPipeline(
      { ...fast, maxRetries: 0, breakerMinimumRps: 0.001, breakerWindowMs: 60_000, halfOpenAfterMs: 20 },
      (transition) => transitions.push(transition),
    );
    await expect(pipeline.execute(() => Promise.reject(unavailable()))).rejects.toMatchObject({ code: "INFRA_UNAVAILABLE" });
    expect(transitions).toEqual(["opened"]);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(await pipeline.execute(async () => "paid")).toBe("paid");
    expect(transitions).toEqual(["opened", "half_open", "closed"]);
  });

  it("abandons a call at the timeout and aborts its signal", async () => {
    let seen: AbortSignal | undefined;
    const call = gatewayPipeline({ ...fast, maxRetries: 0, timeoutMs: 10 }).execute(({ signal }) => {
      seen = signal;
      return new Promise<never>(() => undefined);
    });
    const error = await call.catch((e: unknown) => e);
    // cockatiel 3.2.1's isTaskCancelledError() tests the wrong property, so match the marker field itself.
    expect(error).toMatchObject({ isTaskCancelledError: true });
    expect(seen?.aborted).toBe(true);
  });

  it("rejects a nonsensical setting up front, naming it", () => {
    expect(() => validateResilience({ ...DEFAULT_RESILIENCE, breakerThreshold: 1 })).toThrow(/breakerThreshold/);
    expect(() => validateResilience({ ...DEFAULT_RESILIENCE, timeoutMs: -1 })).toThrow(/timeoutMs/);
  });
});
