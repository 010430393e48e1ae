-- b1948b0a: magenta (6) cells become red (2); the orange ones stay.
local MAGENTA, RED = 6, 2

return function(input)
  return input:replace(MAGENTA, RED)
end
