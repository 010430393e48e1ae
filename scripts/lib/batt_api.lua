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
function Grid:get(row, col) end
---Sets a cell in place (grids are mutable; DSL functions return new grids).
function Grid:set(row, col, colour) end
---@return integer rows, integer cols
function Grid:size() end
---@return Grid an independent copy
function Grid:copy() end
---@return integer[][] rows of colours (1-based Lua tables)
function Grid:totable() end

---@class Object  a set of coloured cells, from batt.dsl.objects / frontiers / foreground
---@field size integer number of cells
---@field color integer most common colour of its cells
---@field height integer bounding-box height
---@field width integer bounding-box width
local Object = {}
---@return integer top, integer left, integer bottom, integer right  (1-based, inclusive)
function Object:bbox() end
---@return integer[][] list of {row, col, colour}
function Object:cells() end
---@return integer[] colours present, ascending
function Object:palette() end
---@return Object moved by (drow, dcol)
function Object:shift(drow, dcol) end
---@return Object moved so its bounding box starts at row 1, column 1
function Object:normalize() end
---@return Grid the object alone on its bounding box, `background` (default 0) elsewhere
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
function Task:predict(i, attempt1, attempt2, sources, passed_over) end
---Evaluates every program on every train pair in one engine batch (GPU or CPU) and
---records each as a candidate named by its text.
---@param programs (string|table|Program)[]
---@param tag string|nil  counted in the engine stats (default "score_programs")
---@return Score[]  one per program, each with a `program` field
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
---e.g. `task:search{ops = task:alphabet{lists = false}, depth = 2}`
---@param options {extended: boolean?, lines: boolean?, lists: boolean?, output_size: boolean?, colour_map: table<integer, integer>?}?
---@return string[]
function Task:alphabet(options) end
---Logs a line tagged with the task id (also kept in results.json).
function Task:log(...) end

---@class Program  a candidate program for the batch engine: 1-7 steps
---@field length integer
---@field text string  e.g. "crop_largest | rot90"; tostring(p) gives the same
---Programs compare with ==.
local Program = {}
---The program on one grid, by the CPU kernels (no batch): the output grid, or nil where a
---step cannot apply. `size` = {rows, cols} is the pair's output size that to_output_size,
---place and repeat_around need (without it they give nil), as a search knows it.
---e.g. `batt.program("unpad | place"):apply(input, {10, 10})`
---@param grid Grid
---@param size integer[]?
---@return Grid?
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
function Batch:add(program, input, expected, tag) end
---Evaluates the pending items now.
function Batch:flush() end
---@return integer items added and not yet evaluated
function Batch:pending() end
---@return {items_added: integer, items_evaluated: integer, batches: integer, cache_hits: integer, cache_hit_rate: number, per_op: table<string, integer>, per_tag: table<string, integer>, upload_ms: number, compute_ms: number, readback_ms: number, cpu_ms: number, backend: string, line: string}
function Batch:stats() end

---@class Handle  one item of a batch
local Handle = {}
---Flushes the batch if needed.
---@return boolean exact, integer cells_matched, boolean shape_matched
function Handle:score() end
---The output grid (evaluated again if it was not asked for), or nil when the program
---could not apply.
---@return Grid|nil
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
function batt.single_worker() end

---Keeps a copy of `value` for later runs of the session (watch mode) and every worker of
---this run: nil, booleans, numbers, strings, grids and tables of those.
---batt.keep(key, nil) forgets it.
function batt.keep(key, value) end
---The value kept under `key` by this run or an earlier one, or nil.
function batt.kept(key) end
---@return number seconds since the run began (a wall clock)
function batt.now() end

---Iterates over the tasks selected on the command line: each step hands this worker the
---next task no worker has taken. Asking for the next task ends the current one; a task's
---methods work only until then.
---@return fun(): Task|nil
function batt.tasks() end
---@return integer number of tasks selected (the whole selection, in every worker)
function batt.task_count() end
---A grid from rows of colours, validated (ragged rows, colours, sizes).
---@param rows integer[][]
---@return Grid
function batt.grid(rows) end
---An object from a list of {row, col, colour}.
---@return Object
function batt.object(cells) end
---@return boolean exact, integer cells_matched, boolean same_shape
function batt.compare(a, b) end
---Prints a line on stderr, tagged with the current task; `print` does the same.
function batt.log(...) end

---A program from its text ("rot90 | tile(2x2) | recolor(1->2)") or a table of steps
---({"rot90", {"tile", 2, 2}, {"recolor", 1, 2}}). Ops: see batt.ops() and docs/engine.md.
---@return Program
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
function batt.ops() end
---A batch on the run's engine; backend "auto" (the run's --backend), "gpu" or "cpu".
---@param options {size: integer?, backend: string?, outputs: boolean?}|nil size defaults to 65536
---@return Batch
function batt.batch(options) end
---Every program on every input in one batch (the cross product a search runs).
---result[p][i] = {produced, exact, cells, shape, rows, cols, output (with outputs = true)}
---@param programs (string|table|Program)[]
---@param inputs Grid[]
---@param expecteds Grid[]|nil  one per input, to score against
---@param options {outputs: boolean?, backend: string?, tag: string?}|nil
function batt.eval(programs, inputs, expecteds, options) end
---Like Task:search, for any input/output pairs: {inputs =, outputs =, tests = (inputs riding
---along, optional), ops =, depth =, ...}.
function batt.enumerate(options) end
---The searches of every task the loop has not reached yet, run together: one level of all
---of them is one batch (one GPU dispatch, or a few). `ops(task)` gives each task's alphabet
---(the task has id, train and test; its methods work only inside the loop); a task whose
---`ops` raises an error is left out. Each task's task:search with the same ops, limits and
---variants then returns the ready result. With `variants`, each variant of each task (see
---Task:search) is searched in the same batch, `ops` called with the variant's task.
---@param options {ops: fun(task: Task): string[], depth: integer?, max_states: integer?, exhaustive: integer?, keep: integer?, pieces: integer?, max_layers: integer?, variants: string[]?, finishing: boolean?, placing: boolean?, filling: boolean?, backend: string?}
---@return {tasks: integer, skipped: integer, evaluated: integer, candidates: integer, seconds: number}  evaluated: step applications; candidates: (state, step) pairs, each on all of its task's train and test inputs
function batt.search_all(options) end
---The limits of a search that names none, by option name: every option task:search,
---batt.enumerate and batt.search_all leave out is taken from here (Rust's
---`SearchLimits::DEFAULT`, the one place they are written). The values the entries above
---give as "default" are these (a test keeps them equal).
---@type {depth: integer, max_states: integer, exhaustive: integer, keep: integer, pieces: integer, max_layers: integer, finishing: boolean, placing: boolean, filling: boolean}
batt.search_defaults = {}
---@return string where batches run, e.g. "vulkan: NVIDIA H100 80GB HBM3" or "cpu (rayon, 16 threads)"
function batt.backend() end

-- batt.dsl, the grid DSL: scripts/lib/batt_dsl_api.lua.
