-- c8f0f002: orange (7) cells become grey (5); nothing else changes.
local ORANGE, GREY = 7, 5

return function(input)
  return input:replace(ORANGE, GREY)
end
