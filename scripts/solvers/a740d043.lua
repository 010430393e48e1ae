-- a740d043: a small picture on a blue (1) field; the output is the picture alone, with
-- the blue that shows inside it turned black (0).
local dsl = batt.dsl

return function(input)
  -- the field is the most common colour, so crop_to_content cuts it away
  return dsl.replace(dsl.crop_to_content(input), 1, 0)
end
