-- lib/programs.lua: the generic battery of candidate programs, evaluated in batches by the
-- Rust engine (on a Vulkan device or all CPU cores) through task:score_programs.
--
-- A program is 1-7 steps of the engine's ops, written as text ("rot90 | tile(2x2)"); see
-- batt.ops() and docs/engine.md for the op list. The single steps are the task's search
-- alphabet (task:alphabet: the op table's rules, with colours and sizes taken from the
-- task's own train pairs) and the colour map its pairs teach, so the battery adapts to
-- each task without growing too large.

local candidates = require("candidates")

local programs = {}

-- the steps the fixed battery composes into two-step programs: the symmetries other than
-- the identity (the op table's symmetry family) and the three plain crops
local SYMMETRIES = {}
for _, op in ipairs(batt.ops()) do
  if op.family == "symmetry" and op.name ~= "identity" then SYMMETRIES[#SYMMETRIES + 1] = op.name end
end
local CROPS = { "crop_content", "crop_largest", "crop_smallest" }

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
--- search (task:search composes them) and the first part of the fixed battery. The op
--- table says which steps each op gives a task (task:alphabet; `batt ops` and
--- docs/engine.md); this adds the colour map the task's train pairs teach (a permute step).
--- `options` as task:alphabet takes them: `extended = true` adds crop_object, pick over
--- rows, columns and frames' insides, split(framed), symmetrize(all) and drop_blank;
--- `lines = false` leaves out border, connect, smear, keep_color and interior;
--- `output_size = false` leaves out to_output_size; `lists = false` leaves out split, the
--- joins (compose, compose_growing, stack) and the filters (keep_best, drop_best).
function programs.steps(task, options)
  local with_map = { colour_map = candidates.learn_color_map(task) }
  for key, value in pairs(options or {}) do
    with_map[key] = value
  end
  return task:alphabet(with_map)
end

--- A fixed battery for `task`: every single step, then chosen two-step compositions.
function programs.for_task(task)
  local list, add = new_list()
  for _, step in ipairs(programs.steps(task)) do add(step) end
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
