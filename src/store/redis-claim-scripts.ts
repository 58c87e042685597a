/**
 * Update claims as Lua scripts (see redis-update-claims.ts). A claim is one key,
 * `mami:claim:PLATFORM:UPDATE`, holding JSON {owner, state: "taken" or "done", payload while
 * taken}; a sorted set per platform lists the updates taken and not yet answered, so that a
 * process can find those whose owner died. Owners' signs of life are in the presence set
 * (redis-presence.ts), on Redis's own clock.
 */

const serverNow = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;

/**
 * KEYS: claim, pending set, presence. ARGV: owner, payload, milliseconds to keep, owner silence
 * (ms), update id. 1 when this process is to answer the update, 0 when it must not.
 */
export const claimScript = `${serverNow}
-- The claimer is alive now, whatever its heartbeat says yet.
redis.call('ZADD', KEYS[3], now, ARGV[1])
local raw = redis.call('GET', KEYS[1])
if raw then
  local claim = cjson.decode(raw)
  if claim.state == 'done' then return 0 end
  if claim.owner == ARGV[1] then return 1 end
  local seen = redis.call('ZSCORE', KEYS[3], claim.owner)
  if seen and now - tonumber(seen) < tonumber(ARGV[4]) then return 0 end
  -- Its owner stopped showing signs of life before answering: this process answers it.
end
redis.call('SET', KEYS[1], cjson.encode({ owner = ARGV[1], state = 'taken', payload = ARGV[2] }), 'PX', ARGV[3])
redis.call('ZADD', KEYS[2], now, ARGV[5])
return 1
`;

/** KEYS: claim, pending set. ARGV: owner, milliseconds to keep, update id. */
export const finishScript = `
redis.call('SET', KEYS[1], cjson.encode({ owner = ARGV[1], state = 'done' }), 'PX', ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[3])
return 0
`;

/**
 * KEYS: pending set, presence. ARGV: owner, owner silence (ms), claim key prefix, most to adopt.
 * Takes over the updates whose owner fell silent before answering: {update id, payload} each.
 */
export const adoptScript = `${serverNow}
local adopted = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local key = ARGV[3] .. id
  local raw = redis.call('GET', key)
  local claim = raw and cjson.decode(raw)
  if not claim or claim.state == 'done' then
    redis.call('ZREM', KEYS[1], id)
  elseif claim.owner ~= ARGV[1] then
    local seen = redis.call('ZSCORE', KEYS[2], claim.owner)
    if not seen or now - tonumber(seen) >= tonumber(ARGV[2]) then
      claim.owner = ARGV[1]
      redis.call('SET', key, cjson.encode(claim), 'KEEPTTL')
      adopted[#adopted + 1] = { id, claim.payload }
      if #adopted >= tonumber(ARGV[4]) then break end
    end
  end
end
return adopted
`;
