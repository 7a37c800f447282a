-- Replaces an unreadable entry with a tombstone, only if it is still the version the reader saw.
-- KEYS[1] the entry; ARGV[1] expected incarnation ('0' for a malformed entry, which has no readable version),
-- ARGV[2] expected counter, ARGV[3] tombstone ttl ms, ARGV[4] incarnation for a recreated key.
-- Returns 1 if replaced, else 0.
local key = KEYS[1]
local kind, f = lamina_entry(key)
if kind == 'none' then
  return 0
end
if kind == 'hash' then
  if f.i ~= ARGV[1] or f.c ~= tonumber(ARGV[2]) then
    return 0
  end
  redis.call('HSET', key, 's', 'T', 'c', f.c + 1)
  redis.call('HDEL', key, 'p', 'l', 'e', 'x')
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
