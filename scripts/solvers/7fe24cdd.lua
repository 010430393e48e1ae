-- 7fe24cdd: the picture in four orientations, a quarter turn apart, around the centre
-- (compare 46442a0e).
local dsl = batt.dsl

return function(input)
  local top = dsl.hconcat(input, input:rot90())
  local bottom = dsl.hconcat(input:rot270(), input:rot180())
  return dsl.vconcat(top, bottom)
end
