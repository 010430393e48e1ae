-- lib/learners/common.lua: what the learners share: adding a candidate to a list,
-- appending lists, recording a learned key -> value consistently, whether a task keeps its
-- shapes, and the symmetries tried on a cut-out object or a block.

local common = {}

function common.add(list, name, fn, cases)
  list[#list + 1] = { name = name, fn = fn, cases = cases }
end

--- Appends every candidate of `more` to `list`.
function common.append(list, more)
  for _, candidate in ipairs(more) do
    list[#list + 1] = candidate
  end
end

--- Records key -> value in `map`; false when `map` already holds another value for key.
function common.agree(map, key, value)
  local seen = map[key]
  if seen == nil then
    map[key] = value
    return true
  end
  return seen == value
end

--- Whether every train pair's output has its input's shape.
function common.same_shapes(task)
  for _, pair in ipairs(task.train) do
    if pair.input.rows ~= pair.output.rows or pair.input.cols ~= pair.output.cols then
      return false
    end
  end
  return true
end

--- The symmetries tried on a cut-out object or a block of a tiled output, in order.
common.block_transforms = { "identity", "flip_leftright", "flip_updown", "rot180", "transpose", "antitranspose", "rot90", "rot270" }

return common
