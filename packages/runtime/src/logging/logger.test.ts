import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, resolveLogFormat } from "./logger.js";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ level: "debug", format: "json", destination }) };
}

describe("createLogger", () => {
  it("writes one JSON line per event with snake_case correlation fields", () => {
    const { lines, logger } = capture();
    logger.child({ tenant: "cust-1" }).info("order placed", { orderId: "o-1", correlationId: "o-1", count: 2 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "info", msg: "order placed", order_id: "o-1", correlation_id: "o-1", tenant: "cust-1", count: 2 });
    expect(typeof lines[0]?.time).toBe("string");
  });

  it("never writes secrets or payloads even when a caller passes them", () => {
    const { lines, logger } = capture();
    logger.warn("suspicious", { authorization: "Bearer abc", token: "t", password: "p", body: "{...}", data: "{...}", orderId: "o-2" });
    logger.error("failed", { err: new Error("boom"), payload: { card: "4242" } });
    const text = JSON.stringify(lines);
    for (const secret of ["Bearer abc", '"t"', '"p"', "{...}", "4242"]) expect(text).not.toContain(secret);
    expect(lines[0]?.order_id).toBe("o-2");
    expect((lines[1]?.err as { message: string }).message).toBe("boom");
  });

  it("writes human-readable lines for a terminal: time, level, message and fields, no JSON", () => {
    let text = "";
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    const logger = createLogger({ level: "info", format: "pretty", destination, colors: false });
    logger.info("tiffin ready", { url: "http://127.0.0.1:3000", orderId: "o-3" });
    logger.error("request failed", { route: "/v1/orders", err: new Error("boom") });
    const lines = text.split("\n").filter(Boolean);
    expect(lines[0]).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: tiffin ready/);
    expect(lines[0]).toContain('{"url":"http://127.0.0.1:3000","order_id":"o-3"}');
    expect(text).toMatch(/ERROR: request failed/);
    expect(text).toContain("Error: boom");
    for (const line of lines) expect(() => JSON.parse(line)).toThrow();
  });
});

describe("resolveLogFormat", () => {
  it("is pretty in a terminal and JSON otherwise (containers, pipes), unless TIFFIN_LOG_FORMAT says", () => {
    expect(resolveLogFormat("auto", true)).toBe("pretty");
    expect(resolveLogFormat("auto", false)).toBe("json");
    expect(resolveLogFormat("json", true)).toBe("json");
    expect(resolveLogFormat("pretty", false)).toBe("pretty");
  });
});
