-- lib/learners/cell_rules.lua: per-cell rules (batt.dsl.learn_cell_rules) on the input, on the input brought to the output's shape (shape_makers), and on colour-normalised pairs.
-- Part of lib/candidates.lua's battery (candidates.learned, candidates.loose).

local common = require("learners.common")
local add = common.add
local agree = common.agree
local same_shapes = common.same_shapes

local M = {}

--- Per-cell rules (Rust: batt.dsl.learn_cell_rules): "a cell's output colour is a function
--- of 1 to 3 of its features" (colour, neighbours, rays, enclosure, object size, mirror
--- images...), consistent on every train pair and covering every test input (with
--- `keep_unseen`, also rules that leave cells of cases never seen unchanged), fewest cases
--- first.
function M.cell_rules(task, count, keep_unseen)
  local list = {}
  for _, entry in ipairs(M.shape_makers(task)) do
    local prefix, make = entry[1], entry[2]
    local pairs_, tests, complete = {}, {}, true
    for i, pair in ipairs(task.train) do
      pairs_[i] = { input = make(pair.input), output = pair.output }
      complete = complete and pairs_[i].input ~= nil
    end
    for i, case in ipairs(task.test) do
      tests[i] = make(case.input)
      complete = complete and tests[i] ~= nil
    end
    if complete then
      local rules = batt.dsl.learn_cell_rules(pairs_, tests, { max_features = 3, max_rules = count or 4, keep_unseen = keep_unseen or false })
      for _, rule in ipairs(rules) do
        add(list, prefix .. rule.name, function(grid)
          local made = make(grid)
          return made and rule.apply(made)
        end, rule.cases)
      end
    end
    if #list > 0 then
      break
    end
  end
  return list
end

--- Per-cell rules learned on colour-normalised pairs (every grid's colours renamed by
--- how common they are in its input: batt.dsl.colour_ranks), so "paint the rarest colour over the background"
--- transfers across pairs that use different colours.
function M.normalised_cell_rules(task, count)
  if not same_shapes(task) then
    return {}
  end
  local dsl = batt.dsl
  local pairs_, tests = {}, {}
  for i, pair in ipairs(task.train) do
    local forward = dsl.colour_ranks(pair.input)
    pairs_[i] = { input = dsl.permute(pair.input, forward), output = dsl.permute(pair.output, forward) }
  end
  for i, case in ipairs(task.test) do
    tests[i] = dsl.permute(case.input, (dsl.colour_ranks(case.input)))
  end
  local list = {}
  for _, rule in ipairs(dsl.learn_cell_rules(pairs_, tests, { max_features = 3, max_rules = count or 2 })) do
    add(list, "colours ranked, then " .. rule.name, function(grid)
      local forward, back = dsl.colour_ranks(grid)
      local out = rule.apply(dsl.permute(grid, forward))
      return out and dsl.permute(out, back)
    end, rule.cases)
  end
  return list
end

--- Steps that turn every train input into a grid of its output's shape, for the cell rules
--- to work on: none when shapes already agree, else a tiling or an upscaling by the
--- pairs' common ratio. A list of {name prefix, function(grid) -> grid}.
function M.shape_makers(task)
  if same_shapes(task) then
    return { { "", function(g) return g end } }
  end
  local a, b
  for _, pair in ipairs(task.train) do
    local i, o = pair.input, pair.output
    if o.rows % i.rows ~= 0 or o.cols % i.cols ~= 0 then return {} end
    local pa, pb = o.rows // i.rows, o.cols // i.cols
    if a and (a ~= pa or b ~= pb) then return {} end
    a, b = pa, pb
  end
  local function safe(f)
    return function(g)
      local ok, out = pcall(f, g)
      return ok and out or nil
    end
  end
  return {
    { "tile(" .. a .. "," .. b .. ") then ", safe(function(g) return batt.dsl.tile(g, a, b) end) },
    { "upscale(" .. a .. "," .. b .. ") then ", safe(function(g) return batt.dsl.upscale(g, a, b) end) },
  }
end

return M
