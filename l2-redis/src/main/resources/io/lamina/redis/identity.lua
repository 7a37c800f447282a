-- The run id of the server answering for KEYS[1] (the namespace's roster, so that on Cluster it is the roster's
-- primary): another run id means a failover or a restart, and writes the old primary acknowledged may be lost.
local info = redis.call('INFO', 'server')
return string.match(info, 'run_id:(%w+)') or ''
