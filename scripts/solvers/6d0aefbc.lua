-- 6d0aefbc: the picture followed by its mirror image, as if a mirror stood on its right edge.
return function(input)
  return batt.dsl.hconcat(input, input:flip_leftright())
end
