-- lib/learners/colour_map.lua: a cell-wise colour mapping learned from pairs of equal shapes, and applying one.
-- Part of lib/candidates.lua's battery (candidates.learned, candidates.loose).

local common = require("learners.common")
local agree = common.agree
local same_shapes = common.same_shapes

local M = {}

--- Learns a cell-wise colour mapping from train pairs whose input and output have the same
--- shape; nil if the pairs disagree or change shape.
function M.learn_color_map(task)
  if not same_shapes(task) then
    return nil
  end
  local map = {}
  for _, pair in ipairs(task.train) do
    for r = 1, pair.input.rows do
      for c = 1, pair.input.cols do
        if not agree(map, pair.input:get(r, c), pair.output:get(r, c)) then
          return nil
        end
      end
    end
  end
  return map
end

--- Applies a colour mapping; colours it does not mention stay.
function M.apply_color_map(grid, map)
  local out = grid:copy()
  for r = 1, grid.rows do
    for c = 1, grid.cols do
      local v = map[grid:get(r, c)]
      if v then
        out:set(r, c, v)
      end
    end
  end
  return out
end

return M
