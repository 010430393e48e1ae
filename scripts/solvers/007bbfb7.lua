-- 007bbfb7: the 3x3 input is a stencil of itself. Each coloured cell becomes a copy of the
-- whole input, each empty cell an empty 3x3 block (a Kronecker product of the grid with
-- itself).
local dsl = batt.dsl

return function(input)
  local h, w = input.rows, input.cols
  local out = dsl.canvas(0, h * h, w * w)
  for r = 1, h do
    for c = 1, w do
      if input:get(r, c) ~= 0 then
        for i = 1, h do
          for j = 1, w do
            out:set((r - 1) * h + i, (c - 1) * w + j, input:get(i, j))
          end
        end
      end
    end
  end
  return out
end
