-- d037b0a7: each coloured cell drips straight down, colouring the empty cells below it
-- until the bottom edge (a lower colour takes over from where it sits).
return function(input)
  local out = input:copy()
  for c = 1, input.cols do
    local paint = 0
    for r = 1, input.rows do
      local v = input:get(r, c)
      if v ~= 0 then
        paint = v
      elseif paint ~= 0 then
        out:set(r, c, paint)
      end
    end
  end
  return out
end
