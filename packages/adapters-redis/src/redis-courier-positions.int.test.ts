import { randomUUID } from "node:crypto";
import { describeCourierPositionsContract } from "@tiffin/core/testing";
import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { connectRedis } from "./connect.js";
import { RedisCourierPositions } from "./redis-courier-positions.js";

const REDIS_URL = process.env.TIFFIN_TEST_REDIS_URL ?? "redis://127.0.0.1:6379/15";
const reachable = await connectRedis(REDIS_URL).then(
  (redis) => (redis.disconnect(), true),
  () => false,
);
if (!reachable) console.warn(`Redis positions tests skipped: no Redis at ${REDIS_URL} (set TIFFIN_TEST_REDIS_URL)`);

/** Each harness works under its own key prefix and deletes its keys afterwards. */
async function harness() {
  const redis = await connectRedis(REDIS_URL);
  const prefix = `tiffin-test:${randomUUID()}`;
  return {
    redis,
    prefix,
    positions: new RedisCourierPositions(redis, { prefix }),
    enroll: async () => undefined,
    close: async () => {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}

describe.skipIf(!reachable)("Redis positions", () => {
  describeCourierPositionsContract("redis", harness);

  it("keeps the exact position of a courier beyond Redis GEO's latitude range, and finds them", async () => {
    const h = await harness();
    try {
      const polar = { lat: 89.9, lng: 10 };
      const at = new Date().toISOString();
      expect(await h.positions.record({ courierId: "c-polar", city: "svalbard", position: polar, at })).toBe(true);
      expect(await h.positions.latest("c-polar")).toEqual({ position: polar, at });
    } finally {
      await h.close();
    }
  });

  it("fails with a transient INFRA_UNAVAILABLE while Redis cannot be reached", async () => {
    const h = await harness();
    await h.close();
    const at = new Date().toISOString();
    await expect(h.positions.record({ courierId: "c", city: "x", position: { lat: 1, lng: 1 }, at })).rejects.toMatchObject({ code: "INFRA_UNAVAILABLE", transient: true });
    await expect(h.positions.latest("c")).rejects.toMatchObject({ code: "INFRA_UNAVAILABLE" });
  });

  it("drops couriers silent past the retention from the city's sets", async () => {
    const redis: Redis = await connectRedis(REDIS_URL);
    const prefix = `tiffin-test:${randomUUID()}`;
    const positions = new RedisCourierPositions(redis, { prefix, retentionMs: 60_000 });
    try {
      const point = { lat: 52.52, lng: 13.4 };
      await positions.record({ courierId: "silent", city: "berlin", position: point, at: new Date(Date.now() - 120_000).toISOString() });
      await positions.record({ courierId: "talking", city: "berlin", position: point, at: new Date().toISOString() });
      const found = await positions.nearest({ city: "berlin", point, radiusKm: 1, freshSince: new Date(0).toISOString(), limit: 10 });
      expect(found.map((f) => f.courierId)).toEqual(["talking"]);
      expect(await redis.zrange(`${prefix}:geo:berlin`, 0, -1)).toEqual(["talking"]);
    } finally {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  });
});
