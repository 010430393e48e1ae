-- 9172f3a0: every cell becomes a 3x3 block of its colour.
return function(input)
  return input:upscale(3)
end
