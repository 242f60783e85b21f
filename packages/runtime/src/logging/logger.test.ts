import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ level: "debug", destination }) };
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
});
