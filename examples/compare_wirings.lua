-- examples/compare_wirings.lua: two solver wirings on the same tasks, side by side.
-- Wiring A tries only the 8 symmetries; wiring B the whole generic program battery of
-- scripts/lib/programs.lua. Each task line says which wiring solves it on its train pairs
-- and whether its best prediction is right; the last lines count them. Predictions (and
-- so submission.json) come from wiring B.
--
--   batt run examples/compare_wirings.lua -c 100
local programs = require("programs")
local predict = require("predict")

local wiring_a = { "identity", "rot90", "rot180", "rot270", "flip_updown", "flip_leftright", "transpose", "antitranspose" }

local totals = { a = 0, b = 0, both = 0 }
-- the totals count every task: one worker runs them all
batt.single_worker()
for task in batt.tasks() do
  local function best_of(list, tag)
    local scored = {}
    for _, s in ipairs(task:score_programs(list, tag)) do
      scored[#scored + 1] = { program = s.program, score = s }
    end
    predict.rank(scored)
    return scored
  end
  local a = best_of(wiring_a, "wiring A")
  local b = best_of(programs.for_task(task), "wiring B")
  local solved_a, solved_b = a[1].score.exact, b[1].score.exact
  totals.a = totals.a + (solved_a and 1 or 0)
  totals.b = totals.b + (solved_b and 1 or 0)
  totals.both = totals.both + ((solved_a and solved_b) and 1 or 0)
  task:log(("A %-5s (%s)   B %-5s (%s)"):format(tostring(solved_a), a[1].score.name, tostring(solved_b), b[1].score.name))
  predict.best_two(task, b)
end
batt.log(("train-solved: wiring A %d, wiring B %d, both %d, of %d tasks"):format(totals.a, totals.b, totals.both, batt.task_count()))
