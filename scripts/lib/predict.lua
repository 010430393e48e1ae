-- lib/predict.lua: turning scored candidates into predictions.
--
-- Candidates exact on every train pair come first, in the order they were tried (so a
-- hand-written solver, tried first, wins ties), but not a rule that guesses (`guesses`:
-- one that keeps a test input's cells where it meets a case the train pairs never showed,
-- exact on them by construction; it ranks with the rest); within exact and within the
-- rest, a rule that could memorise an output (a per-cell rule with at least as many cases as the
-- smallest train output has cells) comes after those that could not; then those
-- whose test outputs have the predicted sizes (the search's stats.test_sizes) come before
-- those that do not; then the rest by train pairs reproduced exactly, then by score value
-- (cell accuracy). The first LEADERS of that order are run on every test input and, the
-- exact ones and the rest apart, those whose outputs follow the colour rule every train
-- pair follows (`palette`: an output holds only its input's colours and the colours train
-- outputs add; all of its input's when every train output keeps its input's colours) come
-- before those that do not. Each test input gets the outputs of the best candidates that
-- produce a grid for it, skipping duplicates, up to the two attempts ARC allows; the
-- candidates ranked above an attempt's that made none are recorded with the reason
-- (results.json's `passed_over`, `batt show ID --results DIR`), and each attempt's place
-- and terms in the ranking (`terms`: rank, exact, guesses, palette, memorises, sized,
-- pairs_exact of pairs, value, tried, and a rule's cases, a program's steps and an
-- overlay's layers).
-- A candidate is {fn = function(input, task)}, {program = <engine program>} or a search
-- result, whose score holds its test outputs (score.test_outputs); the other programs among
-- the leaders run on all test inputs in one engine batch.

local predict = {}

--- Whether an entry's known test outputs have the predicted sizes (`sizes[i]` is {rows,
--- cols} or false when unknown); entries whose outputs are not known yet pass.
local function sized_as_predicted(entry, sizes)
  local outs = entry.score.test_outputs
  if not (outs and sizes) then
    return true
  end
  for i, size in ipairs(sizes) do
    local out = outs[i]
    if size and out and (out.rows ~= size[1] or out.cols ~= size[2]) then
      return false
    end
  end
  return true
end

--- The fewest cells a train output of `task` has: a per-cell rule with as many cases can
--- memorise an output cell by cell.
function predict.memory_bound(task)
  local fewest = math.huge
  for _, pair in ipairs(task.train) do
    fewest = math.min(fewest, pair.output.rows * pair.output.cols)
  end
  return fewest
end

--- Sorts `scored` ({fn =, score =, cases =, guesses =} entries) best first, stable on ties:
--- exact ones first (not those that guess), then those that cannot memorise an output
--- (`cases` below `memory`, optional), then those whose test outputs have the predicted
--- sizes (`sizes`, optional), then by train pairs exact, then by score value.
function predict.rank(scored, sizes, memory)
  for i, entry in ipairs(scored) do
    entry.order = i
    entry.exact = entry.score.value >= 1 and not entry.guesses
    entry.sized = sized_as_predicted(entry, sizes)
    entry.memorises = memory ~= nil and entry.cases ~= nil and entry.cases >= memory
  end
  table.sort(scored, function(a, b)
    if a.exact ~= b.exact then
      return a.exact
    end
    if a.memorises ~= b.memorises then
      return b.memorises
    end
    if a.sized ~= b.sized then
      return a.sized
    end
    local ap, bp = a.score.pairs_exact or 0, b.score.pairs_exact or 0
    if ap ~= bp then
      return ap > bp
    end
    if a.score.value ~= b.score.value then
      return a.score.value > b.score.value
    end
    return a.order < b.order
  end)
  return scored
end

--- Runs `fn` on `input`, returning a grid, or nil and why there is none.
local function try(fn, input, task)
  local ok, out = pcall(fn, input, task)
  if not ok then
    return nil, "error on the test input: " .. tostring(out):match("^[^\n]*")
  end
  if out == nil then
    return nil, "returned nil on the test input"
  end
  local ok_grid, grid = pcall(batt.grid, out)
  if not ok_grid then
    return nil, "returned no valid grid on the test input: " .. tostring(grid):match("^[^\n]*")
  end
  return grid
end

--- The colour rule every train pair of `task` follows, as a check of a test output against
--- its input: an output may hold its input's colours and the colours some train output
--- adds to its input, no others; and when every train output has exactly its input's
--- colours, it must hold all of its input's.
function predict.palette_check(task)
  local same, added = true, {}
  for _, pair in ipairs(task.train) do
    local ins, outs = {}, {}
    for _, c in ipairs(pair.input:palette()) do ins[c] = true end
    for _, c in ipairs(pair.output:palette()) do
      outs[c] = true
      if not ins[c] then
        added[c] = true
        same = false
      end
    end
    for c in pairs(ins) do
      if not outs[c] then same = false end
    end
  end
  return function(input, out)
    local ins, outs = {}, {}
    for _, c in ipairs(input:palette()) do ins[c] = true end
    for _, c in ipairs(out:palette()) do
      if not ins[c] and not added[c] then return false end
      outs[c] = true
    end
    if same then
      for c in pairs(ins) do
        if not outs[c] then return false end
      end
    end
    return true
  end
end

--- An entry's place and terms in the ranking, as task:predict records them (results.json's
--- `terms`, `batt show`): the keys in the order they decide, and its size in steps.
local function rank_terms(entry, rank)
  local s = entry.score
  return {
    rank = rank, exact = entry.exact, guesses = entry.guesses or false, palette = entry.palette,
    memorises = entry.memorises, cases = entry.cases,
    sized = entry.sized, pairs_exact = s.pairs_exact or 0,
    pairs = s.pairs or 0, value = s.value, tried = entry.order, steps = s.steps,
    layers = s.layers and #s.layers or nil,
  }
end

--- How many leading candidates are tried for each test input.
predict.LEADERS = 12

--- Predicts every test input of `task` with the two best distinct outputs; `sizes` (from
--- task:search's stats.test_sizes, optional) are the predicted test output sizes.
function predict.best_two(task, scored, sizes)
  predict.rank(scored, sizes, predict.memory_bound(task))
  local leaders = {}
  for i = 1, math.min(predict.LEADERS, #scored) do
    leaders[i] = scored[i]
  end

  -- the leading programs on every test input, in one batch (search results already hold
  -- their test outputs: the search ran them on the test inputs too)
  local leader_programs, inputs = {}, {}
  for _, entry in ipairs(leaders) do
    if entry.program and not entry.score.test_outputs then
      leader_programs[#leader_programs + 1] = entry.program
      entry.row = #leader_programs
    end
  end
  for i, case in ipairs(task.test) do
    inputs[i] = case.input
  end
  local outputs = #leader_programs > 0 and batt.eval(leader_programs, inputs, nil, { outputs = true, tag = "predict" }) or {}

  -- each leader's output on every test input (or why it has none), and whether its outputs
  -- follow the train pairs' colour rule; the leaders exact alike are then ordered by it
  local follows = predict.palette_check(task)
  for rank, entry in ipairs(leaders) do
    entry.outs, entry.whys, entry.palette, entry.rank = {}, {}, true, rank
    for i, case in ipairs(task.test) do
      local out, why
      if entry.score.test_outputs then
        out = entry.score.test_outputs[i]
        why = "no output on the test input (a step cannot apply)"
      elseif entry.program then
        out = outputs[entry.row][i].output
        why = "no output on the test input (a step cannot apply)"
      else
        out, why = try(entry.fn, case.input, task)
      end
      entry.outs[i], entry.whys[i] = out, why
      if out and not follows(case.input, out) then
        entry.palette = false
      end
    end
  end
  table.sort(leaders, function(a, b)
    if a.exact ~= b.exact then
      return a.exact
    end
    if a.palette ~= b.palette then
      return a.palette
    end
    return a.rank < b.rank
  end)

  for i in ipairs(task.test) do
    -- the attempts, who made them, and why each candidate ranked above them did not
    local attempts, sources, passed_over, terms = {}, {}, {}, {}
    for rank, entry in ipairs(leaders) do
      if #attempts == 2 then
        break
      end
      local out, why = entry.outs[i], entry.whys[i]
      if not out then
        passed_over[#passed_over + 1] = { name = entry.score.name, reason = why }
      elseif attempts[1] and attempts[1] == out then
        passed_over[#passed_over + 1] = { name = entry.score.name, reason = "same output as attempt 1 (" .. sources[1] .. ")" }
      else
        attempts[#attempts + 1] = out
        sources[#sources + 1] = entry.score.name
        terms[#terms + 1] = rank_terms(entry, rank)
      end
    end
    task:predict(i, attempts[1], attempts[2], sources, passed_over, terms)
  end
end

return predict
