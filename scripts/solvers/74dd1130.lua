-- 74dd1130: rows become columns: a reflection in the main diagonal.
return function(input)
  return input:transpose()
end
