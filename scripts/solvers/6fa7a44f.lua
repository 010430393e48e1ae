-- 6fa7a44f: the picture above its reflection, like 8be77c9e with other shapes.
return function(input)
  return batt.dsl.vconcat(input, input:flip_updown())
end
