-- lib/learners/object_crops.lua: "the output is the box of one object, picked by a learned rule": the segmentations and selectors tried.
-- Part of lib/candidates.lua's battery (candidates.learned, candidates.loose).

local common = require("learners.common")
local add = common.add
local same_shapes = common.same_shapes
local block_transforms = common.block_transforms

local M = {}

--- How objects are cut out of a grid, in the order tried: one colour or several, 4- or
--- 8-connected (background never part of an object).
M.segmentations = {
  { "one-colour objects", { univalued = true, diagonal = false } },
  { "one-colour objects (diagonal)", { univalued = true, diagonal = true } },
  { "multicolour objects", { univalued = false, diagonal = true } },
  { "multicolour objects (4-connected)", { univalued = false, diagonal = false } },
}

local function shape_key(obj)
  return tostring(obj:normalize():grid(0))
end

--- Counts how often each key occurs among objs.
local function tally(objs, key)
  local counts = {}
  for _, obj in ipairs(objs) do
    local k = key(obj)
    counts[k] = (counts[k] or 0) + 1
  end
  return counts
end

--- The only object for which `test` holds, or nil.
local function only(objs, test)
  local found
  for _, obj in ipairs(objs) do
    if test(obj) then
      if found then return nil end
      found = obj
    end
  end
  return found
end

--- The one object whose key is unique among objs, or nil.
local function unique_by(objs, key)
  local counts = tally(objs, key)
  return only(objs, function(obj) return counts[key(obj)] == 1 end)
end

--- The one object with the largest `value` (nil on a tie).
local function argmax(objs, value)
  local best, best_value, tie
  for _, obj in ipairs(objs) do
    local v = value(obj)
    if best == nil or v > best_value then
      best, best_value, tie = obj, v, false
    elseif v == best_value then
      tie = true
    end
  end
  if tie then return nil end
  return best
end

local function area(obj) return obj.height * obj.width end
local function colours(obj) return #obj:palette() end
local function top(obj) local t = obj:bbox() return t end
local function left(obj) local _, l = obj:bbox() return l end

local function mirror_symmetric(obj)
  local g = obj:normalize():grid(0)
  return g == g:flip_leftright()
end

local function any_symmetric(obj)
  local g = obj:normalize():grid(0)
  return g == g:flip_leftright() or g == g:flip_updown()
end

--- Rules that pick one object of a grid, in the order tried (a list: the order must not
--- depend on Lua's hashing).
M.object_selectors = {
  { "largest", function(objs) return argmax(objs, function(o) return o.size end) end },
  { "smallest", function(objs) return argmax(objs, function(o) return -o.size end) end },
  { "largest box", function(objs) return argmax(objs, area) end },
  { "smallest box", function(objs) return argmax(objs, function(o) return -area(o) end) end },
  { "most colours", function(objs) return argmax(objs, colours) end },
  { "fewest colours", function(objs) return argmax(objs, function(o) return -colours(o) end) end },
  { "unique shape", function(objs) return unique_by(objs, shape_key) end },
  { "unique colour", function(objs) return unique_by(objs, function(o) return o.color end) end },
  { "unique size", function(objs) return unique_by(objs, function(o) return o.size end) end },
  { "unique colour set", function(objs) return unique_by(objs, function(o) return table.concat(o:palette(), ",") end) end },
  { "densest", function(objs) return argmax(objs, function(o) return o.size / area(o) end) end },
  { "sparsest", function(objs) return argmax(objs, function(o) return -o.size / area(o) end) end },
  { "only left-right symmetric", function(objs) return only(objs, mirror_symmetric) end },
  { "only symmetric", function(objs) return only(objs, any_symmetric) end },
  { "only asymmetric", function(objs) return only(objs, function(o) return not any_symmetric(o) end) end },
  { "most repeated", function(objs)
    -- the shape that occurs most often (copies of it are alike: the first is taken)
    local counts = tally(objs, shape_key)
    local best, best_key, tie
    for _, obj in ipairs(objs) do
      local k = shape_key(obj)
      if best == nil or counts[k] > counts[best_key] then
        best, best_key, tie = obj, k, false
      elseif counts[k] == counts[best_key] and k ~= best_key then
        tie = true
      end
    end
    if tie or counts[best_key] < 2 then return nil end
    return best
  end },
  { "top-most", function(objs) return argmax(objs, function(o) return -top(o) end) end },
  { "bottom-most", function(objs) return argmax(objs, function(o) local _, _, b = o:bbox() return b end) end },
  { "left-most", function(objs) return argmax(objs, function(o) return -left(o) end) end },
  { "right-most", function(objs) local f = function(o) local _, _, _, r = o:bbox() return r end return argmax(objs, f) end },
}

--- Learns "the output is the box of one object of the input, picked by a rule" (the
--- largest, the one with a unique shape...), from train pairs whose outputs are smaller
--- than their inputs. Returns a list of {name, fn}, at most `count`.
function M.learn_object_crops(task, count)
  for _, pair in ipairs(task.train) do
    if pair.output.rows > pair.input.rows or pair.output.cols > pair.input.cols or same_shapes(task) then
      return {}
    end
  end
  -- what is cut out: the object's box (with whatever else lies in it), or the object alone
  local cuts = {
    { "box", function(grid, obj) return batt.dsl.subgrid(grid, obj) end },
    { "cells", function(grid, obj) return obj:normalize():grid(batt.dsl.mostcolor(grid)) end },
  }
  local found = {}
  for _, seg in ipairs(M.segmentations) do
    local seg_name, options = seg[1], seg[2]
    local per_pair = {}
    for i, pair in ipairs(task.train) do
      per_pair[i] = batt.dsl.objects(pair.input, options)
    end
    for _, sel in ipairs(M.object_selectors) do
      local sel_name, select = sel[1], sel[2]
      local picked, all_picked = {}, true
      for i in ipairs(task.train) do
        local objs = per_pair[i]
        picked[i] = #objs > 0 and select(objs) or nil
        if not picked[i] then
          all_picked = false
          break
        end
      end
      for _, cut in ipairs(all_picked and cuts or {}) do
        local cut_name, cut_out = cut[1], cut[2]
        for _, symmetry in ipairs(block_transforms) do
          local ok = true
          for i, pair in ipairs(task.train) do
            local piece = batt.dsl.symmetry(cut_out(pair.input, picked[i]), symmetry)
            if piece ~= pair.output then
              ok = false
              break
            end
          end
          if ok then
            local name = "crop the " .. sel_name .. " of the " .. seg_name
            if cut_name == "cells" then name = name .. " (its cells only)" end
            if symmetry ~= "identity" then name = name .. ", " .. symmetry end
            add(found, name, function(grid)
              local objs = batt.dsl.objects(grid, options)
              local obj = #objs > 0 and select(objs) or nil
              return obj and batt.dsl.symmetry(cut_out(grid, obj), symmetry) or nil
            end)
            if #found >= (count or 4) then
              return found
            end
          end
        end
      end
    end
  end
  return found
end

return M
