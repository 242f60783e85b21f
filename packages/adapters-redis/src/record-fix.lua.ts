/**
 * Stores a fix atomically unless the courier's stored fix is newer, and moves the courier between cities' keys.
 * KEYS: 1 the courier's hash, 2 the city's GEO set, 3 the city's last-seen sorted set.
 * ARGV: 1 courier id, 2 city, 3 lng, 4 lat, 5 at (ISO), 6 at (epoch ms), 7 key prefix, 8 hash TTL (s),
 *       9 GEO latitude (clamped to what Redis GEO accepts).
 * Returns 1 when stored, 0 when the stored fix is newer. Touches the previous city's keys by name, so with
 * Redis Cluster every key of a deployment must hash to one slot (a `{...}` hash tag in the prefix).
 */
export const RECORD_FIX_LUA = `
local previous = redis.call('HMGET', KEYS[1], 'ms', 'city')
if previous[1] and tonumber(previous[1]) > tonumber(ARGV[6]) then return 0 end
if previous[2] and previous[2] ~= ARGV[2] then
  redis.call('ZREM', ARGV[7] .. ':geo:' .. previous[2], ARGV[1])
  redis.call('ZREM', ARGV[7] .. ':seen:' .. previous[2], ARGV[1])
end
redis.call('GEOADD', KEYS[2], ARGV[3], ARGV[9], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[6], ARGV[1])
redis.call('HSET', KEYS[1], 'city', ARGV[2], 'lat', ARGV[4], 'lng', ARGV[3], 'at', ARGV[5], 'ms', ARGV[6])
redis.call('EXPIRE', KEYS[1], ARGV[8])
return 1
`;
