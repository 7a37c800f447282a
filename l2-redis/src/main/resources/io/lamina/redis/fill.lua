-- Stores a loaded value only while the key still holds the caller's unexpired lease and no intent.
-- A value that carries its source version raises the key's highest source version seen (field v), so a delayed
-- versioned put of an older one is refused.
-- KEYS[1] the entry; ARGV[1] lease token, ARGV[2] payload, ARGV[3] ttl ms, ARGV[4] '1' for a negative result,
-- ARGV[5] the value's source version ('' for none).
-- Returns {stored 1|0, incarnation, counter} (incarnation 0 when the key is absent or malformed).
local key = KEYS[1]
local kind, f = lamina_entry(key)
if kind ~= 'hash' then
  return {0, 0, 0}
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if f.l ~= ARGV[1] or (f.e or 0) <= now or f.s == 'I' then
  return {0, f.i, f.c}
end
local counter = f.c + 1
local expiry = string.format('%d:%d', counter, now + tonumber(ARGV[3]))
if ARGV[4] == '1' then
  redis.call('HSET', key, 's', 'N', 'c', counter, 'x', expiry)
  redis.call('HDEL', key, 'p', 'l', 'e')
else
  redis.call('HSET', key, 's', 'V', 'c', counter, 'p', ARGV[2], 'x', expiry)
  redis.call('HDEL', key, 'l', 'e')
  if ARGV[5] ~= '' and (not f.v or f.v < tonumber(ARGV[5])) then
    redis.call('HSET', key, 'v', ARGV[5])
  end
end
redis.call('PEXPIRE', key, ARGV[3])
return {1, f.i, counter}
