-- 3aa6fb7a: each light-blue (8) L made of three cells is the 2x2 square minus one
-- corner; that missing corner is painted blue (1).
local dsl = batt.dsl

local BLUE = 1

return function(input)
  local out = input
  for _, obj in ipairs(dsl.objects(input)) do
    local top, left, bottom, right = obj:bbox()
    if obj.size == 3 and bottom - top == 1 and right - left == 1 then
      local corners = {}
      for r = top, bottom do
        for c = left, right do
          if input:get(r, c) ~= obj.color then
            corners[#corners + 1] = { r, c }
          end
        end
      end
      out = dsl.fill(out, BLUE, corners)
    end
  end
  return out
end
