-- lib/products.lua: outer products. A train output that is a grid of equal-sized blocks,
-- each blank (all 0) or filled, is factored into a layout grid A (one cell per block) and a
-- block grid B; programs that make A and B from the input are searched (batt.enumerate,
-- the test inputs riding along), and each output rebuilt from them. The idea is icecuber's
-- (deduce_op.cpp in GitHub top-quarks/ARC-solution); the code is batt's own.
--
-- Two ways a product fills its blocks:
--   copies:  block (i, j) is B where A(i, j) is non-zero, blank elsewhere;
--   painted: block (i, j) is B's shape (its non-zero cells) in A(i, j)'s colour.
-- The block size is the input's size in every pair, or one size every output divides into.
-- A factor may also be the same grid in every pair (a constant), found without a program.

local products = {}

--- How many block sizes (after the input's) are tried, at most, per task.
products.MAX_FIXED_SIZES = 6

--- The block at block row `i`, block column `j` (0-based) of `t` (rows of colours), as
--- rows of colours, and whether it is blank (all 0).
local function block_of(t, i, j, h, w)
  local block, blank = {}, true
  for r = 1, h do
    local row = {}
    for c = 1, w do
      local v = t[i * h + r][j * w + c]
      row[c] = v
      if v ~= 0 then blank = false end
    end
    block[r] = row
  end
  return block, blank
end

local function same_rows(a, b)
  for r = 1, #a do
    for c = 1, #a[r] do
      if a[r][c] ~= b[r][c] then return false end
    end
  end
  return true
end

--- The one colour of a block's non-zero cells and its shape (1 where non-zero), or nil
--- when it has several colours.
local function one_colour_shape(block)
  local colour, shape = nil, {}
  for r = 1, #block do
    shape[r] = {}
    for c = 1, #block[r] do
      local v = block[r][c]
      if v ~= 0 then
        if colour and colour ~= v then return nil end
        colour = v
      end
      shape[r][c] = v ~= 0 and 1 or 0
    end
  end
  return colour, shape
end

--- Factors `output` (a Grid) into blocks of h x w as `kind` ("copies" or "painted"):
--- the layout A and the block B as grids, or nil when it is not such a product (fewer than
--- two blocks, a one-cell block, no filled block, or filled blocks that differ).
function products.factor(output, h, w, kind)
  local rows, cols = output.rows, output.cols
  if h < 1 or w < 1 or rows % h ~= 0 or cols % w ~= 0 or h * w < 2 then return nil end
  local bh, bw = rows // h, cols // w
  if bh * bw < 2 then return nil end
  local t = output:totable()
  local layout, block = {}, nil
  for i = 0, bh - 1 do
    layout[i + 1] = {}
    for j = 0, bw - 1 do
      local b, blank = block_of(t, i, j, h, w)
      local cell = 0
      if not blank then
        if kind == "copies" then
          if block and not same_rows(block, b) then return nil end
          block, cell = b, 1
        else
          local colour, shape = one_colour_shape(b)
          if not colour or (block and not same_rows(block, shape)) then return nil end
          block, cell = shape, colour
        end
      end
      layout[i + 1][j + 1] = cell
    end
  end
  if not block then return nil end
  return batt.grid(layout), batt.grid(block)
end

--- Rebuilds a product from its layout `a` and block `b` (Grids): nil when it would be
--- larger than 30x30.
function products.rebuild(a, b, kind)
  local h, w = b.rows, b.cols
  if a.rows * h > 30 or a.cols * w > 30 then return nil end
  local at, bt = a:totable(), b:totable()
  local out = {}
  for i = 1, a.rows do
    for r = 1, h do
      local row = {}
      for j = 1, a.cols do
        local layout = at[i][j]
        for c = 1, w do
          local v = 0
          if kind == "copies" then
            if layout ~= 0 then v = bt[r][c] end
          elseif bt[r][c] ~= 0 then
            v = layout
          end
          row[(j - 1) * w + c] = v
        end
      end
      out[(i - 1) * h + r] = row
    end
  end
  return batt.grid(out)
end

--- The block sizes to try: {name, size(pair or test input) -> h, w}. The input's size
--- first, then sizes every train output divides into (smaller blocks first).
local function block_sizes(task)
  local sizes = { { name = "blocks of the input's size", size = function(input) return input.rows, input.cols end } }
  local first = task.train[1].output
  local fixed = {}
  for h = 1, first.rows do
    for w = 1, first.cols do
      local fits = h * w >= 2 and (h < first.rows or w < first.cols)
      for _, pair in ipairs(task.train) do
        if not fits then break end
        fits = pair.output.rows % h == 0 and pair.output.cols % w == 0
      end
      if fits then fixed[#fixed + 1] = { h, w } end
    end
  end
  table.sort(fixed, function(x, y)
    if x[1] * x[2] ~= y[1] * y[2] then return x[1] * x[2] < y[1] * y[2] end
    return x[1] < y[1]
  end)
  for k = 1, math.min(#fixed, products.MAX_FIXED_SIZES) do
    local h, w = fixed[k][1], fixed[k][2]
    sizes[#sizes + 1] = { name = ("blocks of %dx%d"):format(h, w), size = function() return h, w end }
  end
  return sizes
end

--- A way to make one factor from each input: a searched program, or a constant grid.
--- Returns {name, make(input) -> grid or nil} or nil when neither fits every train pair
--- (a program must also give an output on every test input).
local function factor_maker(task, targets, ops, depth)
  local inputs, tests = {}, {}
  for k, pair in ipairs(task.train) do inputs[k] = pair.input end
  for k, case in ipairs(task.test) do tests[k] = case.input end
  local found = batt.enumerate{ inputs = inputs, outputs = targets, tests = tests, ops = ops, depth = depth, keep = 5, pieces = 0 }
  for _, f in ipairs(found) do
    if f.exact and f.program and #f.test_outputs == #tests then
      local program = f.program
      return {
        name = f.name,
        make = function(input)
          local out = batt.eval({ program }, { input }, nil, { outputs = true, tag = "product" })[1][1]
          return out.produced and out.output or nil
        end,
      }
    end
  end
  for k = 2, #targets do
    if targets[k] ~= targets[1] then return nil end
  end
  local constant = targets[1]
  return { name = "constant " .. constant.rows .. "x" .. constant.cols, make = function() return constant end }
end

--- Outer-product candidates for `task`: at most one per kind, each {name, fn} like
--- lib/candidates.lua's. `ops(task)` gives the search alphabet for the factors, searched
--- to `depth` steps (default 2).
function products.outer(task, ops, depth)
  local list = {}
  local alphabet = nil
  for _, kind in ipairs({ "copies", "painted" }) do
    for _, sizing in ipairs(block_sizes(task)) do
      local layouts, blocks = {}, {}
      for k, pair in ipairs(task.train) do
        local h, w = sizing.size(pair.input)
        layouts[k], blocks[k] = products.factor(pair.output, h, w, kind)
        if not layouts[k] then
          layouts = nil
          break
        end
      end
      if layouts then
        alphabet = alphabet or ops(task)
        local a = factor_maker(task, layouts, alphabet, depth or 2)
        local b = a and factor_maker(task, blocks, alphabet, depth or 2)
        if a and b then
          list[#list + 1] = {
            name = ("outer product (%s, %s): layout %s, block %s"):format(kind, sizing.name, a.name, b.name),
            fn = function(input)
              local layout, block = a.make(input), b.make(input)
              return layout and block and products.rebuild(layout, block, kind) or nil
            end,
          }
          break
        end
      end
    end
  end
  return list
end

return products
