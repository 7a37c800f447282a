-- Replaces the entry with a tombstone (T) or an intent (I) of the next version, revoking any lease.
-- A tombstone keeps the highest source version seen (field v). A malformed entry is replaced by a new one.
-- KEYS[1] the entry; ARGV[1] 'T' or 'I', ARGV[2] ttl ms, ARGV[3] incarnation if the key is new, ARGV[4] (optional,
-- may be empty) a fence: the tombstone's highest source version becomes at least this, so a versioned put of it or
-- of an older version that is still in flight (a retry of a write that timed out) can no longer land.
-- Returns {incarnation, counter}.
local key = KEYS[1]
local kind, f = lamina_entry(key)
local inc, counter
local seen = nil
if kind == 'hash' then
  seen = f.v
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
redis.call('HDEL', key, 'p', 'l', 'e', 'x')
local fence = ARGV[4]
if fence and fence ~= '' and (not seen or seen < tonumber(fence)) then
  redis.call('HSET', key, 'v', fence)
end
redis.call('PEXPIRE', key, ARGV[2])
return {inc, counter}
