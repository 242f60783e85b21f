import { describe, expect, it } from "vitest";
import { Batcher, type ItemOutcome } from "./batcher.js";

/** A run that waits for `release()` and records the batches it was given; an item "bad" fails alone. */
function gatedRun() {
  const batches: string[][] = [];
  let open: () => void = () => {};
  let gate = new Promise<void>((resolve) => (open = resolve));
  const run = async (items: readonly string[]): Promise<ItemOutcome<string>[]> => {
    batches.push([...items]);
    await gate;
    return items.map((item) => (item === "bad" ? { ok: false, error: new Error(`refused ${item}`) } : { ok: true, value: item.toUpperCase() }));
  };
  const release = () => {
    open();
    gate = new Promise<void>((resolve) => (open = resolve));
  };
  return { run, batches, release };
}

describe("Batcher", () => {
  it("runs an item at once when a slot is free, and gathers what arrives while every slot is busy into the next run", async () => {
    const { run, batches, release } = gatedRun();
    const batcher = new Batcher(run, { concurrency: 1, maxBatch: 10 });
    const first = batcher.submit("a");
    const later = ["b", "c", "d"].map((item) => batcher.submit(item));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(batches).toEqual([["a"]]);
    release();
    expect(await first).toBe("A");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(batches).toEqual([["a"], ["b", "c", "d"]]);
    release();
    expect(await Promise.all(later)).toEqual(["B", "C", "D"]);
  });

  it("fails an item alone when its own outcome is an error, and every item of a run that throws", async () => {
    const { run, release } = gatedRun();
    const batcher = new Batcher(run, { concurrency: 1, maxBatch: 10 });
    const blocker = batcher.submit("first");
    const outcomes = Promise.allSettled(["x", "bad", "y"].map((item) => batcher.submit(item)));
    release();
    await blocker;
    await new Promise((resolve) => setTimeout(resolve, 0));
    release();
    expect((await outcomes).map((o) => (o.status === "fulfilled" ? o.value : (o.reason as Error).message))).toEqual(["X", "refused bad", "Y"]);

    const broken = new Batcher<string, string>(() => Promise.reject(new Error("connection lost")), { concurrency: 1, maxBatch: 10 });
    const failed = await Promise.allSettled([broken.submit("p"), broken.submit("q")]);
    expect(failed.map((o) => o.status === "rejected" && (o.reason as Error).message)).toEqual(["connection lost", "connection lost"]);
  });

  it("never puts more than maxBatch items in one run", async () => {
    const { run, batches, release } = gatedRun();
    const batcher = new Batcher(run, { concurrency: 1, maxBatch: 2 });
    const all = Promise.all(["a", "b", "c", "d", "e"].map((item) => batcher.submit(item)));
    for (let i = 0; i < 4; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      release();
    }
    expect(await all).toEqual(["A", "B", "C", "D", "E"]);
    expect(batches).toEqual([["a"], ["b", "c"], ["d", "e"]]);
  });
});
