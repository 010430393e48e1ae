-- 7468f01a: the one picture on the field is cut out and shown mirrored left to right.
return function(input)
  return input:crop_to_content():flip_leftright()
end
