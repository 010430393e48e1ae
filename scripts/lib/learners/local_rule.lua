-- lib/learners/local_rule.lua: "each output cell is a function of the input cells around it" (a 3x3 neighbourhood table).
-- Part of lib/candidates.lua's battery (candidates.learned, candidates.loose).

local common = require("learners.common")
local agree = common.agree
local same_shapes = common.same_shapes

local M = {}

--- The colours around cell (r, c) as a string key: the cell itself and its 8 neighbours
--- (radius 1), "x" outside the grid.
local function neighbourhood(g, r, c, radius)
  local parts = {}
  for dr = -radius, radius do
    for dc = -radius, radius do
      local rr, cc = r + dr, c + dc
      if rr >= 1 and cc >= 1 and rr <= g.rows and cc <= g.cols then
        parts[#parts + 1] = g:get(rr, cc)
      else
        parts[#parts + 1] = "x"
      end
    end
  end
  return table.concat(parts)
end

--- Learns "each output cell is a function of the input cells around it" from train pairs
--- of equal shapes: a table from neighbourhood to colour, or nil when the pairs disagree
--- or change shape. Applying it fails (nil) on a neighbourhood never seen in training,
--- or with `keep_unseen` leaves such cells as they are.
function M.learn_local_rule(task, radius, keep_unseen)
  if not same_shapes(task) then
    return nil
  end
  local rule = {}
  for _, pair in ipairs(task.train) do
    for r = 1, pair.input.rows do
      for c = 1, pair.input.cols do
        if not agree(rule, neighbourhood(pair.input, r, c, radius), pair.output:get(r, c)) then
          return nil
        end
      end
    end
  end
  return function(grid)
    local out = grid:copy()
    for r = 1, grid.rows do
      for c = 1, grid.cols do
        local v = rule[neighbourhood(grid, r, c, radius)]
        if v == nil and not keep_unseen then
          return nil
        end
        out:set(r, c, v or grid:get(r, c))
      end
    end
    return out
  end
end

return M
