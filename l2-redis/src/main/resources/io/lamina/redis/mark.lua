-- Replaces the entry with a tombstone (T) or an intent (I) of the next version, revoking any lease.
-- A tombstone keeps the highest source version seen (field v). A malformed entry is replaced by a new one.
-- KEYS[1] the entry; ARGV[1] 'T' or 'I', ARGV[2] ttl ms, ARGV[3] incarnation if the key is new.
-- Returns {incarnation, counter}.
local key = KEYS[1]
local kind, f = lamina_entry(key)
local inc, counter
if kind == 'hash' then
  inc = f.i
  counter = f.c + 1
else
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
