import {
  type CourierPositions,
  InfrastructureError,
  InfrastructureErrorCode,
  type LatestPosition,
  type NearPosition,
  type NearestSearch,
  type PositionFix,
  distanceKm,
} from "@tiffin/core";
import type { Redis } from "ioredis";
import { RECORD_FIX_LUA } from "./record-fix.lua.js";

/** Redis GEO stores latitudes within ±85.05112878° (Web Mercator); fixes beyond keep their exact value in the hash. */
const GEO_MAX_LAT = 85.05112878;

export interface RedisPositionsOptions {
  /** Prefix of every key (default `tiffin:positions`); with Redis Cluster, put a `{hash tag}` in it. */
  readonly prefix?: string;
  /** Couriers silent for this long leave their city's sets, and their hash expires (default 1 h). */
  readonly retentionMs?: number;
}

/** Redis down or refusing: a transient fault (the API answers 503, a handler's message is redelivered). */
async function unavailableOnFailure<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (cause) {
    throw new InfrastructureError(InfrastructureErrorCode.Unavailable, `redis: ${(cause as Error).message}`, { transient: true, cause });
  }
}

type RecordFix = (hash: string, geo: string, seen: string, ...args: (string | number)[]) => Promise<number>;

/**
 * Live courier positions in Redis: per city a GEO set (GEOADD/GEOSEARCH) and a sorted set of last-seen times,
 * and per courier a hash with the exact fix. A fix is one atomic script call (out-of-order fixes are refused
 * inside it); the client pipelines concurrent calls (`enableAutoPipelining`), so ingestion is one round trip per
 * batch, not per fix. Searches filter on freshness from the last-seen set and drop couriers silent for longer
 * than the retention.
 */
export class RedisCourierPositions implements CourierPositions {
  private readonly prefix: string;
  private readonly retentionMs: number;
  private readonly recordFix: RecordFix;
  private readonly prunedAt = new Map<string, number>();

  constructor(
    private readonly redis: Redis,
    options: RedisPositionsOptions = {},
  ) {
    this.prefix = options.prefix ?? "tiffin:positions";
    this.retentionMs = options.retentionMs ?? 60 * 60_000;
    redis.defineCommand("tiffinRecordFix", { numberOfKeys: 3, lua: RECORD_FIX_LUA });
    const command = (redis as unknown as Record<string, RecordFix>).tiffinRecordFix!;
    this.recordFix = command.bind(redis);
  }

  record(fix: PositionFix): Promise<boolean> {
    return unavailableOnFailure(this.store(fix));
  }

  latest(courierId: string): Promise<LatestPosition | null> {
    return unavailableOnFailure(this.read(courierId));
  }

  nearest(search: NearestSearch): Promise<NearPosition[]> {
    return unavailableOnFailure(this.search(search));
  }

  private async store(fix: PositionFix): Promise<boolean> {
    const { courierId, city, position, at } = fix;
    const geoLat = Math.max(-GEO_MAX_LAT, Math.min(GEO_MAX_LAT, position.lat));
    const ttlSeconds = Math.ceil(this.retentionMs / 1000);
    const stored = await this.recordFix(
      this.courierKey(courierId),
      this.geoKey(city),
      this.seenKey(city),
      courierId,
      city,
      position.lng,
      position.lat,
      at,
      Date.parse(at),
      this.prefix,
      ttlSeconds,
      geoLat,
    );
    return stored === 1;
  }

  private async read(courierId: string): Promise<LatestPosition | null> {
    const [lat, lng, at] = await this.redis.hmget(this.courierKey(courierId), "lat", "lng", "at");
    return lat && lng && at ? { position: { lat: Number(lat), lng: Number(lng) }, at } : null;
  }

  private async search(search: NearestSearch): Promise<NearPosition[]> {
    await this.pruneSilent(search.city);
    const excluded = new Set(search.exclude ?? []);
    const fresh = Date.parse(search.freshSince);
    // GEOSEARCH sorts by distance and returns the first `count`; stale or excluded couriers among them are skipped,
    // so the count grows until enough remain or the radius holds no more.
    for (let count = (search.limit + excluded.size) * 2; ; count *= 4) {
      const hits = (await this.redis.geosearch(
        this.geoKey(search.city),
        "FROMLONLAT",
        search.point.lng,
        search.point.lat,
        "BYRADIUS",
        search.radiusKm,
        "km",
        "ASC",
        "COUNT",
        count,
      )) as string[];
      const candidates = hits.filter((id) => !excluded.has(id));
      const seen = candidates.length === 0 ? [] : await this.redis.zmscore(this.seenKey(search.city), ...candidates);
      const freshIds = candidates.filter((_, i) => seen[i] !== null && Number(seen[i]) >= fresh);
      const found = await this.exact(freshIds, search);
      if (found.length >= search.limit || hits.length < count) return found.slice(0, search.limit);
    }
  }

  /** Exact positions and distances from the couriers' hashes (GEO coordinates are rounded), nearest first. */
  private async exact(ids: readonly string[], search: NearestSearch): Promise<NearPosition[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hmget(this.courierKey(id), "lat", "lng");
    const rows = (await pipeline.exec()) ?? [];
    const found: NearPosition[] = [];
    rows.forEach(([error, value], i) => {
      const [lat, lng] = (value ?? []) as (string | null)[];
      if (error || !lat || !lng) return;
      const position = { lat: Number(lat), lng: Number(lng) };
      const distance = distanceKm(search.point, position);
      if (distance <= search.radiusKm) found.push({ courierId: ids[i]!, position, distanceKm: distance });
    });
    return found.sort((a, b) => a.distanceKm - b.distanceKm || (a.courierId < b.courierId ? -1 : 1));
  }

  /** Removes couriers silent for longer than the retention from a city's sets, at most once a minute per city. */
  private async pruneSilent(city: string): Promise<void> {
    const now = Date.now();
    if (now - (this.prunedAt.get(city) ?? 0) < 60_000) return;
    this.prunedAt.set(city, now);
    const silent = await this.redis.zrangebyscore(this.seenKey(city), "-inf", now - this.retentionMs, "LIMIT", 0, 1_000);
    if (silent.length === 0) return;
    await this.redis.pipeline().zrem(this.geoKey(city), ...silent).zrem(this.seenKey(city), ...silent).exec();
  }

  private geoKey(city: string): string {
    return `${this.prefix}:geo:${city}`;
  }

  private seenKey(city: string): string {
    return `${this.prefix}:seen:${city}`;
  }

  private courierKey(courierId: string): string {
    return `${this.prefix}:courier:${courierId}`;
  }
}
