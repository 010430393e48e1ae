-- 4258a5f9: every grey (5) cell gets a ring of blue (1) around it.
local dsl = batt.dsl

local GREY, BLUE = 5, 1

return function(input)
  local ring = {}
  for r = 1, input.rows do
    for c = 1, input.cols do
      if input:get(r, c) == GREY then
        for dr = -1, 1 do
          for dc = -1, 1 do
            ring[#ring + 1] = { r + dr, c + dc }
          end
        end
      end
    end
  end
  -- underfill paints only background cells, so the grey centres stay; cells off the
  -- grid are ignored.
  return dsl.underfill(input, BLUE, ring)
end
