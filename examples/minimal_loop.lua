-- examples/minimal_loop.lua: the smallest useful task loop. It tries the 8 symmetries of
-- the grid on every task and predicts with the first that reproduces all train pairs.
--
--   batt run examples/minimal_loop.lua -c 50
local dsl = batt.dsl

for task in batt.tasks() do
  for _, name in ipairs(dsl.symmetries()) do
    local score = task:score(name, dsl[name])
    if score.exact then
      for i, case in ipairs(task.test) do
        task:predict(i, dsl[name](case.input), nil, { name })
      end
      break
    end
  end
end
