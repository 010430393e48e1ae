-- 7b7f7511: the input is a pattern repeated twice, side by side or one above the other;
-- the output is one copy: the half along the longer side.
local dsl = batt.dsl

return function(input)
  if input.cols > input.rows then
    return dsl.lefthalf(input)
  end
  return dsl.tophalf(input)
end
