/**
 * The shared quota's operations as Lua scripts: Redis runs each one whole, with nothing from
 * another process in between, so a reservation is checked and booked atomically. The rules are
 * those of core/models/in-process-quota.ts (and shared-quota-rules.ts); the contract test
 * (test/store/shared-quota-contract.test.ts) holds both to them.
 *
 * Per model, four keys hold its windows, like Groq's, sliding:
 *   minute  sorted set: charge id → when it leaves the minute (ms, the reserving process's clock)
 *   day     sorted set: charge id → when it leaves the day
 *   charges hash: charge id → JSON {m: minute tokens, d: day tokens, k, u: kept and used tokens once settled}
 *   dayTokens  integer: the day's tokens, kept as charges come and go (the day may hold thousands)
 * Every charge is one request. The minute is summed on each use (a minute holds at most RPM
 * charges); the day's requests are its size.
 */

/** Helpers every script that reads a model's windows starts with. */
const windows = `
local function prune(minuteKey, dayKey, chargesKey, dayTokensKey, now)
  redis.call('ZREMRANGEBYSCORE', minuteKey, '-inf', now)
  local expired = redis.call('ZRANGEBYSCORE', dayKey, '-inf', now)
  if #expired > 0 then
    local freed = 0
    for _, id in ipairs(expired) do
      local raw = redis.call('HGET', chargesKey, id)
      if raw then
        freed = freed + cjson.decode(raw).d
        redis.call('HDEL', chargesKey, id)
      end
    end
    redis.call('ZREMRANGEBYSCORE', dayKey, '-inf', now)
    redis.call('DECRBY', dayTokensKey, freed)
  end
end

-- The minute's charges, oldest expiry first, each with its id and expiry.
local function minuteCharges(minuteKey, chargesKey)
  local flat = redis.call('ZRANGE', minuteKey, 0, -1, 'WITHSCORES')
  local charges = {}
  for i = 1, #flat, 2 do
    local raw = redis.call('HGET', chargesKey, flat[i])
    if raw then
      local charge = cjson.decode(raw)
      charge.id = flat[i]
      charge.expiresAt = tonumber(flat[i + 1])
      charges[#charges + 1] = charge
    end
  end
  return charges
end

-- Other processes' charges, summed per second of expiry (rounded up), whether settled and, for
-- settled ones, the second they settled in (rounded up; 0 for a charge restored without it):
-- {expiresAt, requests, tokens, settled (0 or 1), kept, used, settledAt} each.
local function foreignMinute(charges, ownerPrefix)
  local buckets, order = {}, {}
  for _, charge in ipairs(charges) do
    if string.sub(charge.id, 1, #ownerPrefix) ~= ownerPrefix then
      local expiresAt = math.ceil(charge.expiresAt / 1000) * 1000
      local settled = charge.k ~= nil
      local settledAt = settled and math.ceil((charge.s or 0) / 1000) * 1000 or 0
      local key = expiresAt .. (settled and (':s' .. settledAt) or ':r')
      local bucket = buckets[key]
      if not bucket then
        bucket = { expiresAt, 0, 0, settled and 1 or 0, 0, 0, settledAt }
        buckets[key] = bucket
        order[#order + 1] = key
      end
      bucket[2] = bucket[2] + 1
      bucket[3] = bucket[3] + charge.m
      if settled then
        bucket[5] = bucket[5] + charge.k
        bucket[6] = bucket[6] + charge.u
      end
    end
  end
  local result = {}
  for _, key in ipairs(order) do result[#result + 1] = buckets[key] end
  return result
end

-- The expiry of the n-th oldest charge in a window (the last when n is past the end; now when empty).
local function expiryOfNth(charges, n, now)
  local charge = charges[math.min(n, #charges)]
  return charge and charge.expiresAt or now
end

local function keepFor(keys, milliseconds)
  for _, key in ipairs(keys) do redis.call('PEXPIRE', key, milliseconds) end
end
`;

/**
 * KEYS: minute, day, charges, dayTokens, probe.
 * ARGV: now, id, minuteTokens, dayTokens, minuteExpiresAt, dayExpiresAt, RPM, TPM, RPD, TPD,
 * probeIntervalMs (0: no probe), owner prefix.
 * Returns {"admitted" or "refused", limit, fitsAt, foreign minute}.
 */
export const reserveScript = `${windows}
local now = tonumber(ARGV[1])
prune(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[1])
local minute = minuteCharges(KEYS[1], KEYS[3])
local function refuse(limit, fitsAt)
  return { 'refused', limit, fitsAt, foreignMinute(minute, ARGV[12]) }
end
local rpm, tpm, rpd, tpd = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])

if #minute + 1 > rpm then return refuse('RPM', expiryOfNth(minute, #minute + 1 - rpm, now)) end

local wanted = tonumber(ARGV[3])
local minuteTokens = 0
for _, charge in ipairs(minute) do minuteTokens = minuteTokens + charge.m end
if minuteTokens + wanted > tpm then
  -- A probe of Groq's accounting may go past the minute's tokens: one per model across processes.
  local probeInterval = tonumber(ARGV[11])
  local probeTaken = false
  if probeInterval > 0 then
    local probeUntil = tonumber(redis.call('GET', KEYS[5]) or '0')
    if probeUntil <= now then
      redis.call('SET', KEYS[5], ARGV[1] + probeInterval, 'PX', probeInterval)
      probeTaken = true
    end
  end
  if not probeTaken then
    local remaining = minuteTokens
    local fitsAt = expiryOfNth(minute, #minute, now)
    for _, charge in ipairs(minute) do
      remaining = remaining - charge.m
      if remaining + wanted <= tpm then
        fitsAt = charge.expiresAt
        break
      end
    end
    return refuse('TPM', fitsAt)
  end
end

local dayCount = redis.call('ZCARD', KEYS[2])
if dayCount + 1 > rpd then
  local rank = math.min(dayCount + 1 - rpd, dayCount) - 1
  local entry = redis.call('ZRANGE', KEYS[2], rank, rank, 'WITHSCORES')
  return refuse('RPD', tonumber(entry[2] or now))
end

local wantedDay = tonumber(ARGV[4])
local dayTokens = tonumber(redis.call('GET', KEYS[4]) or '0')
if dayTokens + wantedDay > tpd then
  local flat = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
  local remaining = dayTokens
  local fitsAt = now
  for i = 1, #flat, 2 do
    local raw = redis.call('HGET', KEYS[3], flat[i])
    if raw then remaining = remaining - cjson.decode(raw).d end
    fitsAt = tonumber(flat[i + 1])
    if remaining + wantedDay <= tpd then break end
  end
  return refuse('TPD', fitsAt)
end

redis.call('ZADD', KEYS[1], ARGV[5], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[6], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[2], cjson.encode({ m = wanted, d = wantedDay }))
redis.call('INCRBY', KEYS[4], ARGV[4])
keepFor({ KEYS[1], KEYS[2], KEYS[3], KEYS[4] }, tonumber(ARGV[6]) - now + 60000)
return { 'admitted', '', 0, foreignMinute(minute, ARGV[12]) }
`;

/** KEYS: minute, day. ARGV: id, minuteExpiresAt, dayExpiresAt. A charge no longer booked stays gone. */
export const markSentScript = `
if redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
  redis.call('ZADD', KEYS[2], 'XX', ARGV[3], ARGV[1])
end
return 0
`;

/** KEYS: day, charges, dayTokens. ARGV: id, minuteTokens, dayTokens, kept, used, settledAt. */
export const settleScript = `
local raw = redis.call('HGET', KEYS[2], ARGV[1])
if not raw then return 0 end
local charge = cjson.decode(raw)
redis.call('INCRBY', KEYS[3], tonumber(ARGV[3]) - charge.d)
charge.m = tonumber(ARGV[2])
charge.d = tonumber(ARGV[3])
charge.k = tonumber(ARGV[4])
charge.u = tonumber(ARGV[5])
charge.s = tonumber(ARGV[6])
redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(charge))
return 1
`;

/** KEYS: minute, day, charges, dayTokens. ARGV: id. */
export const releaseScript = `
local raw = redis.call('HGET', KEYS[3], ARGV[1])
if raw then
  redis.call('DECRBY', KEYS[4], cjson.decode(raw).d)
  redis.call('HDEL', KEYS[3], ARGV[1])
end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 0
`;

/**
 * KEYS: minute, day, charges, dayTokens. ARGV: now, then eight per charge: id, minuteTokens,
 * dayTokens, minuteExpiresAt, dayExpiresAt, kept ("" while running), used, settledAt.
 */
export const restoreScript = `${windows}
local now = tonumber(ARGV[1])
prune(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[1])
local latest = now
for i = 2, #ARGV, 8 do
  local dayExpiresAt = tonumber(ARGV[i + 4])
  if dayExpiresAt > now then
    local id = ARGV[i]
    local raw = redis.call('HGET', KEYS[3], id)
    local before = raw and cjson.decode(raw).d or 0
    local charge = { m = tonumber(ARGV[i + 1]), d = tonumber(ARGV[i + 2]) }
    if ARGV[i + 5] ~= '' then
      charge.k = tonumber(ARGV[i + 5])
      charge.u = tonumber(ARGV[i + 6])
      charge.s = tonumber(ARGV[i + 7])
    end
    redis.call('HSET', KEYS[3], id, cjson.encode(charge))
    redis.call('INCRBY', KEYS[4], charge.d - before)
    redis.call('ZADD', KEYS[1], ARGV[i + 3], id)
    redis.call('ZADD', KEYS[2], ARGV[i + 4], id)
    latest = math.max(latest, dayExpiresAt)
  end
end
keepFor({ KEYS[1], KEYS[2], KEYS[3], KEYS[4] }, latest - now + 60000)
return 0
`;

/**
 * KEYS: seven per model (minute, day, charges, dayTokens, cooldown, gone, headers), then the
 * answers stream, the accounting key and the presence set. ARGV: now, owner prefix, process id,
 * presence window (ms), the last answer this process read ("" at its first look), most answers to read.
 * Returns {per model {foreign minute, cooldown, gone, headers}, accounting, processes, others'
 * answers {role, model, tokens}, last answer id}; this process counts as present (on the
 * server's clock, so processes' clocks need not agree).
 */
export const readScript = `${windows}
local now = tonumber(ARGV[1])
local modelCount = (#KEYS - 3) / 7
local models = {}
for m = 0, modelCount - 1 do
  local base = m * 7
  prune(KEYS[base + 1], KEYS[base + 2], KEYS[base + 3], KEYS[base + 4], ARGV[1])
  local charges = minuteCharges(KEYS[base + 1], KEYS[base + 3])
  models[#models + 1] = {
    foreignMinute(charges, ARGV[2]),
    redis.call('GET', KEYS[base + 5]) or '',
    redis.call('GET', KEYS[base + 6]) or '',
    redis.call('GET', KEYS[base + 7]) or '',
  }
end
local time = redis.call('TIME')
local serverNow = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local presence = KEYS[#KEYS]
redis.call('ZADD', presence, serverNow, ARGV[3])
redis.call('ZREMRANGEBYSCORE', presence, '-inf', serverNow - tonumber(ARGV[4]))

local entries
if ARGV[5] == '' then
  entries = redis.call('XRANGE', KEYS[#KEYS - 2], '-', '+', 'COUNT', ARGV[6])
else
  entries = redis.call('XRANGE', KEYS[#KEYS - 2], '(' .. ARGV[5], '+', 'COUNT', ARGV[6])
end
local answers = {}
local lastId = ARGV[5]
for _, entry in ipairs(entries) do
  lastId = entry[1]
  local fields = {}
  for i = 1, #entry[2], 2 do fields[entry[2][i]] = entry[2][i + 1] end
  if fields.owner ~= ARGV[3] then answers[#answers + 1] = { fields.role, fields.model, fields.tokens } end
end
return { models, redis.call('GET', KEYS[#KEYS - 1]) or '', redis.call('ZCARD', presence), answers, lastId }
`;

/** KEYS: answers stream. ARGV: most kept, owner, role, model, completion tokens. */
export const publishAnswerScript = `
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'owner', ARGV[2], 'role', ARGV[3], 'model', ARGV[4], 'tokens', ARGV[5])
redis.call('PEXPIRE', KEYS[1], 86400000)
return 0
`;

/** KEYS: cooldown. ARGV: endsAt, value (JSON with endsAt and reason), milliseconds to keep. The later cooldown wins. */
export const publishCooldownScript = `
local raw = redis.call('GET', KEYS[1])
if raw and cjson.decode(raw).endsAt >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`;

/** KEYS: headers. ARGV: at, value (JSON with at and snapshot), milliseconds to keep. The newer reading wins. */
export const publishHeadersScript = `
local raw = redis.call('GET', KEYS[1])
if raw and cjson.decode(raw).at >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`;

/** KEYS: presence. ARGV: process id, presence window (ms). A sign of life, on the server's clock. */
export const heartbeatScript = `
local time = redis.call('TIME')
local serverNow = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZADD', KEYS[1], serverNow, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', serverNow - tonumber(ARGV[2]))
return redis.call('ZCARD', KEYS[1])
`;
