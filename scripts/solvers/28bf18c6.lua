-- 28bf18c6: the one shape on the grid, cut out to its bounding box and shown twice side
-- by side.
local dsl = batt.dsl

return function(input)
  local shape = dsl.subgrid(input, dsl.foreground(input))
  return dsl.hconcat(shape, shape)
end
