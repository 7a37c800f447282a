-- Prepended to every script that reads an entry. An entry is a hash Lamina wrote: state s (V, N, T or I),
-- incarnation i and counter c (decimal digits), and optionally payload p, lease token l, lease expiry e (digits)
-- and highest source version v (a signed integer). A value or negative result also holds x, '<counter>:<expiry>'
-- (the write's counter and its absolute expiry in Redis' clock, ms), so that a hit can be read with one plain HMGET
-- and no script (RedissonRemoteStore): x is a hint that a reader trusts only while its counter is the entry's, and
-- entry.lua never reads it. Anything else at the key - another type, a missing or
-- unknown state, a field that is not a number - is malformed: reads report it as unreadable (X), fills refuse
-- it, writes replace it. A script never fails on what it finds in Redis.
local function lamina_int(s, signed)
  if not s or string.len(s) > 20 then
    return nil
  end
  if string.match(s, signed and '^%-?%d+$' or '^%d+$') == nil then
    return nil
  end
  return tonumber(s)
end
-- Returns 'none'; 'bad'; or 'hash' and the fields {s, i, c, p, l, e, v} (p and l false when unset, e and v nil).
-- The payload p is read only when withPayload: a write has no use for the old value, and copying it into Lua
-- costs Redis time on every write.
-- One HMGET on the usual path: a key of another type answers it with WRONGTYPE (malformed), and only a key without
-- a state asks whether it exists at all (EXISTS).
local function lamina_entry(key, withPayload)
  -- Without the payload, field 4 asks for s again (a byte) so that the positions stay the same.
  local f = redis.pcall('HMGET', key, 's', 'i', 'c', withPayload and 'p' or 's', 'l', 'e', 'v')
  if f['err'] then
    if string.sub(f['err'], 1, 9) == 'WRONGTYPE' then
      return 'bad', nil
    end
    error(f)
  end
  local s = f[1]
  if not s and redis.call('EXISTS', key) == 0 then
    return 'none', nil
  end
  if s ~= 'V' and s ~= 'N' and s ~= 'T' and s ~= 'I' then
    return 'bad', nil
  end
  local c = lamina_int(f[3])
  if not lamina_int(f[2]) or not c then
    return 'bad', nil
  end
  local e, v = nil, nil
  if f[6] then
    e = lamina_int(f[6])
    if not e then
      return 'bad', nil
    end
  end
  if f[7] then
    v = lamina_int(f[7], true)
    if not v then
      return 'bad', nil
    end
  end
  return 'hash', {s = s, i = f[2], c = c, p = withPayload and f[4] or false, l = f[5], e = e, v = v}
end
