-- examples/search_bench.lua: the search's throughput on real tasks' alphabets (the shipped
-- lib/programs.lua alphabet of every selected task), on the GPU and on the CPU in turn:
--
--   batt run examples/search_bench.lua --split eval -q --backend gpu -- depth=3 rounds=2
--
-- Each round runs batt.search_all once per backend (the engine's search cache is skipped:
-- keep differs per round) and prints candidates/s, where a candidate is a (state, step)
-- pair evaluated on all of its task's train inputs, and step applications/s. cpu=0 times
-- the GPU only, gpu=0 the CPU only. drop=pick,count leaves the steps of those ops out of every alphabet (to see
-- what given ops cost).
package.path = batt.script_dir .. "/../scripts/lib/?.lua;" .. package.path
local programs = require("programs")

local settings = { depth = 3, rounds = 2, keep = 40, states = 3000, cpu = 1, gpu = 1 }
local dropped = {}
for _, arg in ipairs(batt.args) do
  local list = arg:match("^drop=([%w_,]+)$")
  local key, value = arg:match("^(%w+)=(%d+)$")
  if list then
    for name in list:gmatch("[%w_]+") do dropped[name] = true end
  elseif key and settings[key] then
    settings[key] = tonumber(value)
  else
    error("unknown argument " .. arg .. " (depth=N, rounds=N, keep=N, states=N, cpu=0|1, gpu=0|1, drop=OP,OP)")
  end
end

local function alphabet(task)
  local kept = {}
  for _, step in ipairs(programs.steps(task)) do
    if not dropped[step:match("^[%w_]+")] then kept[#kept + 1] = step end
  end
  return kept
end

-- one set of timings, printed once
batt.single_worker()
for round = 1, settings.rounds do
  local backends = {}
  if settings.gpu == 1 then backends[#backends + 1] = "gpu" end
  if settings.cpu == 1 then backends[#backends + 1] = "cpu" end
  for _, backend in ipairs(backends) do
    local s = batt.search_all{
      ops = alphabet, depth = settings.depth, keep = settings.keep + round * 2 + (backend == "gpu" and 0 or 1),
      max_states = settings.states, backend = backend,
    }
    print(("round %d %s depth %d: %d tasks, %d candidates, %d step applications in %.3f s: %.1f M candidates/s, %.1f M applications/s"):format(
      round, backend, settings.depth, s.tasks, s.candidates, s.evaluated, s.seconds, s.candidates / s.seconds / 1e6, s.evaluated / s.seconds / 1e6))
  end
end
