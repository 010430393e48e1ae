-- lib/candidates.lua: candidates written as Lua functions, and helpers that learn from a
-- task's train pairs (a colour mapping, a constant output, a local 3x3 rule, objects
-- recoloured by a property).
--
-- A candidate is {name = "...", fn = function(input, task) -> grid or nil}, scored with
-- task:score. The generic battery of engine programs lives in lib/programs.lua.

local candidates = {}

local function add(list, name, fn)
  list[#list + 1] = { name = name, fn = fn }
end

--- Records key -> value in `map`; false when `map` already holds another value for key.
local function agree(map, key, value)
  local seen = map[key]
  if seen == nil then
    map[key] = value
    return true
  end
  return seen == value
end

--- Whether every train pair's output has its input's shape.
local function same_shapes(task)
  for _, pair in ipairs(task.train) do
    if pair.input.rows ~= pair.output.rows or pair.input.cols ~= pair.output.cols then
      return false
    end
  end
  return true
end

--- Learns a cell-wise colour mapping from train pairs whose input and output have the same
--- shape; nil if the pairs disagree or change shape.
function candidates.learn_color_map(task)
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

--- Learns "every object is recoloured by a property of it" from train pairs of equal
--- shapes: `property(obj, objs)` gives a key (its size, its size rank...), and each key
--- must always give one output colour. Returns the transform, or nil when the pairs
--- disagree. Applying it fails (nil) on a key never seen in training.
function candidates.learn_object_recolour(task, property)
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
candidates.object_properties = {
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
  local loose = candidates.learn_local_rule(task, 1, true)
  if loose then
    add(list, "local rule (radius 1, unseen cells kept)", loose)
  end
  return list
end

return candidates
