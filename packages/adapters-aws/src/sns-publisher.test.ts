import { describe, expect, it } from "vitest";
import { publishBatches } from "./sns-publisher.js";

const sizes = (batches: { bytes: number }[][]): number[][] => batches.map((batch) => batch.map((e) => e.bytes));

describe("publishBatches", () => {
  it("keeps order and at most 10 messages per PublishBatch", () => {
    const entries = Array.from({ length: 25 }, (_, n) => ({ bytes: 100 + n }));
    const batches = publishBatches(entries);
    expect(batches.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(batches.flat()).toEqual(entries);
  });

  it("starts a new batch before the total passes SNS's 256 KiB", () => {
    const big = 100 * 1024;
    expect(sizes(publishBatches([{ bytes: big }, { bytes: big }, { bytes: big }, { bytes: 10 }]))).toEqual([
      [big, big],
      [big, 10],
    ]);
  });
});
