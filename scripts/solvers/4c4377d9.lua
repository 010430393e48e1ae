-- 4c4377d9: the reflection on top, the picture below it.
return function(input)
  return batt.dsl.vconcat(input:flip_updown(), input)
end
