import { describe, expect, it } from "vitest";
import { ConfigError, DEMO_COURIERS, parseConfig } from "./config.js";

describe("parseConfig", () => {
  it("takes flags over environment variables over defaults", () => {
    const config = parseConfig(["--orders", "5", "--couriers", "x, y"], { SIM_ORDERS: "9", SIM_CONCURRENCY: "4", PORT: "4000" })!;
    expect(config).toMatchObject({ orders: 5, concurrency: 4, couriers: ["x", "y"], baseUrl: "http://127.0.0.1:4000", follow: true });
    expect(parseConfig([], {})!.couriers).toEqual(DEMO_COURIERS);
  });

  it("names the bad flag or variable", () => {
    expect(() => parseConfig(["--orders", "0"], {})).toThrow(/--orders must be a positive integer/);
    expect(() => parseConfig([], { SIM_CENTRE: "north" })).toThrow(/--centre/);
    expect(() => parseConfig(["--bogus"], {})).toThrow(ConfigError);
  });

  it("answers null for --help", () => {
    expect(parseConfig(["--help"], {})).toBeNull();
  });
});
