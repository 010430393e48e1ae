-- ed36ccf7: a quarter turn anticlockwise.
return function(input)
  return input:rot270()
end
