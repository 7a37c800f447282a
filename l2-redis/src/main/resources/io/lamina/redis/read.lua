-- Reads one entry and, on a miss, grants a lease if asked.
-- KEYS[1] the entry; ARGV[1] lease token ('' for none), ARGV[2] lease ms, ARGV[3] incarnation if the key is new.
-- Returns {state, incarnation, counter, payload|false, pttl, lease} (for a lease held by another, pttl is the
-- lease's remaining time); state A absent, V value, N negative,
-- T tombstone, I intent, X unreadable; lease N not requested, G granted, H held by another, R refused (intent).
-- A live lease under the caller's own token is granted again: its holder is the caller's node, whose earlier
-- read gave up waiting before this script ran.
local key = KEYS[1]
local token = ARGV[1]
local leaseMs = tonumber(ARGV[2])
local function now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local kind, f = lamina_entry(key)
if kind == 'none' then
  if token == '' then
    return {'A', 0, 0, false, -1, 'N'}
  end
  -- Create the key so that a later write can revoke this lease.
  redis.call('HSET', key, 's', 'T', 'i', ARGV[3], 'c', 1, 'l', token, 'e', now() + leaseMs)
  redis.call('PEXPIRE', key, leaseMs)
  return {'A', ARGV[3], 1, false, leaseMs, 'G'}
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
