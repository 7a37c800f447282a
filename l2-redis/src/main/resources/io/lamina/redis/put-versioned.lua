-- Stores a written value that carries its source version, unless the key already saw the same or a higher one.
-- A malformed entry is replaced by a new one.
-- KEYS[1] the entry; ARGV[1] source version, ARGV[2] payload, ARGV[3] ttl ms, ARGV[4] incarnation if new.
-- Returns {stored 1|0, incarnation, counter}.
local key = KEYS[1]
local kind, f = lamina_entry(key)
local inc, counter
if kind == 'hash' then
  if f.v and f.v >= tonumber(ARGV[1]) then
    return {0, f.i, f.c}
  end
  inc = f.i
  counter = f.c + 1
else
  if kind ~= 'none' then
    redis.call('DEL', key)
  end
  inc = ARGV[4]
  counter = 1
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', key, 's', 'V', 'i', inc, 'c', counter, 'p', ARGV[2], 'v', ARGV[1],
  'x', string.format('%d:%d', counter, now + tonumber(ARGV[3])))
if kind == 'hash' and (f.l or f.e) then -- revoke a lease; most writes find none and skip the call
  redis.call('HDEL', key, 'l', 'e')
end
redis.call('PEXPIRE', key, ARGV[3])
return {1, inc, counter}
