-- 5582e5ca: the output is the input's size, filled with its most common colour.
local dsl = batt.dsl

return function(input)
  return dsl.canvas(dsl.mostcolor(input), input.rows, input.cols)
end
