import { describe, expect, it } from "vitest";
import { findUnstorableText, isStorableText } from "./storable-text.js";

describe("storable text", () => {
  it("refuses NUL and lone surrogates, keeps paired ones", () => {
    expect(["a\u0000b", "a\ud800b", "\udc00", "x\ud83c"].map(isStorableText)).toEqual([false, false, false, false]);
    expect(["", "Straße", "curry \ud83c\udf5b"].map(isStorableText)).toEqual([true, true, true]);
  });

  it("names the first bad string or key in a JSON value", () => {
    expect(findUnstorableText({ items: [{ itemId: "ok" }, { itemId: "b\u0000" }] })).toBe("items[1].itemId");
    expect(findUnstorableText({ ["k\ud800"]: 1 })).toBe("k\ud800");
    expect(findUnstorableText({ a: [1, null, true, "fine"] })).toBeNull();
  });
});
