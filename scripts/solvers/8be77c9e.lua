-- 8be77c9e: the picture above its reflection in its bottom edge.
return function(input)
  return batt.dsl.vconcat(input, input:flip_updown())
end
