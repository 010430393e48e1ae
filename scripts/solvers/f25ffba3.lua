-- f25ffba3: the picture in the bottom half is reflected into the empty top half.
local dsl = batt.dsl

return function(input)
  local bottom = dsl.bottomhalf(input)
  return dsl.vconcat(dsl.flip_updown(bottom), bottom)
end
