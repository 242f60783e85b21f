import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./index.js";

const server = { TIFFIN_DATABASE_URL: "postgres://app@db:5432/tiffin", TIFFIN_JWT_SECRET: "s".repeat(32) };

const failure = (env: Record<string, string>): ConfigError => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
};

describe("courier positions configuration", () => {
  it("keeps positions in the database, stale after 10 minutes on a server and 7 days embedded", () => {
    expect(loadConfig(server).positions).toEqual({ kind: "database", maxAgeMs: 600_000 });
    expect(loadConfig({}).positions).toEqual({ kind: "database", maxAgeMs: 7 * 24 * 3_600_000 });
    expect(loadConfig({ ...server, TIFFIN_POSITION_MAX_AGE_MS: "30000" }).positions.maxAgeMs).toBe(30_000);
  });

  it("uses Redis when told, and names the variable that is missing or malformed", () => {
    expect(loadConfig({ ...server, TIFFIN_POSITIONS: "redis", TIFFIN_REDIS_URL: "redis://cache:6379" }).positions).toEqual({
      kind: "redis",
      url: "redis://cache:6379",
      maxAgeMs: 600_000,
    });
    expect(failure({ ...server, TIFFIN_POSITIONS: "redis" }).variable).toBe("TIFFIN_REDIS_URL");
    expect(failure({ ...server, TIFFIN_POSITIONS: "redis", TIFFIN_REDIS_URL: "http://cache:6379" }).variable).toBe("TIFFIN_REDIS_URL");
    expect(failure({ ...server, TIFFIN_POSITIONS: "memcached" }).variable).toBe("TIFFIN_POSITIONS");
    expect(failure({ ...server, TIFFIN_POSITION_MAX_AGE_MS: "5" }).variable).toBe("TIFFIN_POSITION_MAX_AGE_MS");
  });
});
