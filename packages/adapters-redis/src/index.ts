export { RedisCourierPositions, type RedisPositionsOptions } from "./redis-courier-positions.js";
export { connectRedis } from "./connect.js";
