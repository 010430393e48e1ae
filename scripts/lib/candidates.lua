-- lib/candidates.lua: the generic candidate transforms every task is tried with.
--
-- A candidate is {name = "...", fn = function(input, task) -> grid or nil}. Plain
-- transforms come from the DSL (symmetries, crops, halves, scaling, tiling, gravity,
-- objects); a few are learned from the task's train pairs (a colour mapping, a constant
-- output). Order matters: on equal scores the earlier candidate wins, so simpler ones
-- come first.

local dsl = batt.dsl
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

local function object_crop(pick, options)
  return function(g)
    local objs = dsl.objects(g, options)
    if #objs == 0 then
      return nil
    end
    return dsl.subgrid(g, pick(objs))
  end
end

--- The plain transforms, same for every task.
function candidates.plain()
  local list = {}
  for _, name in ipairs(dsl.symmetries()) do
    add(list, name, dsl[name])
  end
  add(list, "crop_to_content", dsl.crop_to_content)
  add(list, "compress", dsl.compress)
  add(list, "trim", dsl.trim)
  for _, half in ipairs({ "tophalf", "bottomhalf", "lefthalf", "righthalf" }) do
    add(list, half, dsl[half])
  end
  for k = 2, 4 do
    add(list, "upscale " .. k, function(g) return dsl.upscale(g, k) end)
  end
  for k = 2, 3 do
    add(list, "downscale " .. k, function(g) return dsl.downscale(g, k) end)
  end
  for _, t in ipairs({ { 1, 2 }, { 2, 1 }, { 2, 2 }, { 3, 3 }, { 1, 3 }, { 3, 1 } }) do
    add(list, ("tile %dx%d"):format(t[1], t[2]), function(g) return dsl.tile(g, t[1], t[2]) end)
  end
  add(list, "mirror right", function(g) return dsl.hconcat(g, dsl.flip_leftright(g)) end)
  add(list, "mirror left", function(g) return dsl.hconcat(dsl.flip_leftright(g), g) end)
  add(list, "mirror down", function(g) return dsl.vconcat(g, dsl.flip_updown(g)) end)
  add(list, "mirror up", function(g) return dsl.vconcat(dsl.flip_updown(g), g) end)
  add(list, "mirror 2x2", function(g)
    local top = dsl.hconcat(g, dsl.flip_leftright(g))
    return dsl.vconcat(top, dsl.flip_updown(top))
  end)
  for _, dir in ipairs({ "down", "up", "left", "right" }) do
    add(list, "gravity " .. dir, function(g) return dsl.gravity(g, dir) end)
  end
  add(list, "largest object", object_crop(dsl.largest))
  add(list, "smallest object", object_crop(dsl.smallest))
  add(list, "largest multicolour object", object_crop(dsl.largest, { univalued = false, diagonal = true }))
  add(list, "smallest multicolour object", object_crop(dsl.smallest, { univalued = false, diagonal = true }))
  return list
end

--- Candidates learned from this task's train pairs.
function candidates.learned(task)
  local list = {}
  local map = candidates.learn_color_map(task)
  if map then
    add(list, "learned colour map", function(g) return candidates.apply_color_map(g, map) end)
  end
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

--- Every candidate for `task`: learned ones first, then the plain transforms.
function candidates.for_task(task)
  local list = candidates.learned(task)
  for _, c in ipairs(candidates.plain()) do
    list[#list + 1] = c
  end
  return list
end

return candidates
