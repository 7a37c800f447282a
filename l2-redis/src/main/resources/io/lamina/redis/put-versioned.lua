-- Stores a written value that carries its source version, unless the key already saw the same or a higher one.
-- KEYS[1] the entry; ARGV[1] source version, ARGV[2] payload, ARGV[3] ttl ms, ARGV[4] incarnation if new.
-- Returns {stored 1|0, incarnation, counter}.
local key = KEYS[1]
local kind = redis.call('TYPE', key)['ok']
local inc, counter
if kind == 'hash' then
  local f = redis.call('HMGET', key, 'i', 'c', 'v')
  if f[1] and f[2] then
    if f[3] and tonumber(f[3]) >= tonumber(ARGV[1]) then
      return {0, f[1], tonumber(f[2])}
    end
    inc = f[1]
    counter = tonumber(f[2]) + 1
  end
end
if not inc then
  if kind ~= 'none' then
    redis.call('DEL', key)
  end
  inc = ARGV[4]
  counter = 1
end
redis.call('HSET', key, 's', 'V', 'i', inc, 'c', counter, 'p', ARGV[2], 'v', ARGV[1])
redis.call('HDEL', key, 'l', 'e')
redis.call('PEXPIRE', key, ARGV[3])
return {1, inc, counter}
