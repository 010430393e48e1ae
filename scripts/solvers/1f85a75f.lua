-- 1f85a75f: a big shape among scattered noise; the output is the shape, cut out.
local dsl = batt.dsl

return function(input)
  return dsl.subgrid(input, dsl.largest(dsl.objects(input)))
end
