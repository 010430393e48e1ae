-- lib/predict.lua: turning scored candidates into predictions.
--
-- Candidates exact on every train pair come first, in the order they were tried (so a
-- hand-written solver, tried first, wins ties); then the rest by score value (exact pairs,
-- then cell accuracy). Each test input gets the outputs of the best candidates that
-- produce a grid for it, skipping duplicates, up to the two attempts ARC allows.

local predict = {}

--- Sorts `scored` ({fn =, score =} entries) best first, stable on ties.
function predict.rank(scored)
  for i, entry in ipairs(scored) do
    entry.order = i
  end
  table.sort(scored, function(a, b)
    if a.score.value ~= b.score.value then
      return a.score.value > b.score.value
    end
    return a.order < b.order
  end)
  return scored
end

--- Runs `fn` on `input`, returning a grid or nil (errors count as "no output").
local function try(fn, input, task)
  local ok, out = pcall(fn, input, task)
  if ok and out ~= nil then
    local ok_grid, grid = pcall(batt.grid, out)
    if ok_grid then
      return grid
    end
  end
  return nil
end

--- Predicts every test input of `task` with the two best distinct outputs.
function predict.best_two(task, scored)
  predict.rank(scored)
  for i, case in ipairs(task.test) do
    local attempts, sources = {}, {}
    for _, entry in ipairs(scored) do
      if #attempts == 2 then
        break
      end
      local out = try(entry.fn, case.input, task)
      if out and not (attempts[1] and attempts[1] == out) then
        attempts[#attempts + 1] = out
        sources[#sources + 1] = entry.score.name
      end
    end
    task:predict(i, attempts[1], attempts[2], sources)
  end
end

return predict
