-- 1e0a9b12: every coloured cell falls to the bottom of its column, as if by gravity.
return function(input)
  return input:gravity("down")
end
