import { Redis } from "ioredis";

/**
 * Connects to `url` (`redis://[user:password@]host:port[/db]`, `rediss://` for TLS) and resolves once Redis
 * answers; rejects when it cannot. The client pipelines the commands issued in one event-loop turn, reconnects by
 * itself, and while disconnected fails commands at once (no offline queue to grow) so callers can answer 503.
 */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, { enableAutoPipelining: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
  // Connection errors reach the caller through the failing command or `connect()`; the event only needs a listener.
  redis.on("error", () => undefined);
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  return redis;
}
