-- lib/candidates.lua: candidates written as Lua functions, and helpers that learn from a
-- task's train pairs (a colour mapping, a constant output).
--
-- A candidate is {name = "...", fn = function(input, task) -> grid or nil}, scored with
-- task:score. The generic battery of engine programs lives in lib/programs.lua.

local candidates = {}

local function add(list, name, fn)
  list[#list + 1] = { name = name, fn = fn }
end

--- Learns a cell-wise colour mapping from train pairs whose input and output have the same
--- shape; nil if the pairs disagree or change shape.
function candidates.learn_color_map(task)
  local map = {}
  for _, pair in ipairs(task.train) do
    local input, output = pair.input, pair.output
    if input.rows ~= output.rows or input.cols ~= output.cols then
      return nil
    end
    for r = 1, input.rows do
      for c = 1, input.cols do
        local a, b = input:get(r, c), output:get(r, c)
        if map[a] == nil then
          map[a] = b
        elseif map[a] ~= b then
          return nil
        end
      end
    end
  end
  return map
end

--- Applies a colour mapping; colours it does not mention stay.
function candidates.apply_color_map(grid, map)
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
  return list
end

return candidates
