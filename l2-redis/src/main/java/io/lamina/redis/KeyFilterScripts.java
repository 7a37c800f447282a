package io.lamina.redis;

/**
 * The key filter's Lua scripts. Every one touches the pointer hash and generations under the same hash tag, so
 * each is atomic on one Cluster slot. Deadlines are on the server's clock, in milliseconds.
 */
final class KeyFilterScripts {

  private static final String NOW = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      """;

  /**
   * Reads the pointer. KEYS[1] pointer. Returns pairs: {@code current <generation>}, {@code building <generation>}
   * for each live build, {@code expired <generation>} for each build past its deadline.
   */
  static final String STATE = NOW + """
      local out = {}
      local all = redis.call('HGETALL', KEYS[1])
      for i = 1, #all, 2 do
        local field, value = all[i], all[i + 1]
        local kind = string.sub(field, 1, 2)
        if field == 'current' then
          out[#out + 1] = 'current'
          out[#out + 1] = value
        elseif kind == 'b:' or kind == 'p:' then
          local tag = 'preparing'
          if tonumber(value) <= now then
            tag = 'expired'
          elseif kind == 'b:' then
            tag = 'building'
          end
          out[#out + 1] = tag
          out[#out + 1] = string.sub(field, 3)
        end
      end
      return out
      """;

  /**
   * Registers a generation as being prepared (not yet a target of adds) and deletes builds that expired.
   * KEYS[1] pointer, then each expired generation and its config; ARGV[1] the new generation, ARGV[2] build timeout
   * ms, then the expired generations' names.
   */
  static final String PREPARE = NOW + """
      for i = 3, #ARGV do
        for _, kind in ipairs({'p:', 'b:'}) do
          local deadline = redis.call('HGET', KEYS[1], kind .. ARGV[i])
          if deadline and tonumber(deadline) <= now then
            redis.call('HDEL', KEYS[1], kind .. ARGV[i])
            redis.call('UNLINK', KEYS[2 * (i - 3) + 2], KEYS[2 * (i - 3) + 3])
          end
        end
      end
      redis.call('HSET', KEYS[1], 'p:' .. ARGV[1], now + tonumber(ARGV[2]))
      return 1
      """;

  /**
   * Makes a prepared generation (initialized, holding the sentinel) a target of adds. KEYS[1] pointer; ARGV[1] the
   * generation. Returns 1, or 0 if its deadline passed.
   */
  static final String OPEN = NOW + """
      local deadline = redis.call('HGET', KEYS[1], 'p:' .. ARGV[1])
      if not deadline or tonumber(deadline) <= now then
        return 0
      end
      redis.call('HDEL', KEYS[1], 'p:' .. ARGV[1])
      redis.call('HSET', KEYS[1], 'b:' .. ARGV[1], deadline)
      return 1
      """;

  /**
   * Puts a built generation in service and deletes the one it replaces, if the pointer still names that one.
   * KEYS[1] pointer, KEYS[2..3] the generation and its config, KEYS[4..5] the replaced generation and its config
   * (absent if none); ARGV[1] the generation, ARGV[2] the replaced generation or ''. Returns {@code {switched,
   * replaced}}, {@code {moved, actual}} if another generation is in service now, or {@code {expired, ''}}.
   */
  static final String SWITCH = NOW + """
      local deadline = redis.call('HGET', KEYS[1], 'b:' .. ARGV[1])
      if not deadline or tonumber(deadline) <= now then
        return {'expired', ''}
      end
      local current = redis.call('HGET', KEYS[1], 'current') or ''
      if current ~= ARGV[2] then
        return {'moved', current}
      end
      redis.call('HDEL', KEYS[1], 'b:' .. ARGV[1])
      redis.call('HSET', KEYS[1], 'current', ARGV[1])
      if current ~= '' then
        redis.call('UNLINK', KEYS[4], KEYS[5])
      end
      return {'switched', current}
      """;

  /**
   * Abandons a build: unregisters the generation and deletes it unless it is in service (a switch whose reply was
   * lost). KEYS[1] pointer, KEYS[2..3] the generation and its config; ARGV[1] the generation.
   */
  static final String CANCEL = """
      redis.call('HDEL', KEYS[1], 'p:' .. ARGV[1], 'b:' .. ARGV[1])
      if redis.call('HGET', KEYS[1], 'current') ~= ARGV[1] then
        redis.call('UNLINK', KEYS[2], KEYS[3])
      end
      return 1
      """;

  private KeyFilterScripts() {}
}
