-- 3c9b0459: the picture is turned upside down and back to front: half a turn.
return function(input)
  return input:rot180()
end
