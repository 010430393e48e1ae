-- lib/programs.lua: the generic battery of candidate programs, evaluated in batches by the
-- Rust engine (on a Vulkan device or all CPU cores) through task:score_programs.
--
-- A program is 1-7 steps of the engine's ops, written as text ("rot90 | tile(2x2)"); see
-- batt.ops() and docs/engine.md for the op list. Parameters that name colours are taken from
-- the task's own train pairs (colours that appear in outputs, learned colour maps), so the
-- battery adapts to each task without growing too large.

local candidates = require("candidates")

local programs = {}

local SYMMETRIES = { "rot90", "rot180", "rot270", "flip_updown", "flip_leftright", "transpose", "antitranspose" }
local CROPS = { "crop_content", "crop_largest", "crop_smallest" }
local OBJECT_CROPS = {
  "crop_object(largest)", "crop_object(smallest)", "crop_object(largest_box)",
  "crop_object(smallest_box)", "crop_object(most_colors)", "crop_object(fewest_colors)",
}

local PICK_PARTS = { "objects", "objects8", "components", "colors", "cut" }
local ISOLATE_PARTS = { "objects", "colors" }
local PICK_CRITERIA = {
  "largest", "smallest", "largest_box", "smallest_box", "most_colors", "fewest_colors",
  "top", "bottom", "left", "right", "most_holes", "fewest_holes", "unique_color",
}

--- Colours present in any train output, and in any train input.
local function palettes(task)
  local outs, ins = {}, {}
  for _, pair in ipairs(task.train) do
    for _, c in ipairs(pair.output:palette()) do outs[c] = true end
    for _, c in ipairs(pair.input:palette()) do ins[c] = true end
  end
  local function list(set)
    local l = {}
    for c = 0, 9 do
      if set[c] then l[#l + 1] = c end
    end
    return l
  end
  return list(outs), list(ins)
end

--- The learned colour map as a permute(...) step, or nil.
local function learned_permutation(task)
  local map = candidates.learn_color_map(task)
  if not map then
    return nil
  end
  local digits = {}
  local changes = false
  for c = 0, 9 do
    local to = map[c] or c
    changes = changes or to ~= c
    digits[#digits + 1] = tostring(to)
  end
  return changes and ("permute(" .. table.concat(digits) .. ")") or nil
end

--- {rows, cols} when every train output has that size, else nil.
local function constant_output_size(task)
  local rows, cols
  for _, pair in ipairs(task.train) do
    local r, c = pair.output.rows, pair.output.cols
    if rows and (r ~= rows or c ~= cols) then return nil end
    rows, cols = r, c
  end
  return rows and { rows, cols } or nil
end

--- Whether every train output has its input's size.
local function same_size_as_input(task)
  for _, pair in ipairs(task.train) do
    if pair.output.rows ~= pair.input.rows or pair.output.cols ~= pair.input.cols then return false end
  end
  return true
end

--- An empty list of program texts and the function that appends to it, skipping repeats.
local function new_list()
  local list, seen = {}, {}
  return list, function(text)
    if not seen[text] then
      seen[text] = true
      list[#list + 1] = text
    end
  end
end

--- Every single step worth trying on `task`, as text, simplest first: the alphabet of the
--- search (task:search composes them) and the first part of the fixed battery.
--- `options.extended` adds crop_object, pick over rows, columns and frames' insides,
--- split(framed), symmetrize(all) and drop_blank;
--- `options.lines = false` leaves out border, connect, smear (8 directions), keep_color and
--- interior; `options.output_size = false` leaves out to_output_size (each pair's own
--- output size, when the sizes vary); `options.lists = false` leaves out split, the joins
--- (compose, compose_growing, stack) and the filters (keep_best, drop_best).
function programs.steps(task, options)
  local list, add = new_list()
  local out_colours, in_colours = palettes(task)

  add("identity")
  for _, s in ipairs(SYMMETRIES) do add(s) end
  for _, c in ipairs(CROPS) do add(c) end
  for _, s in ipairs({ "keep_largest", "dedupe", "denoise", "unpad" }) do add(s) end
  for _, h in ipairs({ "top", "bottom", "left", "right" }) do add("half(" .. h .. ")") end
  for k = 2, 4 do
    add("upscale(" .. k .. ")")
    add("downscale(" .. k .. ")")
  end
  for a = 1, 3 do
    for b = 1, 3 do
      if a * b > 1 then
        add(("tile(%dx%d)"):format(a, b))
        add(("tile_mirrored(%dx%d)"):format(a, b))
      end
    end
  end
  for _, d in ipairs({ "up", "down", "left", "right" }) do add("gravity(" .. d .. ")") end
  for _, m in ipairs({ "horizontal", "vertical", "both" }) do add("symmetrize(" .. m .. ")") end
  for _, c in ipairs(out_colours) do
    add("fill_enclosed(" .. c .. ")")
    add("outline(" .. c .. ")")
    add("paint(" .. c .. ")")
    add("fill_box(" .. c .. ")")
    add("frame(" .. c .. ")")
    add("pad(" .. c .. ")")
    for _, split in ipairs({ "side", "stacked" }) do
      for _, logic in ipairs({ "and", "or", "xor", "nor" }) do
        add(("split_combine(%s,%s,%d)"):format(split, logic, c))
      end
    end
  end
  for _, a in ipairs(in_colours) do
    for _, b in ipairs(out_colours) do
      if a ~= b then add(("recolor(%d->%d)"):format(a, b)) end
    end
    add("erase(" .. a .. ")")
  end
  for _, parts in ipairs(PICK_PARTS) do
    for _, criterion in ipairs(PICK_CRITERIA) do add(("pick(%s,%s)"):format(parts, criterion)) end
  end
  for _, parts in ipairs(ISOLATE_PARTS) do
    for _, criterion in ipairs(PICK_CRITERIA) do add(("isolate(%s,%s)"):format(parts, criterion)) end
  end
  for dr = -1, 1 do
    for dc = -1, 1 do
      if dr ~= 0 or dc ~= 0 then add(("shift(%d,%d)"):format(dr, dc)) end
    end
  end
  -- a piece repeated over the output's canvas in step with where it was cut from
  add("repeat_around(plain)")
  add("repeat_around(mirrored)")
  add("spread(all)")
  add("spread(skip_majority)")
  add("majority_color")
  for _, what in ipairs({ "cells", "colors", "objects" }) do
    for _, shape in ipairs({ "row", "column", "square" }) do add(("count(%s,%s)"):format(what, shape)) end
  end
  local permutation = learned_permutation(task)
  if permutation then
    add(permutation)
  end
  -- when every train output has one size, the ops that make that size
  local size = constant_output_size(task)
  if size then
    for _, op in ipairs({ "repeat_to", "mirror_to", "embed", "resize_to", "wrap_to" }) do
      add(("%s(%dx%d)"):format(op, size[1], size[2]))
    end
  elseif not (options and options.output_size == false) and not same_size_as_input(task) then
    -- output sizes that differ from pair to pair: the same ops at each pair's own size
    -- (a test input's predicted from the train pairs' sizes)
    for _, fit in ipairs({ "embed", "resize", "repeat", "mirror", "wrap" }) do
      add("to_output_size(" .. fit .. ")")
    end
  end
  -- lines and regions drawn from the cells: with the free finishing paint (overlays take
  -- each piece painted in each colour the outputs share) they make icecuber's
  -- "smear, recolour, lay under the input" layers
  if not (options and options.lines == false) then
    add("border")
    for _, a in ipairs({ "horizontal", "vertical", "both" }) do add("connect(" .. a .. ")") end
    for _, d in ipairs({ "up", "down", "left", "right", "up_left", "up_right", "down_left", "down_right" }) do
      add("smear(" .. d .. ")")
    end
    for _, c in ipairs(in_colours) do add("keep_color(" .. c .. ")") end
    for _, c in ipairs(out_colours) do add("interior(" .. c .. ")") end
  end
  -- lists: a grid split into its parts (each element then goes through every other step),
  -- filtered by pick's criteria, joined again (laid in place, largest first, or side by
  -- side); a search scores a list as compose lays it back out
  if not (options and options.lists == false) then
    for _, parts in ipairs({ "objects", "objects8", "components", "colors", "cut" }) do add("split(" .. parts .. ")") end
    add("compose")
    add("compose_growing")
    for _, order in ipairs({ "line", "across", "down" }) do add("stack(" .. order .. ")") end
    for _, criterion in ipairs(PICK_CRITERIA) do
      add("keep_best(" .. criterion .. ")")
      add("drop_best(" .. criterion .. ")")
    end
    -- the lists' own criteria: closed loops kept or dropped
    for _, criterion in ipairs({ "most_enclosed", "fewest_enclosed" }) do
      add("keep_best(" .. criterion .. ")")
      add("drop_best(" .. criterion .. ")")
    end
  end
  if options and options.extended then
    -- ops that measured little gain for their cost at depth 2: opt-in
    for _, c in ipairs(OBJECT_CROPS) do add(c) end
    for _, parts in ipairs({ "rows", "columns", "framed" }) do
      for _, criterion in ipairs(PICK_CRITERIA) do add(("pick(%s,%s)"):format(parts, criterion)) end
    end
    add("split(framed)")
    add("symmetrize(all)")
    add("drop_blank")
  end
  return list
end

--- A fixed battery for `task`: every single step, then chosen two-step compositions.
function programs.for_task(task)
  local list, add = new_list()
  for _, step in ipairs(programs.steps(task)) do add(step) end
  for _, parts in ipairs(PICK_PARTS) do
    for _, criterion in ipairs(PICK_CRITERIA) do add(("pick(%s,%s)"):format(parts, criterion)) end
  end
  local permutation = learned_permutation(task)
  if permutation then
    for _, s in ipairs(SYMMETRIES) do add(s .. " | " .. permutation) end
  end

  -- two steps: crops and object picks followed by a symmetry or a scaling, symmetries
  -- followed by tiling
  for _, c in ipairs(CROPS) do
    for _, s in ipairs(SYMMETRIES) do add(c .. " | " .. s) end
    for k = 2, 3 do add(c .. " | upscale(" .. k .. ")") end
    add(c .. " | dedupe")
  end
  for _, s in ipairs(SYMMETRIES) do
    add("dedupe | " .. s)
    for _, t in ipairs({ "tile(1x2)", "tile(2x1)", "tile(2x2)" }) do add(s .. " | " .. t) end
  end
  for k = 2, 3 do
    add("downscale(" .. k .. ") | crop_content")
    add("crop_content | downscale(" .. k .. ")")
  end
  return list
end

return programs
