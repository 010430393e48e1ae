-- lib/candidates.lua: candidates written as Lua functions, and helpers that learn them
-- from a task's train pairs: a colour mapping, a constant output, a local 3x3 rule, objects
-- recoloured by a property, tilings of input symmetries, patterns repaired from their
-- symmetries or their own 3x3 patches, objects cut out by a learned selector, parts cut
-- by separator lines and overlaid, and per-cell rules (learned in Rust,
-- batt.dsl.learn_cell_rules).
--
-- A candidate is {name = "...", fn = function(input, task) -> grid or nil}, scored with
-- task:score; a per-cell rule's also says how many cases it learned (`cases`, which the
-- ranking in lib/predict.lua weighs). The generic battery of engine programs lives in lib/programs.lua.

local candidates = {}

local function add(list, name, fn, cases)
  list[#list + 1] = { name = name, fn = fn, cases = cases }
end

--- Appends every candidate of `more` to `list`.
local function append(list, more)
  for _, candidate in ipairs(more) do
    list[#list + 1] = candidate
  end
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

--- Per-cell rules (Rust: batt.dsl.learn_cell_rules): "a cell's output colour is a function
--- of 1 to 3 of its features" (colour, neighbours, rays, enclosure, object size, mirror
--- images...), consistent on every train pair and covering every test input (with
--- `keep_unseen`, also rules that leave cells of cases never seen unchanged), fewest cases
--- first.
function candidates.cell_rules(task, count, keep_unseen)
  local list = {}
  for _, entry in ipairs(candidates.shape_makers(task)) do
    local prefix, make = entry[1], entry[2]
    local pairs_, tests, complete = {}, {}, true
    for i, pair in ipairs(task.train) do
      pairs_[i] = { input = make(pair.input), output = pair.output }
      complete = complete and pairs_[i].input ~= nil
    end
    for i, case in ipairs(task.test) do
      tests[i] = make(case.input)
      complete = complete and tests[i] ~= nil
    end
    if complete then
      local rules = batt.dsl.learn_cell_rules(pairs_, tests, { max_features = 3, max_rules = count or 4, keep_unseen = keep_unseen or false })
      for _, rule in ipairs(rules) do
        add(list, prefix .. rule.name, function(grid)
          local made = make(grid)
          return made and rule.apply(made)
        end, rule.cases)
      end
    end
    if #list > 0 then
      break
    end
  end
  return list
end

--- The colour permutation that renames a grid's colours by how common they are (the most
--- common becomes 0, the next 1, ...; colours it lacks follow in ascending order), and its
--- inverse.
local function rank_colours(g)
  local counts = {}
  for c = 0, 9 do counts[c] = 0 end
  for r = 1, g.rows do
    for c = 1, g.cols do
      local v = g:get(r, c)
      counts[v] = counts[v] + 1
    end
  end
  local order = {}
  for c = 0, 9 do order[#order + 1] = c end
  table.sort(order, function(a, b)
    if (counts[a] > 0) ~= (counts[b] > 0) then return counts[a] > 0 end
    if counts[a] ~= counts[b] then return counts[a] > counts[b] end
    return a < b
  end)
  local forward, back = {}, {}
  for rank, colour in ipairs(order) do
    forward[colour] = rank - 1
    back[rank - 1] = colour
  end
  return forward, back
end

--- Per-cell rules learned on colour-normalised pairs (every grid's colours renamed by
--- how common they are in its input), so "paint the rarest colour over the background"
--- transfers across pairs that use different colours.
function candidates.normalised_cell_rules(task, count)
  if not same_shapes(task) then
    return {}
  end
  local pairs_, tests = {}, {}
  for i, pair in ipairs(task.train) do
    local forward = rank_colours(pair.input)
    pairs_[i] = { input = candidates.apply_color_map(pair.input, forward), output = candidates.apply_color_map(pair.output, forward) }
  end
  for i, case in ipairs(task.test) do
    tests[i] = candidates.apply_color_map(case.input, (rank_colours(case.input)))
  end
  local list = {}
  for _, rule in ipairs(batt.dsl.learn_cell_rules(pairs_, tests, { max_features = 3, max_rules = count or 2 })) do
    add(list, "colours ranked, then " .. rule.name, function(grid)
      local forward, back = rank_colours(grid)
      local out = rule.apply(candidates.apply_color_map(grid, forward))
      return out and candidates.apply_color_map(out, back)
    end, rule.cases)
  end
  return list
end

--- Steps that turn every train input into a grid of its output's shape, for the cell rules
--- to work on: none when shapes already agree, else a tiling or an upscaling by the
--- pairs' common ratio. A list of {name prefix, function(grid) -> grid}.
function candidates.shape_makers(task)
  if same_shapes(task) then
    return { { "", function(g) return g end } }
  end
  local a, b
  for _, pair in ipairs(task.train) do
    local i, o = pair.input, pair.output
    if o.rows % i.rows ~= 0 or o.cols % i.cols ~= 0 then return {} end
    local pa, pb = o.rows // i.rows, o.cols // i.cols
    if a and (a ~= pa or b ~= pb) then return {} end
    a, b = pa, pb
  end
  local function safe(f)
    return function(g)
      local ok, out = pcall(f, g)
      return ok and out or nil
    end
  end
  return {
    { "tile(" .. a .. "," .. b .. ") then ", safe(function(g) return batt.dsl.tile(g, a, b) end) },
    { "upscale(" .. a .. "," .. b .. ") then ", safe(function(g) return batt.dsl.upscale(g, a, b) end) },
  }
end

--- The symmetries tried on a cut-out object or a block of a tiled output, in order.
local block_transforms = { "identity", "flip_leftright", "flip_updown", "rot180", "transpose", "antitranspose", "rot90", "rot270" }

--- How objects are cut out of a grid, in the order tried: one colour or several, 4- or
--- 8-connected (background never part of an object).
candidates.segmentations = {
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
candidates.object_selectors = {
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
function candidates.learn_object_crops(task, count)
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
  for _, seg in ipairs(candidates.segmentations) do
    local seg_name, options = seg[1], seg[2]
    local per_pair = {}
    for i, pair in ipairs(task.train) do
      per_pair[i] = batt.dsl.objects(pair.input, options)
    end
    for _, sel in ipairs(candidates.object_selectors) do
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

--- The bounding box (top, left, bottom, right) of the cells of colour `colour`, or nil.
local function colour_box(g, colour)
  local top, left, bottom, right
  for r = 1, g.rows do
    for c = 1, g.cols do
      if g:get(r, c) == colour then
        top = top or r
        bottom = r
        left = (left and math.min(left, c)) or c
        right = (right and math.max(right, c)) or c
      end
    end
  end
  if top then return top, left, bottom, right end
  return nil
end

--- The ways a hidden pattern is repaired: {name, repair(grid, noise) -> grid or nil}.
local REPAIRS = {
  { "symmetry", function(grid, noise) return batt.dsl.complete_symmetry(grid, noise) end },
  { "3x3 patches", function(grid, noise) return batt.dsl.complete_from_patches(grid, noise) end },
}

--- Learns "the cells of one colour hide a pattern": the output is the input repaired from
--- the symmetries the other cells obey (batt.dsl.complete_symmetry) or from its own 3x3
--- patches (batt.dsl.complete_from_patches), or the repaired part only (the box of the
--- hidden cells). Returns a list of {name, fn}.
function candidates.learn_completion(task)
  local list = {}
  local same = same_shapes(task)
  for _, method in ipairs(REPAIRS) do
    local how, repair = method[1], method[2]
    for noise = 0, 9 do
      local ok = true
      for _, pair in ipairs(task.train) do
        local top, left, bottom, right = colour_box(pair.input, noise)
        -- the hidden box must be the output's shape before anything is repaired
        ok = top ~= nil and (same or (bottom - top + 1 == pair.output.rows and right - left + 1 == pair.output.cols))
        local fixed = ok and repair(pair.input, noise)
        if not fixed then
          ok = false
        elseif same then
          ok = fixed == pair.output
        else
          ok = batt.dsl.crop(fixed, top, left, bottom - top + 1, right - left + 1) == pair.output
        end
        if not ok then break end
      end
      if ok then
        if same then
          add(list, "repair the pattern hidden by colour " .. noise .. " from its " .. how, function(grid)
            return repair(grid, noise)
          end)
        else
          add(list, "what colour " .. noise .. " hides in the pattern, from its " .. how, function(grid)
            local top, left, bottom, right = colour_box(grid, noise)
            local fixed = top and repair(grid, noise)
            if not fixed then return nil end
            return batt.dsl.crop(fixed, top, left, bottom - top + 1, right - left + 1)
          end)
        end
      end
    end
  end
  return list
end


--- Learns "the output is a grid of blocks the input's size, each a fixed symmetry of the
--- input or empty" or "block (i, j) is the input where input cell (i, j) is coloured,
--- empty elsewhere" (and its inverse), from train pairs whose outputs are whole multiples
--- of their inputs. Returns a list of {name, fn}.
function candidates.learn_blocks(task)
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

--- The parts of a grid cut by separator lines (whole rows and columns of one colour that
--- is not the background), left to right, top to bottom, when they all have one shape;
--- nil otherwise.
function candidates.split_by_lines(g)
  local bg = batt.dsl.mostcolor(g)
  local function uniform(get, n)
    local first = get(1)
    for i = 2, n do
      if get(i) ~= first then return nil end
    end
    return first
  end
  -- whole rows and columns of one non-background colour, by colour
  local lines = {}
  for r = 1, g.rows do
    local u = uniform(function(c) return g:get(r, c) end, g.cols)
    if u and u ~= bg then
      lines[u] = lines[u] or { rows = {}, cols = {}, n = 0 }
      lines[u].rows[r] = true
      lines[u].n = lines[u].n + 1
    end
  end
  for c = 1, g.cols do
    local u = uniform(function(r) return g:get(r, c) end, g.rows)
    if u and u ~= bg then
      lines[u] = lines[u] or { rows = {}, cols = {}, n = 0 }
      lines[u].cols[c] = true
      lines[u].n = lines[u].n + 1
    end
  end
  local function spans(n, is_line)
    local out, start = {}, nil
    for i = 1, n + 1 do
      if i <= n and not is_line[i] then
        start = start or i
      elseif start then
        out[#out + 1] = { start, i - start }
        start = nil
      end
    end
    return out
  end
  local function cut(found)
    local rs, cs = spans(g.rows, found.rows), spans(g.cols, found.cols)
    if #rs * #cs < 2 or #rs * #cs > 4 then return nil end
    local parts = {}
    for _, rspan in ipairs(rs) do
      for _, cspan in ipairs(cs) do
        if rspan[2] ~= rs[1][2] or cspan[2] ~= cs[1][2] then return nil end
        parts[#parts + 1] = batt.dsl.crop(g, rspan[1], cspan[1], rspan[2], cspan[2])
      end
    end
    return parts
  end
  -- the colour with the most such lines that cuts the grid into equal parts
  local colours = {}
  for c = 0, 9 do if lines[c] then colours[#colours + 1] = c end end
  table.sort(colours, function(a, b)
    if lines[a].n ~= lines[b].n then return lines[a].n > lines[b].n end
    return a < b
  end)
  for _, c in ipairs(colours) do
    local parts = cut(lines[c])
    if parts then return parts, bg end
  end
  return nil
end

--- Every order of the numbers 1..n (n <= 4), in lexicographic order.
local function orders(n)
  local out = {}
  local function extend(prefix, used)
    if #prefix == n then
      out[#out + 1] = { table.unpack(prefix) }
      return
    end
    for i = 1, n do
      if not used[i] then
        used[i] = true
        prefix[#prefix + 1] = i
        extend(prefix, used)
        prefix[#prefix] = nil
        used[i] = false
      end
    end
  end
  extend({}, {})
  return out
end

--- Learns "the output is the parts of the input (cut by separator lines) laid over one
--- another, each cell taking the first non-background colour in a learned order of parts".
function candidates.learn_part_overlay(task)
  local count
  for _, pair in ipairs(task.train) do
    local parts = candidates.split_by_lines(pair.input)
    if not parts or (count and #parts ~= count) then return {} end
    if parts[1].rows ~= pair.output.rows or parts[1].cols ~= pair.output.cols then return {} end
    count = #parts
  end
  local function overlay(g, order)
    local parts, bg = candidates.split_by_lines(g)
    if not parts or #parts ~= #order then return nil end
    local out = parts[1]:copy()
    for r = 1, out.rows do
      for c = 1, out.cols do
        local v = bg
        for _, k in ipairs(order) do
          local w = parts[k]:get(r, c)
          if w ~= bg then
            v = w
            break
          end
        end
        out:set(r, c, v)
      end
    end
    return out
  end
  for _, order in ipairs(orders(count)) do
    local fits = true
    for _, pair in ipairs(task.train) do
      if overlay(pair.input, order) ~= pair.output then
        fits = false
        break
      end
    end
    if fits then
      return { { name = "parts overlaid in order " .. table.concat(order, ","), fn = function(g) return overlay(g, order) end } }
    end
  end
  -- Or by colour: each output cell shows the strongest colour the parts have there, in a
  -- colour ranking learned from the pairs (a topological order of "beats" constraints).
  local beats, seen = {}, {}
  for c = 0, 9 do beats[c] = {} end
  for _, pair in ipairs(task.train) do
    local parts, bg = candidates.split_by_lines(pair.input)
    for r = 1, pair.output.rows do
      for c = 1, pair.output.cols do
        local want, present = pair.output:get(r, c), false
        for _, part in ipairs(parts) do
          local v = part:get(r, c)
          if v ~= bg then
            seen[v] = true
            if v == want then present = true end
          end
        end
        if want ~= bg and not present then return {} end
        for _, part in ipairs(parts) do
          local v = part:get(r, c)
          if v ~= bg and v ~= want then
            if want == bg then return {} end
            beats[want][v] = true
          end
        end
      end
    end
  end
  local rank, placed = {}, 0
  local remaining = {}
  for c = 0, 9 do if seen[c] then remaining[c] = true end end
  while next(remaining) do
    local pick
    for c = 0, 9 do
      if remaining[c] then
        local beaten = false
        for d = 0, 9 do
          if remaining[d] and d ~= c and beats[d][c] then beaten = true end
        end
        if not beaten then pick = c break end
      end
    end
    if not pick then return {} end -- the constraints contradict each other
    placed = placed + 1
    rank[pick] = placed
    remaining[pick] = nil
  end
  local function by_colour(g)
    local parts, bg = candidates.split_by_lines(g)
    if not parts then return nil end
    local out = parts[1]:copy()
    for r = 1, out.rows do
      for c = 1, out.cols do
        local best = bg
        for _, part in ipairs(parts) do
          local v = part:get(r, c)
          if v ~= bg then
            if not rank[v] then return nil end
            if best == bg or rank[v] < rank[best] then best = v end
          end
        end
        out:set(r, c, best)
      end
    end
    return out
  end
  for _, pair in ipairs(task.train) do
    if by_colour(pair.input) ~= pair.output then return {} end
  end
  local ranking = {}
  for c = 0, 9 do if rank[c] then ranking[rank[c]] = c end end
  return { { name = "parts overlaid by colour rank " .. table.concat(ranking, ">"), fn = by_colour } }
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
  for _, entry in ipairs(candidates.object_properties) do
    local name, property = entry[1], entry[2]
    local recolour = candidates.learn_object_recolour(task, property)
    if recolour then
      add(list, "recolour objects by " .. name, recolour)
    end
  end
  append(list, candidates.learn_part_overlay(task))
  append(list, candidates.learn_blocks(task))
  append(list, candidates.learn_completion(task))
  append(list, candidates.learn_object_crops(task))
  return list
end

--- Rules that fit the train pairs but may have to guess on a test input (cells of cases
--- never seen in training stay as they are): often memorised, so tried last, and marked
--- `guesses` (their output differs from their strict twin's only where the twin met a case
--- it never saw and gave none, so lib/predict.lua ranks them with the inexact candidates).
function candidates.loose(task)
  local list = {}
  local loose = candidates.learn_local_rule(task, 1, true)
  if loose then
    add(list, "local rule (radius 1, unseen cells kept)", loose)
  end
  append(list, candidates.cell_rules(task, 2, true))
  for _, candidate in ipairs(list) do
    candidate.guesses = true
  end
  return list
end

return candidates
