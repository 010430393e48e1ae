-- lib/learners/completion.lua: "the cells of one colour hide a pattern": repaired from symmetries or from the grid's own 3x3 patches.
-- Part of lib/candidates.lua's battery (candidates.learned, candidates.loose).

local common = require("learners.common")
local add = common.add
local same_shapes = common.same_shapes

local M = {}

--- The bounding box (top, left, bottom, right) of the cells of colour `colour`, or nil.
local function colour_box(g, colour)
  local top, left, bottom, right
  for r = 1, g.rows do
    for c = 1, g.cols do
      if g:get(r, c) == colour then
        top = top or r
        bottom = r
        left = (left and math.min(left, c)) or c
        right = (right and math.max(right, c)) or c
      end
    end
  end
  if top then return top, left, bottom, right end
  return nil
end

--- The ways a hidden pattern is repaired: {name, repair(grid, noise) -> grid or nil}.
local REPAIRS = {
  { "symmetry", function(grid, noise) return batt.dsl.complete_symmetry(grid, noise) end },
  { "3x3 patches", function(grid, noise) return batt.dsl.complete_from_patches(grid, noise) end },
}

--- Learns "the cells of one colour hide a pattern": the output is the input repaired from
--- the symmetries the other cells obey (batt.dsl.complete_symmetry) or from its own 3x3
--- patches (batt.dsl.complete_from_patches), or the repaired part only (the box of the
--- hidden cells). Returns a list of {name, fn}.
function M.learn_completion(task)
  local list = {}
  local same = same_shapes(task)
  for _, method in ipairs(REPAIRS) do
    local how, repair = method[1], method[2]
    for noise = 0, 9 do
      local ok = true
      for _, pair in ipairs(task.train) do
        local top, left, bottom, right = colour_box(pair.input, noise)
        -- the hidden box must be the output's shape before anything is repaired
        ok = top ~= nil and (same or (bottom - top + 1 == pair.output.rows and right - left + 1 == pair.output.cols))
        local fixed = ok and repair(pair.input, noise)
        if not fixed then
          ok = false
        elseif same then
          ok = fixed == pair.output
        else
          ok = batt.dsl.crop(fixed, top, left, bottom - top + 1, right - left + 1) == pair.output
        end
        if not ok then break end
      end
      if ok then
        if same then
          add(list, "repair the pattern hidden by colour " .. noise .. " from its " .. how, function(grid)
            return repair(grid, noise)
          end)
        else
          add(list, "what colour " .. noise .. " hides in the pattern, from its " .. how, function(grid)
            local top, left, bottom, right = colour_box(grid, noise)
            local fixed = top and repair(grid, noise)
            if not fixed then return nil end
            return batt.dsl.crop(fixed, top, left, bottom - top + 1, right - left + 1)
          end)
        end
      end
    end
  end
  return list
end

return M
