-- 25ff71a9: the shape falls one row; the row it leaves becomes background.
local dsl = batt.dsl

return function(input)
  return dsl.shift(input, 1, 0)
end
