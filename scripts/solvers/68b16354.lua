-- 68b16354: the grid upside down: the order of the rows reversed.
return function(input)
  return input:flip_updown()
end
