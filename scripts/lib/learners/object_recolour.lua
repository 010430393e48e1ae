-- lib/learners/object_recolour.lua: "every object is recoloured by a property of it" (size, size rank, shape...), and the properties tried.
-- Part of lib/candidates.lua's battery (candidates.learned, candidates.loose).

local common = require("learners.common")
local agree = common.agree
local same_shapes = common.same_shapes

local M = {}

--- Learns "every object is recoloured by a property of it" from train pairs of equal
--- shapes: `property(obj, objs)` gives a key (its size, its size rank...), and each key
--- must always give one output colour. Returns the transform, or nil when the pairs
--- disagree. Applying it fails (nil) on a key never seen in training.
function M.learn_object_recolour(task, property)
  if not same_shapes(task) then
    return nil
  end
  local map = {}
  for _, pair in ipairs(task.train) do
    local input, output = pair.input, pair.output
    local objs = batt.dsl.objects(input)
    if #objs == 0 then
      return nil
    end
    for _, obj in ipairs(objs) do
      local colour
      for _, cell in ipairs(obj:cells()) do
        local v = output:get(cell[1], cell[2])
        if colour == nil then
          colour = v
        elseif colour ~= v then
          return nil
        end
      end
      if not agree(map, property(obj, objs), colour) then
        return nil
      end
    end
    -- everything outside the objects must stay as it was
    local painted = input:copy()
    for _, obj in ipairs(objs) do
      painted = batt.dsl.fill(painted, map[property(obj, objs)], obj)
    end
    if painted ~= output then
      return nil
    end
  end
  return function(grid)
    local objs = batt.dsl.objects(grid)
    local out = grid
    for _, obj in ipairs(objs) do
      local colour = map[property(obj, objs)]
      if colour == nil then
        return nil
      end
      out = batt.dsl.fill(out, colour, obj)
    end
    return out
  end
end

--- Object properties that recolouring rules depend on, in the order they are tried (a
--- list, not a table keyed by name: the order must not depend on Lua's hashing).
M.object_properties = {
  { "size", function(obj) return obj.size end },
  { "size rank", function(obj, objs)
    local rank = 1
    for _, other in ipairs(objs) do
      if other.size > obj.size then rank = rank + 1 end
    end
    return rank
  end },
  { "largest or not", function(obj, objs)
    for _, other in ipairs(objs) do
      if other.size > obj.size then return false end
    end
    return true
  end },
  { "shape", function(obj) return tostring(obj:normalize():grid(0)) end },
}

return M
