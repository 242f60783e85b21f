import { describe, expect, it } from "vitest";
import { SseParser } from "./sse.js";

describe("SseParser", () => {
  it("parses events split across chunks, skipping comments and the retry field", () => {
    const parser = new SseParser();
    const text = 'retry: 2000\n\nid: 1\nevent: order\ndata: {"status":"placed"}\n\n: keep-alive\n\nid: 2\nevent: order\ndata: {"status":"ready"}\n\n';
    const events = [];
    for (let i = 0; i < text.length; i += 7) events.push(...parser.push(text.slice(i, i + 7)));
    expect(events).toEqual([
      { event: "order", data: '{"status":"placed"}', id: "1" },
      { event: "order", data: '{"status":"ready"}', id: "2" },
    ]);
  });

  it("joins multi-line data, defaults the event name to message, and accepts CRLF split between chunks", () => {
    const parser = new SseParser();
    expect(parser.push("data: a\r")).toEqual([]);
    expect(parser.push("\ndata:b\r\n\r\n")).toEqual([{ event: "message", data: "a\nb" }]);
  });
});
