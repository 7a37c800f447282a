-- Reads the fields of several entries for the client to check as plain hits (PlainHit): one call for many keys,
-- and no checks here; the client reads whatever it cannot vouch for again with read-all.lua.
-- KEYS the entries; ARGV the fields to read. Returns per key its HMGET reply, or false for a key of another type.
local out = {}
for i = 1, #KEYS do
  local f = redis.pcall('HMGET', KEYS[i], unpack(ARGV))
  if f['err'] then
    out[i] = false
  else
    out[i] = f
  end
end
return out
