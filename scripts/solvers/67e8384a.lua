-- 67e8384a: four mirrored copies again (compare 3af2c5a8), with several colours.
local dsl = batt.dsl

return function(input)
  local top = dsl.hconcat(input, input:flip_leftright())
  return dsl.vconcat(top, top:flip_updown())
end
