-- 3af2c5a8: a kaleidoscope: the picture and its mirror images in a 2x2 arrangement,
-- each quarter reflecting its neighbours.
local dsl = batt.dsl

return function(input)
  local top = dsl.hconcat(input, input:flip_leftright())
  return dsl.vconcat(top, top:flip_updown())
end
