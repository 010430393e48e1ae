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
function candidates.learn_local_rule(task, radius, keep_unseen)
  local rule = {}
  for _, pair in ipairs(task.train) do
    local input, output = pair.input, pair.output
    if input.rows ~= output.rows or input.cols ~= output.cols then
      return nil
    end
    for r = 1, input.rows do
      for c = 1, input.cols do
        local key, v = neighbourhood(input, r, c, radius), output:get(r, c)
        if rule[key] == nil then
          rule[key] = v
        elseif rule[key] ~= v then
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
  local loose = candidates.learn_local_rule(task, 1, true)
  if loose then
    add(list, "local rule (radius 1, unseen cells kept)", loose)
  end
  return list
end

return candidates
