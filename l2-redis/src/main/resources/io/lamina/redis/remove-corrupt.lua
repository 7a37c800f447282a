-- Replaces an unreadable entry with a tombstone, only if it is still the version the reader saw.
-- KEYS[1] the entry; ARGV[1] expected incarnation ('0' for an entry with no readable version),
-- ARGV[2] expected counter, ARGV[3] tombstone ttl ms, ARGV[4] incarnation for a recreated key.
-- Returns 1 if replaced, else 0.
local key = KEYS[1]
local kind = redis.call('TYPE', key)['ok']
if kind == 'none' then
  return 0
end
local f = {}
if kind == 'hash' then
  f = redis.call('HMGET', key, 'i', 'c')
end
if f[1] and f[2] then
  if f[1] ~= ARGV[1] or tonumber(f[2]) ~= tonumber(ARGV[2]) then
    return 0
  end
  redis.call('HSET', key, 's', 'T', 'c', tonumber(f[2]) + 1)
  redis.call('HDEL', key, 'p', 'l', 'e')
  redis.call('PEXPIRE', key, ARGV[3])
  return 1
end
if ARGV[1] ~= '0' then
  return 0
end
redis.call('DEL', key)
redis.call('HSET', key, 's', 'T', 'i', ARGV[4], 'c', 1)
redis.call('PEXPIRE', key, ARGV[3])
return 1
