-- lib/learners/blocks.lua: "the output is a grid of blocks the input's size": fixed symmetries of the input, or blocks where input cells are coloured.
-- Part of lib/candidates.lua's battery (candidates.learned, candidates.loose).

local common = require("learners.common")
local add = common.add
local block_transforms = common.block_transforms

local M = {}

--- Learns "the output is a grid of blocks the input's size, each a fixed symmetry of the
--- input or empty" or "block (i, j) is the input where input cell (i, j) is coloured,
--- empty elsewhere" (and its inverse), from train pairs whose outputs are whole multiples
--- of their inputs. Returns a list of {name, fn}.
function M.learn_blocks(task)
  local a, b
  for _, pair in ipairs(task.train) do
    local i, o = pair.input, pair.output
    if o.rows % i.rows ~= 0 or o.cols % i.cols ~= 0 then return {} end
    local pa, pb = o.rows // i.rows, o.cols // i.cols
    if (a and (a ~= pa or b ~= pb)) or pa * pb == 1 or pa > 30 or pb > 30 then return {} end
    a, b = pa, pb
  end
  local list = {}
  local function block(g, bi, bj, h, w)
    return batt.dsl.crop(g, (bi - 1) * h + 1, (bj - 1) * w + 1, h, w)
  end
  local function blank(g, colour)
    return batt.dsl.canvas(colour, g.rows, g.cols)
  end
  -- rows[bi][bj] are grids of one size: glued into one grid
  local function glue(rows)
    local out
    for _, row in ipairs(rows) do
      local line = row[1]
      for j = 2, #row do
        line = batt.dsl.hconcat(line, row[j])
      end
      out = out and batt.dsl.vconcat(out, line) or line
    end
    return out
  end

  -- a fixed symmetry (or an empty block) per block position
  local choice = {}
  local ok = true
  for bi = 1, a do
    for bj = 1, b do
      local found
      for _, name in ipairs(block_transforms) do
        local fits = true
        for _, pair in ipairs(task.train) do
          local i = pair.input
          local want = block(pair.output, bi, bj, i.rows, i.cols)
          if batt.dsl.symmetry(i, name) ~= want then fits = false break end
        end
        if fits then found = name break end
      end
      if not found then
        local fits = true
        for _, pair in ipairs(task.train) do
          local i = pair.input
          if block(pair.output, bi, bj, i.rows, i.cols) ~= blank(i, 0) then fits = false break end
        end
        if fits then found = "empty" end
      end
      if not found then ok = false break end
      choice[#choice + 1] = found
    end
    if not ok then break end
  end
  if ok then
    add(list, "blocks " .. a .. "x" .. b .. ": " .. table.concat(choice, ", "), function(g)
      local rows = {}
      for bi = 1, a do
        local row = {}
        for bj = 1, b do
          local name = choice[(bi - 1) * b + bj]
          row[bj] = name == "empty" and blank(g, 0) or batt.dsl.symmetry(g, name)
        end
        rows[bi] = row
      end
      return glue(rows)
    end)
  end

  -- the input placed where its own cells are coloured (or where they are background)
  local function self_similar(g, inverse)
    if g.rows * g.rows > 30 or g.cols * g.cols > 30 then return nil end
    local bg = batt.dsl.mostcolor(g)
    local empty = blank(g, bg)
    local rows = {}
    for r = 1, g.rows do
      rows[r] = {}
      for c = 1, g.cols do
        rows[r][c] = ((g:get(r, c) ~= bg) ~= inverse) and g or empty
      end
    end
    return glue(rows)
  end
  for _, inverse in ipairs({ false, true }) do
    local fits = true
    for _, pair in ipairs(task.train) do
      if self_similar(pair.input, inverse) ~= pair.output then fits = false break end
    end
    if fits then
      add(list, inverse and "the input where it is background" or "the input where it is coloured", function(g)
        return self_similar(g, inverse)
      end)
    end
  end
  return list
end

return M
