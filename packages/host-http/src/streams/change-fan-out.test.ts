import type { ViewChange, ViewChangeFeed } from "@tiffin/core";
import { silentLogger } from "@tiffin/core";
import { describe, expect, it } from "vitest";
import { ChangeFanOut } from "./change-fan-out.js";

/** A feed the test announces on by hand; it knows no revisions (the safety poll is not under test here). */
function manualFeed() {
  let listener: ((change: ViewChange) => void) | undefined;
  const feed: ViewChangeFeed = {
    subscribe: async (onChange) => {
      listener = onChange;
      return async () => undefined;
    },
    revisions: async () => new Map(),
  };
  return { feed, announce: (orderIds: string[]) => listener?.({ kind: "views", orderIds, restaurantIds: [] }) };
}

/** A read the test finishes by hand, counting how many were started. */
function gatedReads() {
  const started: ((value: string) => void)[] = [];
  const read = () => new Promise<string>((resolve) => started.push(resolve));
  return { read, started };
}

describe("the fan-out's shared reads", () => {
  it("gives the streams one read per announcement, and a new read for a later announcement", async () => {
    const { feed, announce } = manualFeed();
    const fanOut = new ChangeFanOut(feed, 60_000, silentLogger);
    await fanOut.start();
    try {
      const { read, started } = gatedReads();
      const seen: Promise<string>[] = [];
      for (let stream = 0; stream < 3; stream += 1) fanOut.watchOrder("o1", () => seen.push(fanOut.shareRead("alice:o1", read)), fanOut.announced);
      announce(["o1"]);
      expect(started).toHaveLength(1);
      // A later announcement while the first read is under way: that read may predate the change, so a new one starts.
      announce(["o1"]);
      expect(started).toHaveLength(2);
      started[0]?.("first");
      started[1]?.("second");
      expect(await Promise.all(seen)).toEqual(["first", "first", "first", "second", "second", "second"]);
      // Done reads are not kept: the next announcement reads again.
      announce(["o1"]);
      expect(started).toHaveLength(3);
    } finally {
      await fanOut.stop();
    }
  });

  it("keeps reads of other keys (another principal, another order) apart", async () => {
    const { feed } = manualFeed();
    const fanOut = new ChangeFanOut(feed, 60_000, silentLogger);
    const { read, started } = gatedReads();
    void fanOut.shareRead("alice:o1", read);
    void fanOut.shareRead("bob:o1", read);
    void fanOut.shareRead("alice:o2", read);
    void fanOut.shareRead("alice:o1", read);
    expect(started).toHaveLength(3);
    for (const finish of started) finish("done");
  });
});
