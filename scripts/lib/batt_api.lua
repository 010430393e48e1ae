---@meta
-- scripts/lib/batt_api.lua: the `batt` API that batt's Rust host gives every script,
-- written as annotated stubs for readers and for Lua language servers (LuaLS reads the
-- ---@ annotations). batt provides the real functions; this file is never loaded.
--
-- Conventions: rows and columns count from 1 (Lua style) everywhere: cell access, crops,
-- bounding boxes, object cells, test input numbers. Colours are integers 0..9. Grids are
-- 1..30 cells on each side. Background, where a function needs one, is the grid's most
-- common colour (ties: the smallest colour), as in ARC-DSL. Every error raised by a batt
-- function is a string starting with the calling script's "file.lua:LINE:".
--
-- Examples: every function has one `---e.g. ` line, one line of Lua that
-- tests/api_examples.rs runs (a fresh run each, `--backend cpu`, on task 007bbfb7 of the
-- embedded data); its trailing `-- claim`, where it has one, is a Lua expression the test
-- asserts. An example may use `task` (007bbfb7, taken from batt.tasks()) and `input` (its
-- first train input, the 3x3 grid 077/777/077); one that names neither runs before the
-- task loop. docs/lua-api.md's reference shows them (tests/api_reference.rs).
error("scripts/lib/batt_api.lua only documents the batt API; do not require it")

---@class Grid
---@field rows integer  number of rows (also `height`)
---@field cols integer  number of columns (also `width`)
---Grids compare with == (same size and cells); tostring(g) gives rows of digits.
---Every batt.dsl function is also a method: g:rot90() is batt.dsl.rot90(g).
local Grid = {}
---@param row integer 1-based
---@param col integer 1-based
---@return integer colour
---e.g. local g = batt.grid{{1, 2}, {3, 4}}  -- g:get(2, 1) == 3
function Grid:get(row, col) end
---Sets a cell in place (grids are mutable; DSL functions return new grids).
---e.g. local g = batt.grid{{0, 0}}; g:set(1, 2, 7)  -- tostring(g) == "07"
function Grid:set(row, col, colour) end
---@return integer rows, integer cols
---e.g. local rows, cols = batt.grid{{1, 2, 3}}:size()  -- rows == 1 and cols == 3
function Grid:size() end
---@return Grid an independent copy
---e.g. local g = batt.grid{{1}}; local h = g:copy(); h:set(1, 1, 5)  -- g:get(1, 1) == 1
function Grid:copy() end
---@return integer[][] rows of colours (1-based Lua tables)
---e.g. local t = batt.grid{{1, 2}, {3, 4}}:totable()  -- #t == 2 and t[2][1] == 3
function Grid:totable() end

---@class Object  a set of coloured cells, from batt.dsl.objects / frontiers / foreground
---@field size integer number of cells
---@field color integer most common colour of its cells
---@field height integer bounding-box height
---@field width integer bounding-box width
local Object = {}
---@return integer top, integer left, integer bottom, integer right  (1-based, inclusive)
---e.g. local t, l, b, r = batt.object{{2, 3, 5}, {3, 4, 1}}:bbox()  -- t == 2 and l == 3 and b == 3 and r == 4
function Object:bbox() end
---@return integer[][] list of {row, col, colour}
---e.g. local c = batt.object{{2, 3, 5}, {2, 4, 5}}:cells()  -- #c == 2 and c[1][2] == 3 and c[1][3] == 5
function Object:cells() end
---@return integer[] colours present, ascending
---e.g. local p = batt.object{{1, 1, 5}, {1, 2, 1}, {2, 1, 5}}:palette()  -- #p == 2 and p[1] == 1 and p[2] == 5
function Object:palette() end
---@return Object moved by (drow, dcol)
---e.g. local top, left = batt.object{{2, 3, 5}}:shift(1, -2):bbox()  -- top == 3 and left == 1
function Object:shift(drow, dcol) end
---@return Object moved so its bounding box starts at row 1, column 1
---e.g. local top, left = batt.object{{4, 6, 2}, {5, 7, 2}}:normalize():bbox()  -- top == 1 and left == 1
function Object:normalize() end
---@return Grid the object alone on its bounding box, `background` (default 0) elsewhere
---e.g. local g = batt.object{{3, 4, 5}, {4, 5, 5}}:grid()  -- tostring(g) == "50\n05"
function Object:grid(background) end

---@class Score  what task:score returns
---@field name string
---@field exact boolean   reproduces every train output
---@field pairs_exact integer
---@field pairs integer
---@field shapes_matched integer  train pairs whose output had the right shape
---@field cell_accuracy number    mean fraction of right cells (0 for a wrong shape)
---@field value number            1 when exact, else cell_accuracy (capped below 1)
---@field error string|nil        the first error the candidate raised

---@class Task
---@field id string
---@field split "train"|"eval"|"test"|nil
---@field index integer  position in this run's selection
---@field train {input: Grid, output: Grid}[]
---@field test {input: Grid, output: Grid|nil}[]  outputs only where the data has them
local Task = {}
---Runs fn(input, task) on every train input, scores it against the train outputs and
---records it in the task's results. An error or a nil return scores 0 on that pair.
---@param name string
---@param fn fun(input: Grid, task: Task): Grid|nil
---@return Score
---e.g. local s = task:score("tile", function(i) return i:tile(3) end)  -- not s.exact and s.shapes_matched == 5
function Task:score(name, fn) end
---The prediction for test input `i` (1-based): up to two attempts (the ARC Prize rule),
---optionally with the names of the candidates that produced them. Calling it again for
---the same input replaces the prediction. Missing attempts are written as [[0]].
---@param i integer
---@param attempt1 Grid|nil
---@param attempt2 Grid|nil
---@param sources string[]|nil
---`passed_over`: the candidates ranked above the attempts' that made none, as
---{{name = "...", reason = "..."}, ...} (results.json and `batt show` report them).
---e.g. local t = task.test[1].input; task:predict(1, t:tile(3), t:upscale(3), {"tile", "upscale"})
function Task:predict(i, attempt1, attempt2, sources, passed_over) end
---Evaluates every program on every train pair in one engine batch (GPU or CPU) and
---records each as a candidate named by its text.
---@param programs (string|table|Program)[]
---@param tag string|nil  counted in the engine stats (default "score_programs")
---@return Score[]  one per program, each with a `program` field
---e.g. local s = task:score_programs{"tile(3x3)", "upscale(3)"}  -- #s == 2 and s[2].program.text == "upscale(3)"
function Task:score_programs(programs, tag) end
---Breadth-first search of programs on the task's train pairs (see docs/search.md):
---compositions of up to `depth` of the single-step `ops`, duplicate states pruned; every
---distinct state of up to 2 steps is expanded (depth 3 is exhaustive), `max_states` (default
---5000) limits the states of 3 or more steps. Every distinct program kept counts as a
---candidate tried; the best `keep` (default 20) are recorded. When batt.search_all already
---ran this search (same ops and limits), its result is returned at once.
---With `pieces = N` (default 0), the N most accurate programs (and the inputs, as
---`identity`) may be layers of an overlay: when several programs are each right on part of
---the cells, layers laid greedily (first laid wins a cell; a layer paints its non-zero cells,
---its zero cells or all of them) that reproduce every train output are returned after the
---programs, at most 4, fewest layers first, as {name, layers = {{program, mode}...}, exact =
---true, value (1, or 0.999999 when not `supported`: some layer decides cells of one train
---pair only), supported, length, test_outputs} (no `program` field); with 3 train pairs or
---more, up to 4 partial overlays (composed with one pair left out) follow, with exact =
---false and their own pairs_exact, cell_accuracy and value. `max_layers` (default 10).
---`variants = {"normalised", "transposed"}` also searches those variants of the task (colours
---renamed per pair by a heuristic; every grid transposed) and appends their results, named
---`normalised: <name>`, with a `variant` field, test outputs mapped back to the task's own
---colours and orientation, and no `program` (it reads the variant's grids). `ops` may be a
---function(task) giving the alphabet for the task or variant it is given.
---The stats (second value) also hold `test_sizes`: per test input the predicted output size
---as {rows, cols}, or false when no rule fits (see docs/search.md).
---`exhaustive` (default 2): states of up to that many steps are all expanded; longer ones are
---beamed to `max_states`. `depth` is at most 4.
---`finishing` (default true): when every train output's non-zero cells share one colour c,
---every state is scored as if its non-zero cells were made c (a free finishing step, at no
---depth: `permute(0ccccccccc)`), and the programs returned end with that step where it
---changes an output (e.g. `rot90 | permute(0333333333)` at depth 1); false scores colours
---as they are.
---`placing` (default true): where every train output has its input's size, a state's
---output of another size than its train output that
---lies at a position other than row 0, column 0 (a crop keeps where its part was in the
---input) is scored as `place` puts it back there on a canvas of the output's size (a free
---placing step), and the programs returned end with `place` where it placed them (e.g.
---`crop_largest | flip_leftright | place`); false scores such outputs as they are.
---`filling` (default true): an overlay may end, after any layer of a pass over every pair,
---by filling the cells no layer covers (a quarter of the train cells or fewer) from the 3x3
---patches each laid grid shows (icecuber's greedyFillBlack) when that reproduces every
---train output; such an overlay has `filled = true` and a name ending `the rest from 3x3
---patches`; false composes layers only.
---@param options {ops: string[]|fun(task: Task): string[], depth: integer?, max_states: integer?, exhaustive: integer?, keep: integer?, pieces: integer?, max_layers: integer?, variants: string[]?, finishing: boolean?, placing: boolean?, filling: boolean?, backend: string?}
---The test inputs ride along: a program that fails on one is never returned, and each
---result holds its outputs on the test inputs (`test_outputs`, in the task's order).
---@return {program: Program, name: string, exact: boolean, pairs_exact: integer, pairs: integer, cell_accuracy: number, value: number, test_outputs: Grid[]}[], {evaluated: integer, kept: integer, duplicates: integer, levels: integer}
---e.g. local found, stats = task:search{ops = {"tile(3x3)", "upscale(3)"}, depth = 2}  -- found[1].test_outputs[1].rows == 9
function Task:search(options) end
---The task's search alphabet: the one-step programs a search composes, as text, in order
---(the order decides which of two programs with the same outputs a search keeps). Each
---op's entry in the op table (`src/engine/ops/table.rs`) says which steps it gives a task:
---every value, per colour of the train outputs or inputs, at the outputs' one size, ...
---(`batt ops`); this reads the task table's train pairs, so a variant task gets its own.
---Options left out keep their defaults: `extended` (false: crop_object, pick over rows,
---columns and frames' insides, split(framed), symmetrize(all), drop_blank), `lines` (true:
---border, connect, smear, keep_color, interior), `lists` (true: split, compose,
---compose_growing, stack, keep_best, drop_best), `output_size` (true: to_output_size when
---the outputs' sizes vary), `colour_map` (a learned table {[from] = to} giving a
---`permute` step when it changes a colour). `lib/programs.lua`'s `programs.steps` adds
---the colour map the task's train pairs teach.
---@param options {extended: boolean?, lines: boolean?, lists: boolean?, output_size: boolean?, colour_map: table<integer, integer>?}?
---@return string[]
---e.g. local ops = task:alphabet{lists = false}  -- ops[1] == "identity" and ops[2] == "rot90"
function Task:alphabet(options) end
---Logs a line tagged with the task id (also kept in results.json).
---e.g. task:log("tried", 12, "programs")
function Task:log(...) end

---@class Program  a candidate program for the batch engine: 1-7 steps
---@field length integer
---@field text string  e.g. "crop_largest | rot90"; tostring(p) gives the same
---Programs compare with ==.
local Program = {}
---The program on one grid, by the CPU kernels (no batch): the output grid, or nil where a
---step cannot apply. `size` = {rows, cols} is the pair's output size that to_output_size,
---place and repeat_around need (without it they give nil), as a search knows it.
---@param grid Grid
---@param size integer[]?
---@return Grid?
---e.g. local p = batt.program("to_output_size(embed)")  -- p:apply(input) == nil and p:apply(input, {9, 9}).rows == 9
function Program:apply(grid, size) end

---@class Batch
local Batch = {}
---Adds an item; evaluates the pending items when `size` are pending. Without `expected`,
---or when the batch was made with outputs = true, the output grid comes back too.
---@param program string|table|Program
---@param input Grid
---@param expected Grid|nil
---@param tag string|nil
---@return Handle
---e.g. local h = batt.batch():add("tile(3x3)", input, task.train[1].output, "tiles")  -- h:score() == false
function Batch:add(program, input, expected, tag) end
---Evaluates the pending items now.
---e.g. local b = batt.batch{size = 100}; b:add("rot90", input); b:flush()  -- b:pending() == 0
function Batch:flush() end
---@return integer items added and not yet evaluated
---e.g. local b = batt.batch{size = 100}; b:add("rot90", input); b:add("rot180", input)  -- b:pending() == 2
function Batch:pending() end
---@return {items_added: integer, items_evaluated: integer, batches: integer, cache_hits: integer, cache_hit_rate: number, per_op: table<string, integer>, per_tag: table<string, integer>, upload_ms: number, compute_ms: number, readback_ms: number, cpu_ms: number, backend: string, line: string}
---e.g. local b = batt.batch(); b:add("rot90", input):score()  -- b:stats().items_added == 1 and b:stats().batches == 1
function Batch:stats() end

---@class Handle  one item of a batch
local Handle = {}
---Flushes the batch if needed.
---@return boolean exact, integer cells_matched, boolean shape_matched
---e.g. local exact, cells, shape = batt.batch():add("rot90", input, input):score()  -- not exact and cells == 7 and shape
function Handle:score() end
---The output grid (evaluated again if it was not asked for), or nil when the program
---could not apply.
---@return Grid|nil
---e.g. local out = batt.batch():add("tile(1x2)", input):output()  -- out.rows == 3 and out.cols == 6
function Handle:output() end

batt = {}
---@type string[]  arguments given after `--` on the command line
batt.args = {}
---@type string  the main script's path, and its folder
batt.script, batt.script_dir = "", ""
---@type string
batt.version = ""
---@type integer  runs before this one in the session (watch mode); 0 the first time
batt.reloads = 0
---@type string[]  the files whose change started this run (watch mode)
batt.changed_files = {}

---@type integer this worker's number, 1..batt.workers (`-j N` runs N workers, each
---running the whole script in its own Lua state on the tasks dealt to it)
batt.worker = 1
---@type integer how many workers the run has
batt.workers = 1
---Runs the script on worker 1 alone: in the other workers it ends the script quietly.
---For scripts that total or print over all tasks; call it before the task loop.
---e.g. batt.single_worker()  -- batt.worker == 1
function batt.single_worker() end

---Keeps a copy of `value` for later runs of the session (watch mode) and every worker of
---this run: nil, booleans, numbers, strings, grids and tables of those.
---batt.keep(key, nil) forgets it.
---e.g. local t = {1, 2}; batt.keep("seen", t); t[1] = 9  -- batt.kept("seen")[1] == 1
function batt.keep(key, value) end
---The value kept under `key` by this run or an earlier one, or nil.
---e.g. local n = (batt.kept("runs") or 0) + 1; batt.keep("runs", n)  -- batt.kept("runs") == n
function batt.kept(key) end
---@return number seconds since the run began (a wall clock)
---e.g. local started = batt.now()  -- started >= 0 and batt.now() >= started
function batt.now() end

---Iterates over the tasks selected on the command line: each step hands this worker the
---next task no worker has taken. Asking for the next task ends the current one; a task's
---methods work only until then.
---@return fun(): Task|nil
---e.g. local ids = {}; for t in batt.tasks() do ids[#ids + 1] = t.id end  -- #ids <= batt.task_count()
function batt.tasks() end
---@return integer number of tasks selected (the whole selection, in every worker)
---e.g. local n = batt.task_count()  -- n >= task.index
function batt.task_count() end
---A grid from rows of colours, validated (ragged rows, colours, sizes).
---@param rows integer[][]
---@return Grid
---e.g. local g = batt.grid{{1, 2, 3}, {4, 5, 6}}  -- g.rows == 2 and g.cols == 3 and tostring(g) == "123\n456"
function batt.grid(rows) end
---An object from a list of {row, col, colour}.
---@return Object
---e.g. local o = batt.object{{1, 1, 3}, {2, 1, 3}, {2, 2, 4}}  -- o.size == 3 and o.color == 3 and o.width == 2
function batt.object(cells) end
---@return boolean exact, integer cells_matched, boolean same_shape
---e.g. local exact, cells, same = batt.compare(batt.grid{{1, 2}}, batt.grid{{1, 3}})  -- not exact and cells == 1 and same
function batt.compare(a, b) end
---Prints a line on stderr, tagged with the current task; `print` does the same.
---e.g. batt.log(("best %.2f after %d programs"):format(0.78, 12))
function batt.log(...) end

---A program from its text ("rot90 | tile(2x2) | recolor(1->2)") or a table of steps
---({"rot90", {"tile", 2, 2}, {"recolor", 1, 2}}). Ops: see batt.ops() and docs/engine.md.
---@return Program
---e.g. local p = batt.program{"rot90", {"tile", 2, 2}}  -- p.text == "rot90 | tile(2x2)" and p.length == 2
function batt.program(spec) end
---@class OpParam
---@field name string
---@field kind "color"|"int"|"choice"|"color_table"
---@field min integer? smallest value (not for color_table)
---@field max integer? largest value (not for color_table)
---@field choices string[]? the names of a choice's values, value 0 first

---@class OpInfo
---@field name string as written in program text
---@field code integer its number in the program encoding
---@field family string symmetry, objects, color, scale, regions or lists
---@field meaning string one line
---@field usage string how it is written, e.g. "tile(down 1-4 x across 1-4)"
---@field separator string between parameters in text: ",", "x" or "->"
---@field alphabet string the steps it gives a task's search alphabet (task:alphabet), e.g. "each output colour (group 70, place 1)"
---@field params OpParam[]

---Every op of the engine's op table, in code order, with its parameters' kinds and
---ranges: enough to build a search alphabet without hard-coding op names.
---@return OpInfo[]
---e.g. local ops = batt.ops()  -- ops[1].name == "identity" and ops[1].code == 0
function batt.ops() end
---A batch on the run's engine; backend "auto" (the run's --backend), "gpu" or "cpu".
---@param options {size: integer?, backend: string?, outputs: boolean?}|nil size defaults to 65536
---@return Batch
---e.g. local b = batt.batch{size = 2}; b:add("rot90", input); b:add("rot180", input)  -- b:pending() == 0
function batt.batch(options) end
---Every program on every input in one batch (the cross product a search runs).
---result[p][i] = {produced, exact, cells, shape, rows, cols, output (with outputs = true)}
---@param programs (string|table|Program)[]
---@param inputs Grid[]
---@param expecteds Grid[]|nil  one per input, to score against
---@param options {outputs: boolean?, backend: string?, tag: string?}|nil
---e.g. local r = batt.eval({"rot90", "flip_updown"}, {input}, {input})  -- r[2][1].exact and r[1][1].cells == 7
function batt.eval(programs, inputs, expecteds, options) end
---Like Task:search, for any input/output pairs: {inputs =, outputs =, tests = (inputs riding
---along, optional), ops =, depth =, ...}.
---e.g. local f = batt.enumerate{inputs = {batt.grid{{1, 2}}}, outputs = {batt.grid{{2, 1}}}, ops = {"rot90", "flip_leftright"}}  -- f[1].exact
function batt.enumerate(options) end
---The searches of every task the loop has not reached yet, run together: one level of all
---of them is one batch (one GPU dispatch, or a few). `ops(task)` gives each task's alphabet
---(the task has id, train and test; its methods work only inside the loop); a task whose
---`ops` raises an error is left out. Each task's task:search with the same ops, limits and
---variants then returns the ready result. With `variants`, each variant of each task (see
---Task:search) is searched in the same batch, `ops` called with the variant's task.
---@param options {ops: fun(task: Task): string[], depth: integer?, max_states: integer?, exhaustive: integer?, keep: integer?, pieces: integer?, max_layers: integer?, variants: string[]?, finishing: boolean?, placing: boolean?, filling: boolean?, backend: string?}
---@return {tasks: integer, skipped: integer, evaluated: integer, candidates: integer, seconds: number}  evaluated: step applications; candidates: (state, step) pairs, each on all of its task's train and test inputs
---e.g. local s = batt.search_all{ops = function(t) return t:alphabet() end, depth = 1}  -- s.tasks + s.skipped == batt.task_count()
function batt.search_all(options) end
---The limits of a search that names none, by option name: every option task:search,
---batt.enumerate and batt.search_all leave out is taken from here (Rust's
---`SearchLimits::DEFAULT`, the one place they are written). The values the entries above
---give as "default" are these (a test keeps them equal).
---@type {depth: integer, max_states: integer, exhaustive: integer, keep: integer, pieces: integer, max_layers: integer, finishing: boolean, placing: boolean, filling: boolean}
batt.search_defaults = {}
---@return string where batches run, e.g. "vulkan: NVIDIA H100 80GB HBM3" or "cpu (rayon, 16 threads)"
---e.g. local where = batt.backend()  -- where:match("^cpu") or where:match("^vulkan: ")
function batt.backend() end

-- batt.dsl, the grid DSL: scripts/lib/batt_dsl_api.lua.
