/**
 * One commit of replicated state, atomically in Redis. KEYS are the
 * records' hashes (fields `v`, the version, and `d`, the JSON data);
 * ARGV[1] is 1 to check versions, ARGV[2] the records' time to live in ms
 * (0: none), then per key its expected version and its data ('' deletes).
 * Returns {1, versions} when applied, or {0, {index, version, data}...}
 * listing the records whose version is not the one expected, with nothing
 * written.
 */
export const COMMIT_SCRIPT = `
local check = ARGV[1] == '1'
local ttl = tonumber(ARGV[2])
if check then
  local conflicts = {}
  for i, key in ipairs(KEYS) do
    local current = tonumber(redis.call('HGET', key, 'v') or '0')
    if current ~= tonumber(ARGV[1 + 2 * i]) then
      conflicts[#conflicts + 1] = i
      conflicts[#conflicts + 1] = current
      conflicts[#conflicts + 1] = redis.call('HGET', key, 'd') or ''
    end
  end
  if #conflicts > 0 then return {0, conflicts} end
end
local versions = {}
for i, key in ipairs(KEYS) do
  local data = ARGV[2 + 2 * i]
  if data == '' then
    redis.call('DEL', key)
    versions[i] = 0
  else
    versions[i] = redis.call('HINCRBY', key, 'v', 1)
    redis.call('HSET', key, 'd', data)
    if ttl > 0 then redis.call('PEXPIRE', key, ttl) end
  end
end
return {1, versions}
`;
