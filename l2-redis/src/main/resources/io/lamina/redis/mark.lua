-- Replaces the entry with a tombstone (T) or an intent (I) of the next version, revoking any lease.
-- A tombstone keeps the highest source version seen (field v).
-- KEYS[1] the entry; ARGV[1] 'T' or 'I', ARGV[2] ttl ms, ARGV[3] incarnation if the key is new.
-- Returns {incarnation, counter}.
local key = KEYS[1]
local kind = redis.call('TYPE', key)['ok']
local inc, counter
if kind == 'hash' then
  local f = redis.call('HMGET', key, 'i', 'c')
  if f[1] and f[2] then
    inc = f[1]
    counter = tonumber(f[2]) + 1
  end
end
if not inc then
  if kind ~= 'none' then
    redis.call('DEL', key)
  end
  inc = ARGV[3]
  counter = 1
end
redis.call('HSET', key, 's', ARGV[1], 'i', inc, 'c', counter)
redis.call('HDEL', key, 'p', 'l', 'e')
redis.call('PEXPIRE', key, ARGV[2])
return {inc, counter}
