import { ConfigError, type CourierPositions, DatabasePositions, TOKENS, type UnitOfWork } from "@tiffin/core";
import type * as RedisAdapter from "@tiffin/adapters-redis";
import { ContainerModule } from "inversify";
import type { PositionsConfig } from "../config/positions-config.js";
import { type HealthProbe, RUNTIME_TOKENS } from "./tokens.js";

type RedisPackage = typeof RedisAdapter;

/**
 * Binds the live courier positions store: the database through the unit of work (default), or Redis, whose
 * package is loaded only when chosen. With Redis, readiness includes a PING and shutdown closes the client.
 */
export async function positionsModule(config: PositionsConfig): Promise<ContainerModule> {
  if (config.kind === "database") {
    return new ContainerModule(({ bind }) => {
      bind<CourierPositions>(TOKENS.CourierPositions)
        .toDynamicValue((ctx) => new DatabasePositions(ctx.get<UnitOfWork>(TOKENS.UnitOfWork)))
        .inSingletonScope();
    });
  }
  let redisPackage: RedisPackage;
  try {
    redisPackage = await import("@tiffin/adapters-redis");
  } catch (cause) {
    if ((cause as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") throw cause;
    throw new ConfigError("TIFFIN_POSITIONS", "is redis but the package @tiffin/adapters-redis is not installed");
  }
  const redis = await redisPackage.connectRedis(config.url).catch((error: Error) => {
    throw new ConfigError("TIFFIN_REDIS_URL", `cannot be reached: ${error.message}`);
  });
  return new ContainerModule(({ bind }) => {
    bind<CourierPositions>(TOKENS.CourierPositions)
      .toConstantValue(new redisPackage.RedisCourierPositions(redis))
      .onDeactivation(() => void redis.disconnect());
    bind<HealthProbe>(RUNTIME_TOKENS.HealthProbe).toConstantValue({ name: "positions", check: async () => void (await redis.ping()) });
  });
}
