-- b91ae062: the 3x3 input is scaled up by the number of different colours in it
-- (background not counted).
local dsl = batt.dsl

return function(input)
  local colours = 0
  for _, c in ipairs(dsl.palette(input)) do
    if c ~= 0 then
      colours = colours + 1
    end
  end
  return dsl.upscale(input, colours)
end
