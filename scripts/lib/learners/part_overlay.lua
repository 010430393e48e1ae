-- lib/learners/part_overlay.lua: parts cut by separator lines laid over one another in a learned order of parts or of colours.
-- Part of lib/candidates.lua's battery (candidates.learned, candidates.loose).

local M = {}

--- The parts of a grid cut by separator lines (whole rows and columns of one colour that
--- is not the background), left to right, top to bottom, when they all have one shape;
--- nil otherwise.
function M.split_by_lines(g)
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
function M.learn_part_overlay(task)
  local count
  for _, pair in ipairs(task.train) do
    local parts = M.split_by_lines(pair.input)
    if not parts or (count and #parts ~= count) then return {} end
    if parts[1].rows ~= pair.output.rows or parts[1].cols ~= pair.output.cols then return {} end
    count = #parts
  end
  local function overlay(g, order)
    local parts, bg = M.split_by_lines(g)
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
    local parts, bg = M.split_by_lines(pair.input)
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
    local parts, bg = M.split_by_lines(g)
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

return M
