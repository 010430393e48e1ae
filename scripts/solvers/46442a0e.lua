-- 46442a0e: the output is the input turned four ways, arranged like a pinwheel: as is
-- top-left, a quarter turn clockwise top-right, half a turn bottom-right and three
-- quarters bottom-left.
local dsl = batt.dsl

return function(input)
  local top = dsl.hconcat(input, dsl.rot90(input))
  local bottom = dsl.hconcat(dsl.rot270(input), dsl.rot180(input))
  return dsl.vconcat(top, bottom)
end
