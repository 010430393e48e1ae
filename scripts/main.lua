-- scripts/main.lua: the task loop batt runs by default.
--
-- For each task: gather candidates, in this order (the order breaks ties between exact
-- ones): the task's own hand-written solver from scripts/solvers/<task id>.lua when one
-- exists, the candidates learned from the train pairs in lib/candidates.lua, the per-cell
-- rules, a breadth-first search over compositions of the single steps of
-- lib/programs.lua (run on the batch engine on the GPU or all CPU cores), outer products
-- whose two factors are searched for (lib/products.lua), and last the rules that would
-- guess on unseen cases. Score each on the train pairs (exact match,
-- cell accuracy when shapes agree), rank them, and predict every test output with the
-- best two (lib/predict.lua). Edit freely: batt re-reads this file on every run.
--
-- Arguments after `--`: depth=N (programs of up to N steps, default 2; depth 3 tries every
-- distinct state), keep=N (how many search results take part in the ranking, default 100),
-- states=N (states longer than `exhaustive` steps kept per search level, default 3000),
-- exhaustive=N (states of up to N steps are all expanded, default 2: depth 3 is exhaustive),
-- extended=1 (the search alphabet also takes crop_object, pick over rows, columns and
-- frames' insides, split(framed), symmetrize(all) and drop_blank), lines=0 (leave border, connect, smear in 8 directions, keep_color and
-- interior out of the alphabet), lists=0 (leave split, the joins and the filters out
-- of the alphabet: list states, each element then taking every other step),
-- pieces=N (the N most accurate programs of each search may be layers of an overlay that
-- reproduces every train output, default 2000; 0 turns overlays off), layers=N (layers
-- of an overlay at most, default 10), solvers=0 (leave out the hand-written solvers, so the
-- figures measure the generic search and learners alone), variants=NAME,... (task variants
-- searched besides the task itself: normalised, shaped, transposed, or none; default
-- normalised,shaped), output_size=0 (leave out the steps that bring each pair to its own
-- output size, to_output_size, which join the alphabet when the output sizes vary),
-- finishing=0 (no free finishing step: when every train output's non-background cells
-- share one colour, a search scores each state as if painted in it, at no depth, and
-- overlays take each piece painted in each colour every train output has), placing=0 (no
-- free placing step: where outputs have their inputs' sizes, a state of another size is
-- scored where `place` puts it, at the position its crops kept, on a canvas of the
-- output's size), fill=0 (overlays never fill the cells their layers leave uncovered from
-- 3x3 patches), products=0 (no outer products: outputs made of blocks, each blank or a
-- copy of one block grid laid out by a small grid, both found by searches of their own;
-- lib/products.lua).

local candidates = require("candidates")
local programs = require("programs")
local predict = require("predict")
local products = require("products")

-- The loop's settings, each changeable after `--` (key=N). The search's start from
-- batt.search_defaults; this loop keeps more results (keep), fewer beamed states (states)
-- and composes overlays of its 2000 most accurate programs (pieces).
local defaults = batt.search_defaults
local function flag(on) return on and 1 or 0 end
local settings = {
  depth = defaults.depth, keep = 100, states = 3000, exhaustive = defaults.exhaustive, pieces = 2000,
  layers = defaults.max_layers, finishing = flag(defaults.finishing), placing = flag(defaults.placing),
  fill = flag(defaults.filling), extended = 0, solvers = 1, output_size = 1, lines = 1, lists = 1, products = 1,
}
-- the task variants searched besides the task itself (see batt.search_all)
local variants = { "normalised", "shaped" }
for _, arg in ipairs(batt.args) do
  local names = arg:match("^variants=([%w,]*)$")
  local key, value = arg:match("^([%w_]+)=(%d+)$")
  if names then
    variants = {}
    for name in names:gmatch("%w+") do
      if name ~= "none" then variants[#variants + 1] = name end
    end
  elseif key and settings[key] then
    settings[key] = tonumber(value)
  else
    error("unknown argument " .. arg .. " (depth=N, keep=N, states=N, exhaustive=N, extended=0|1, pieces=N, layers=N, solvers=0|1, output_size=0|1, finishing=0|1, placing=0|1, fill=0|1, lines=0|1, lists=0|1, products=0|1, variants=NAME,...|none)")
  end
end

-- A hand-written solver is a file returning function(input, task) -> output grid.
-- A syntax or runtime error in it is an error of that task (reported with file:line);
-- the other tasks still run.
local function load_solver(task_id)
  local path = batt.script_dir .. "/solvers/" .. task_id .. ".lua"
  local file = io.open(path, "r")
  if not file then
    return nil
  end
  file:close()
  local chunk, err = loadfile(path)
  if not chunk then
    error(err, 0) -- err already reads "scripts/solvers/<id>.lua:LINE: reason"
  end
  local solver = chunk()
  if type(solver) ~= "function" then
    error(path .. ": a solver file must return function(input, task), got " .. type(solver))
  end
  return solver
end

-- The searches of all tasks run first, together (one level of every task's search is one
-- batch on the GPU or all cores); each task's task:search below then finds its result.
local search_settings = {
  depth = settings.depth, keep = settings.keep, max_states = settings.states,
  pieces = settings.pieces, max_layers = settings.layers, variants = variants,
  exhaustive = settings.exhaustive, finishing = settings.finishing == 1,
  placing = settings.placing == 1,
  filling = settings.fill == 1,
}
local alphabet_options = {
  extended = settings.extended == 1, output_size = settings.output_size == 1, lines = settings.lines == 1,
  lists = settings.lists == 1,
}
local function alphabet(task)
  return programs.steps(task, alphabet_options)
end
-- The options of every search of the run, written once: the batch below and each task's
-- task:search must ask for the same search for the batch's result to be used.
local function search_options()
  local options = { ops = alphabet }
  for key, value in pairs(search_settings) do
    options[key] = value
  end
  return options
end
batt.search_all(search_options())

for task in batt.tasks() do
  local scored = {}
  -- scores each {name, fn} candidate of `list` and adds it to `scored`, in order
  local function score_all(list)
    for _, candidate in ipairs(list) do
      scored[#scored + 1] = { fn = candidate.fn, score = task:score(candidate.name, candidate.fn), cases = candidate.cases, guesses = candidate.guesses }
    end
  end

  local solver = settings.solvers == 1 and load_solver(task.id)
  if solver then
    local score = task:score("solver:" .. task.id, solver)
    if score.error then
      task:log("hand-written solver failed: " .. score.error)
    end
    scored[#scored + 1] = { fn = solver, score = score }
  end

  score_all(candidates.learned(task))
  score_all(candidates.cell_rules(task))
  score_all(candidates.normalised_cell_rules(task))

  local found, search_stats = task:search(search_options())
  for _, score in ipairs(found) do
    scored[#scored + 1] = { program = score.program, score = score }
  end

  if settings.products == 1 then
    score_all(products.outer(task, alphabet, settings.depth))
  end

  score_all(candidates.loose(task))

  predict.best_two(task, scored, search_stats.test_sizes)
end
