-- c59eb873: every cell becomes a 2x2 block of its colour.
return function(input)
  return input:upscale(2)
end
