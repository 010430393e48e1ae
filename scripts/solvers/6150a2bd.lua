-- 6150a2bd: half a turn, like 3c9b0459; the same rule in other colours.
return function(input)
  return input:rot180()
end
