-- be94b721: several shapes of different colours; the output is the biggest one, cut out.
local dsl = batt.dsl

return function(input)
  return dsl.subgrid(input, dsl.largest(dsl.objects(input)))
end
