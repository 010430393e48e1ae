-- a416b8f3: the picture twice, side by side.
return function(input)
  return batt.dsl.hconcat(input, input)
end
