-- 67a3c6ac: the grid seen in a mirror standing on its right edge: every row reversed.
return function(input)
  return input:flip_leftright()
end
