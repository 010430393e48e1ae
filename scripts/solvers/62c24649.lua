-- 62c24649: the same kaleidoscope as 3af2c5a8: four mirrored copies.
local dsl = batt.dsl

return function(input)
  local top = dsl.hconcat(input, input:flip_leftright())
  return dsl.vconcat(top, top:flip_updown())
end
