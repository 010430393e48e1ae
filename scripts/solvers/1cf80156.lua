-- 1cf80156: one shape on an empty field; the output is the shape, cut to its bounding box.
return function(input)
  return input:crop_to_content()
end
