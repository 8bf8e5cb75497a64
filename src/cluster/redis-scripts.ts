/*
 * The Lua scripts of the Redis bus. A script runs atomically in Redis, so a broadcast
 * reaches every inbox or none, and a join is announced and registered in one step (a
 * process that registers at the same time either gets the announcement in its inbox or
 * finds the peer in its snapshot). Every script takes the key prefix (`gdnet:{name}:`)
 * and this process's id first. Keys: `procs` (process → heartbeat stamp), `revs`
 * (process → presence revision), `peers:<process>` (id → entry), `id:<id>` (the process
 * holding or leasing it), `inbox:<process>` (a stream of messages in field `m`).
 */

/** Renews (or re-takes, after a restart) leases of ARGV[4..]; sets `lost` to the ids another process holds. */
const RENEW = `
local function renew(p, me, ttl, first)
  local lost = {}
  for i = first, #ARGV do
    local k = p .. 'id:' .. ARGV[i]
    local owner = redis.call('GET', k)
    if owner == false then redis.call('SET', k, me, 'PX', ttl)
    elseif owner == me then redis.call('PEXPIRE', k, ttl)
    else lost[#lost + 1] = ARGV[i] end
  end
  return lost
end
`;

/**
 * ARGV: prefix, me, toAll, message, inbox ttl, op ("", "set", "del"), id, entry, rev,
 * targets…. Applies the presence change, appends the message to each target's inbox (and
 * every registered process's with toAll), never to this process's. Returns [target,
 * length, …].
 */
const WRITE = `
local p, me = ARGV[1], ARGV[2]
local op, id = ARGV[6], ARGV[7]
if op == 'set' then
  redis.call('HSET', p .. 'peers:' .. me, id, ARGV[8])
  redis.call('SET', p .. 'id:' .. id, me)
  redis.call('HSET', p .. 'revs', me, ARGV[9])
elseif op == 'del' then
  redis.call('HDEL', p .. 'peers:' .. me, id)
  if redis.call('GET', p .. 'id:' .. id) == me then redis.call('DEL', p .. 'id:' .. id) end
  redis.call('HSET', p .. 'revs', me, ARGV[9])
end
local seen, out = {}, {}
local function put(t)
  if t == me or seen[t] then return end
  seen[t] = true
  local k = p .. 'inbox:' .. t
  redis.call('XADD', k, '*', 'm', ARGV[4])
  redis.call('PEXPIRE', k, ARGV[5])
  out[#out + 1] = t
  out[#out + 1] = redis.call('XLEN', k)
end
for i = 10, #ARGV do put(ARGV[i]) end
if ARGV[3] == '1' then
  for _, t in ipairs(redis.call('HKEYS', p .. 'procs')) do put(t) end
end
return out
`;

/** ARGV: prefix, me, lease ttl, leased ids…. Returns [lost ids, procs, revs]. */
const HEARTBEAT = `${RENEW}
local p, me = ARGV[1], ARGV[2]
redis.call('HINCRBY', p .. 'procs', me, 1)
if redis.call('HEXISTS', p .. 'revs', me) == 0 then redis.call('HSET', p .. 'revs', me, 0) end
local lost = renew(p, me, ARGV[3], 4)
return {lost, redis.call('HGETALL', p .. 'procs'), redis.call('HGETALL', p .. 'revs')}
`;

/**
 * ARGV: prefix, me, lease ttl, rev, n, n × (id, entry), leased ids…. Rewrites this
 * process's presence whole. Returns [lost ids, procs, revs, [process, stamp, rev,
 * peers] × every other process].
 */
const REGISTER = `${RENEW}
local p, me = ARGV[1], ARGV[2]
redis.call('HINCRBY', p .. 'procs', me, 1)
redis.call('HSET', p .. 'revs', me, ARGV[4])
redis.call('DEL', p .. 'peers:' .. me)
local at = 6
for i = 1, tonumber(ARGV[5]) do
  redis.call('HSET', p .. 'peers:' .. me, ARGV[at], ARGV[at + 1])
  redis.call('SET', p .. 'id:' .. ARGV[at], me)
  at = at + 2
end
local lost = renew(p, me, ARGV[3], at)
local procs = redis.call('HGETALL', p .. 'procs')
local others = {}
for i = 1, #procs, 2 do
  local q = procs[i]
  if q ~= me then
    others[#others + 1] = q
    others[#others + 1] = procs[i + 1]
    others[#others + 1] = redis.call('HGET', p .. 'revs', q) or '0'
    others[#others + 1] = redis.call('HGETALL', p .. 'peers:' .. q)
  end
end
return {lost, procs, redis.call('HGETALL', p .. 'revs'), others}
`;

/** ARGV: prefix, me, lease ttl, candidates…. Leases the free ones; returns them. */
const LEASE = `
local p, me, ttl = ARGV[1], ARGV[2], ARGV[3]
local granted = {}
for i = 4, #ARGV do
  if redis.call('SET', p .. 'id:' .. ARGV[i], me, 'NX', 'PX', ttl) then granted[#granted + 1] = ARGV[i] end
end
return granted
`;

/** ARGV: prefix, process. Returns [stamp or nil, rev, peers]. */
const FETCH = `
local p, q = ARGV[1], ARGV[2]
local stamp = redis.call('HGET', p .. 'procs', q)
if stamp == false then return {} end
return {stamp, redis.call('HGET', p .. 'revs', q) or '0', redis.call('HGETALL', p .. 'peers:' .. q)}
`;

/**
 * ARGV: prefix, process, stamp ("" for this process leaving). Removes a process's
 * presence, ids and inbox unless its stamp moved on (it was alive after all).
 */
const REAP = `
local p, q = ARGV[1], ARGV[2]
local stamp = redis.call('HGET', p .. 'procs', q)
if ARGV[3] ~= '' and stamp ~= false and stamp ~= ARGV[3] then return 0 end
for _, id in ipairs(redis.call('HKEYS', p .. 'peers:' .. q)) do
  if redis.call('GET', p .. 'id:' .. id) == q then redis.call('DEL', p .. 'id:' .. id) end
end
redis.call('DEL', p .. 'peers:' .. q, p .. 'inbox:' .. q)
redis.call('HDEL', p .. 'procs', q)
redis.call('HDEL', p .. 'revs', q)
return 1
`;

/** The scripts, by the command name ioredis defines for each. @internal */
export const REDIS_SCRIPTS = {
  gdnetWrite: WRITE,
  gdnetHeartbeat: HEARTBEAT,
  gdnetRegister: REGISTER,
  gdnetLease: LEASE,
  gdnetFetch: FETCH,
  gdnetReap: REAP,
} as const;
