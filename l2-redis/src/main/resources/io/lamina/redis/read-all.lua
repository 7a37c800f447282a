-- Reads several entries at once, each as lamina_read (read.lua) does, in one script call instead of one call per
-- entry. Only where every key is on one server: a Cluster reads entry by entry.
-- KEYS the entries; ARGV[1] lease ms; then per key i: ARGV[2i] its lease token ('' for none), ARGV[2i+1] the
-- incarnation to give it if it is new. Returns one reply of read.lua's shape per key, in order.
local leaseMs = tonumber(ARGV[1])
local out = {}
for i = 1, #KEYS do
  out[i] = lamina_read(KEYS[i], ARGV[2 * i], leaseMs, ARGV[2 * i + 1])
end
return out
