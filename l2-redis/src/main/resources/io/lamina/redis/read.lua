-- Reads one entry and, on a miss, grants a lease if asked.
-- lamina_read(key, token, leaseMs, newIncarnation): the entry; its lease token ('' for none), the lease in ms, the
-- incarnation to give the key if it is new. read.lua calls it with KEYS[1], ARGV[1], ARGV[2], ARGV[3];
-- read-all.lua once per key.
-- Returns {state, incarnation, counter, payload|false, pttl, lease} (for a lease held by another, pttl is the
-- lease's remaining time); state A absent, V value, N negative,
-- T tombstone, I intent, X unreadable; lease N not requested, G granted, H held by another, R refused (intent).
-- A live lease under the caller's own token is granted again: its holder is the caller's node, whose earlier
-- read gave up waiting before this script ran.
local function now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function lamina_read(key, token, leaseMs, newIncarnation)
  local kind, f = lamina_entry(key, true)
  if kind == 'none' then
    if token == '' then
      return {'A', 0, 0, false, -1, 'N'}
    end
    -- Create the key so that a later write can revoke this lease.
    redis.call('HSET', key, 's', 'T', 'i', newIncarnation, 'c', 1, 'l', token, 'e', now() + leaseMs)
    redis.call('PEXPIRE', key, leaseMs)
    return {'A', newIncarnation, 1, false, leaseMs, 'G'}
  end
  if kind == 'bad' then
    return {'X', 0, 0, false, -1, 'N'}
  end
  local state, inc, counter = f.s, f.i, f.c
  local pttl = redis.call('PTTL', key)
  if state == 'V' or state == 'N' then
    return {state, inc, counter, f.p, pttl, 'N'}
  end
  if token == '' then
    return {state, inc, counter, false, pttl, 'N'}
  end
  if state == 'I' then
    return {state, inc, counter, false, pttl, 'R'}
  end
  local t = now()
  if f.l and f.l ~= token and (f.e or 0) > t then
    return {state, inc, counter, false, f.e - t, 'H'}
  end
  redis.call('HSET', key, 'l', token, 'e', t + leaseMs)
  if pttl >= 0 and pttl < leaseMs then
    redis.call('PEXPIRE', key, leaseMs)
    pttl = leaseMs
  end
  return {state, inc, counter, false, pttl, 'G'}
end
