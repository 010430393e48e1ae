-- 23b5c85d: rectangles of different sizes; the output is the smallest one.
local dsl = batt.dsl

return function(input)
  return dsl.subgrid(input, dsl.smallest(dsl.objects(input)))
end
