-- Grants a refresh lease on a value (or negative result) that expires within ARGV[3] ms, unless another
-- caller's lease is live. The entry keeps answering reads; fill.lua replaces it only while the token stands, and
-- mark.lua / put-versioned.lua revoke the token as they revoke a load's lease. The expiry is left alone: an entry
-- that expires before the refresh fills makes the fill fail, never lives longer.
-- KEYS[1] the entry; ARGV[1] lease token, ARGV[2] lease ms, ARGV[3] ahead ms.
-- Returns {state, incarnation, counter, false, pttl, lease} like read.lua (for H, pttl is the other lease's
-- remaining time); lease G granted, H held by another, N not due (absent, a miss, or not near expiry).
local key = KEYS[1]
local kind, f = lamina_entry(key)
if kind == 'none' then
  return {'A', 0, 0, false, -1, 'N'}
end
if kind == 'bad' then
  return {'X', 0, 0, false, -1, 'N'}
end
local state, inc, counter = f.s, f.i, f.c
local pttl = redis.call('PTTL', key)
if (state ~= 'V' and state ~= 'N') or pttl < 0 or pttl > tonumber(ARGV[3]) then
  return {state, inc, counter, false, pttl, 'N'}
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if f.l and (f.e or 0) > now then
  return {state, inc, counter, false, f.e - now, 'H'}
end
redis.call('HSET', key, 'l', ARGV[1], 'e', now + tonumber(ARGV[2]))
return {state, inc, counter, false, pttl, 'G'}
