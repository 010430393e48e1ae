-- ac0a08a4: the 3x3 input is scaled up by the number of coloured cells in it.
local dsl = batt.dsl

return function(input)
  local coloured = input.rows * input.cols - dsl.colorcount(input, 0)
  return dsl.upscale(input, coloured)
end
