-- lib/candidates.lua: candidates written as Lua functions, learned from a task's train
-- pairs by the learners in lib/learners/ (one a file: a colour mapping, a local 3x3 rule,
-- objects recoloured by a property, per-cell rules, objects cut out by a learned selector,
-- patterns repaired, blocks, parts cut by separator lines and overlaid), gathered here in
-- the order the task loop tries them: `learned` (exact on the train pairs when they fit)
-- and `loose` (rules that may guess on a test input).
--
-- A candidate is {name = "...", fn = function(input, task) -> grid or nil}, scored with
-- task:score; a per-cell rule's also says how many cases it learned (`cases`, which the
-- ranking in lib/predict.lua weighs). The generic battery of engine programs lives in lib/programs.lua.

local common = require("learners.common")
local add, append = common.add, common.append

--- Every learner's functions, as candidates.<name> (learn_color_map, cell_rules, ...).
local candidates = {}
for _, learner in ipairs({ "colour_map", "local_rule", "object_recolour", "cell_rules", "object_crops", "completion", "blocks", "part_overlay" }) do
  for name, value in pairs(require("learners." .. learner)) do
    candidates[name] = value
  end
end

--- Candidates learned from this task's train pairs.
function candidates.learned(task)
  local list = {}
  local first = task.train[1].output
  local constant = true
  for _, pair in ipairs(task.train) do
    if pair.output ~= first then
      constant = false
    end
  end
  if constant then
    add(list, "constant output", function() return first end)
  end
  local rule = candidates.learn_local_rule(task, 1)
  if rule then
    add(list, "local rule (radius 1)", rule)
  end
  for _, entry in ipairs(candidates.object_properties) do
    local name, property = entry[1], entry[2]
    local recolour = candidates.learn_object_recolour(task, property)
    if recolour then
      add(list, "recolour objects by " .. name, recolour)
    end
  end
  append(list, candidates.learn_part_overlay(task))
  append(list, candidates.learn_blocks(task))
  append(list, candidates.learn_completion(task))
  append(list, candidates.learn_object_crops(task))
  return list
end

--- Rules that fit the train pairs but may have to guess on a test input (cells of cases
--- never seen in training stay as they are): often memorised, so tried last, and marked
--- `guesses` (their output differs from their strict twin's only where the twin met a case
--- it never saw and gave none, so lib/predict.lua ranks them with the inexact candidates).
function candidates.loose(task)
  local list = {}
  local loose = candidates.learn_local_rule(task, 1, true)
  if loose then
    add(list, "local rule (radius 1, unseen cells kept)", loose)
  end
  append(list, candidates.cell_rules(task, 2, true))
  for _, candidate in ipairs(list) do
    candidate.guesses = true
  end
  return list
end

--- The function of the library candidate named `name` on `task` (learned, cell_rules,
--- normalised_cell_rules and loose, in the task loop's order; the first of that name), as
--- function(input, task) -> grid or nil. A solver exported by `batt show ID --export lua`
--- re-derives what it cannot write out with it; learning is deterministic, so the same
--- task gives the same candidate. An error names the task when none has that name.
function candidates.named(task, name)
  for _, gather in ipairs({ candidates.learned, candidates.cell_rules, candidates.normalised_cell_rules, candidates.loose }) do
    for _, candidate in ipairs(gather(task)) do
      if candidate.name == name then
        return candidate.fn
      end
    end
  end
  error(("lib/candidates.lua learns no candidate named %q on task %s"):format(name, task.id), 2)
end

return candidates
