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
---Logs a line tagged with the task id (also kept in results.json).
function Task:log(...) end

---@class Program  a candidate program for the batch engine: 1-7 steps
---@field length integer
---@field text string  e.g. "crop_largest | rot90"; tostring(p) gives the same
---Programs compare with ==.

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
---@field family string symmetry, objects, color, scale or regions
---@field meaning string one line
---@field usage string how it is written, e.g. "tile(down 1-4 x across 1-4)"
---@field separator string between parameters in text: ",", "x" or "->"
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

---The grid DSL (Rust). Functions take grids or tables of rows.
batt.dsl = {}
---The 8 symmetries. ARC-DSL names in brackets.
function batt.dsl.identity(g) end
function batt.dsl.rot90(g) end       -- a quarter turn clockwise
function batt.dsl.rot180(g) end
function batt.dsl.rot270(g) end      -- a quarter turn anticlockwise
function batt.dsl.flip_updown(g) end -- (hmirror) reverse the rows
function batt.dsl.flip_leftright(g) end -- (vmirror) reverse each row
function batt.dsl.transpose(g) end   -- (dmirror) main diagonal
function batt.dsl.antitranspose(g) end -- (cmirror) anti-diagonal
---@return string[] the names of the 8 symmetries, identity first
function batt.dsl.symmetries() end
---Applies a symmetry by name.
function batt.dsl.symmetry(g, name) end
---The height x width part whose top-left cell is (row, col).
function batt.dsl.crop(g, row, col, height, width) end
---The part of g under obj's bounding box.
function batt.dsl.subgrid(g, obj) end
---The smallest part of g holding every non-background cell.
function batt.dsl.crop_to_content(g) end
---Halves; the middle row/column of an odd side is left out.
function batt.dsl.tophalf(g) end
function batt.dsl.bottomhalf(g) end
function batt.dsl.lefthalf(g) end
function batt.dsl.righthalf(g) end
function batt.dsl.hconcat(a, b) end  -- side by side (same heights)
function batt.dsl.vconcat(a, b) end  -- a above b (same widths)
---Each cell becomes a k x k block (or k x kc).
function batt.dsl.upscale(g, k, kc) end
---Keeps the top-left cell of each k x k block.
function batt.dsl.downscale(g, k) end
---g repeated `down` times vertically and `across` times horizontally (default: across = down).
function batt.dsl.tile(g, down, across) end
function batt.dsl.trim(g) end        -- without the outer ring of cells
function batt.dsl.compress(g) end    -- without frontiers (rows/columns of one colour)
function batt.dsl.replace(g, a, b) end -- colour a becomes b
function batt.dsl.switch(g, a, b) end  -- colours a and b trade places
function batt.dsl.canvas(colour, rows, cols) end
---Sets cells (an Object or a list of {row, col}) to colour; cells off the grid are ignored.
function batt.dsl.fill(g, colour, cells) end
---Like fill, but only where g has its background colour.
function batt.dsl.underfill(g, colour, cells) end
---Draws an object's cells in their own colours.
function batt.dsl.paint(g, obj) end
---@return integer[] colours present, ascending
function batt.dsl.palette(g) end
function batt.dsl.mostcolor(g) end
function batt.dsl.leastcolor(g) end
function batt.dsl.colorcount(g, colour) end
---Connected components, in row-major order of their first cell.
---@param options {univalued: boolean?, diagonal: boolean?, without_bg: boolean?}|nil defaults true, false, true
---@return Object[]
function batt.dsl.objects(g, options) end
---Full rows, then full columns, of one colour.
---@return Object[]
function batt.dsl.frontiers(g) end
---Every non-background cell, as one object.
---@return Object
function batt.dsl.foreground(g) end
---An Object moved by (drow, dcol); or a grid's content moved, vacated cells taking `fill`
---(default: the background colour).
function batt.dsl.shift(obj_or_grid, drow, dcol, fill) end
---Non-background cells slide toward "up", "down", "left" or "right", keeping their order.
function batt.dsl.gravity(g, direction) end
---@return Object|nil the largest / smallest object of a list (first on ties)
function batt.dsl.largest(objects) end
function batt.dsl.smallest(objects) end

---@class CellRule
---@field name string  e.g. "cell rule (ray left, is background): 4 cases"
---@field cases integer  the cases it learned (4 there)
---@field apply fun(g: Grid): Grid|nil  nil when a cell's case was never seen in training

---Learns "each output cell's colour is a function of 1 to 3 features of the input cell"
---from pairs of equal shapes (features: colour, 8 neighbours, 8 rays, mirror images,
---enclosure, object size/height/width, parities, ...; see docs/lua-api.md). Rules consistent with
---every pair that cover every test input, fewest cases first.
---@param pairs {input: Grid, output: Grid}[]
---@param test_inputs Grid[]
---@param opts? {max_features?: integer, max_rules?: integer, keep_unseen?: boolean}
---@return CellRule[]
function batt.dsl.learn_cell_rules(pairs, test_inputs, opts) end
---The grid with its cells of `colour` filled from the symmetries the other cells obey
---(mirrors, half turns, diagonal reflections, translations), or nil.
---@return Grid|nil
function batt.dsl.complete_symmetry(g, colour) end
---The grid with its cells of `colour` filled from its own fully visible 3x3 patches (in
---any of 8 orientations): window by window, the most-seen cells first, the commonest
---patch that agrees with what the window shows; nil when none agrees, or nothing is hidden.
---@return Grid|nil
function batt.dsl.complete_from_patches(g, colour) end

-- Lists of positioned grids, with the meaning of the engine's list ops (the op table's
-- lists family: `batt ops`). A Part is {grid = Grid, row = r, col = c}: a grid and the
-- 1-based row and column of its top-left cell (a missing row or col is 1); a list is a
-- sequence of 1 to 30 Parts, 900 cells in all. Map over a list with a Lua loop
-- (`for _, p in ipairs(parts) do p.grid = p.grid:rot90() end`). Background follows the
-- ops' rule (0 when the grid has a 0 cell, else its most common colour), not ARC-DSL's.
---@class Part
---@field grid Grid
---@field row integer
---@field col integer

---The grid's parts (parts: objects, objects8, colors, cut, rows, columns), in pick's order,
---each cropped to its box with only its own cells (0 elsewhere) and lying where it was;
---nil when there are none or more than 30.
---@return Part[]|nil
function batt.dsl.split(g, parts) end
---The parts best by keep_best's criterion (`batt ops` lists them: pick's and the enclosed ones; every one tied for the best),
---in order; nil when none is (unique_color: no part holds a colour of its own).
---@return Part[]|nil
function batt.dsl.keep_best(parts, criterion) end
---The parts keep_best leaves out, in order; nil when none is left.
---@return Part[]|nil
function batt.dsl.drop_best(parts, criterion) end
---One grid of the parts laid in order, each over the ones before (0 is clear), on a canvas
---of 0 spanning their boxes; returns the grid and the row and col where it lies.
---@return Grid|nil, integer, integer
function batt.dsl.compose(parts) end
---compose with the parts laid by their non-zero cells, most first (smaller ones lie over).
---@return Grid|nil, integer, integer
function batt.dsl.compose_growing(parts) end
---The parts side by side (order: line, across, down; see the op `stack`); returns the grid
---and the row and col of the first part laid; nil past 30 cells a side.
---@return Grid|nil, integer, integer
function batt.dsl.stack(parts, order) end

-- Patches (ARC-DSL's indices) and lists of objects. A Patch is an Object or a list of
-- {row, col} pairs (1-based); positions come back as two integers (row, col), lists of
-- positions as {{row, col}, ...} sorted row-major; an offset or direction is (drow, dcol).
-- Positions given must lie within -100..100 (rows and columns); shoot's length within 0..100.
---@alias Patch Object|integer[][]
---@alias Cells integer[][]

---The upper-left corner of the patch's bounding box.
---@return integer row, integer col
function batt.dsl.ulcorner(patch) end
---The upper-right corner of the bounding box.
---@return integer row, integer col
function batt.dsl.urcorner(patch) end
---The lower-left corner of the bounding box.
---@return integer row, integer col
function batt.dsl.llcorner(patch) end
---The lower-right corner of the bounding box.
---@return integer row, integer col
function batt.dsl.lrcorner(patch) end
---The four corners of the bounding box (fewer when it is one row or column).
---@return Cells
function batt.dsl.corners(patch) end
---The middle of the bounding box (rounded toward the upper-left).
---@return integer row, integer col
function batt.dsl.center(patch) end
---The mean position of the patch's cells, rounded down.
---@return integer row, integer col
function batt.dsl.centerofmass(patch) end
---Rows of a grid, or of a patch's bounding box.
---@param x Grid|Patch
---@return integer
function batt.dsl.height(x) end
---Columns of a grid, or of a patch's bounding box.
---@param x Grid|Patch
---@return integer
function batt.dsl.width(x) end
---Height and width of a grid or of a patch's bounding box.
---@param x Grid|Patch
---@return integer height, integer width
function batt.dsl.shape(x) end
---Taller than wide.
---@param x Grid|Patch
---@return boolean
function batt.dsl.portrait(x) end
---As tall as wide (and not empty).
---@param x Grid|Patch
---@return boolean
function batt.dsl.square(x) end
---The patch is one unbroken row of cells.
---@return boolean
function batt.dsl.hline(patch) end
---The patch is one unbroken column of cells.
---@return boolean
function batt.dsl.vline(patch) end
---The patch's positions, without colours.
---@return Cells
function batt.dsl.toindices(patch) end
---Every position of the bounding box.
---@return Cells
function batt.dsl.backdrop(patch) end
---The positions of the bounding box not in the patch.
---@return Cells
function batt.dsl.delta(patch) end
---The outline of the bounding box.
---@return Cells
function batt.dsl.box(patch) end
---The outline one cell inside the bounding box (empty when it is thinner than 3).
---@return Cells
function batt.dsl.inbox(patch) end
---The outline one cell outside the bounding box (may leave the grid).
---@return Cells
function batt.dsl.outbox(patch) end
---The straight line from (row1, col1) to (row2, col2), both ends included, when they share a row, a column or a diagonal; else empty.
---@return Cells
function batt.dsl.line(row1, col1, row2, col2) end
---From (row, col), included, `length` more cells (default 30) along (drow, dcol).
---@return Cells
function batt.dsl.shoot(row, col, drow, dcol, length) end
---Every position of grid row `row`.
---@return Cells
function batt.dsl.hfrontier(g, row) end
---Every position of grid column `col`.
---@return Cells
function batt.dsl.vfrontier(g, col) end
---The 4 orthogonal neighbours of (row, col).
---@return Cells
function batt.dsl.dneighbors(row, col) end
---The 4 diagonal neighbours of (row, col).
---@return Cells
function batt.dsl.ineighbors(row, col) end
---All 8 neighbours of (row, col).
---@return Cells
function batt.dsl.neighbors(row, col) end
---The patch mirrored in its own bounding box; an Object keeps its colours.
---@param axis "updown"|"leftright"|"diagonal"|"antidiagonal"
---@return Object|Cells
function batt.dsl.mirror_patch(patch, axis) end
---The smallest city-block distance between a cell of `a` and a cell of `b`.
---@return integer
function batt.dsl.manhattan(a, b) end
---A cell of `a` touches a cell of `b` on a side.
---@return boolean
function batt.dsl.adjacent(a, b) end
---The patches share a row.
---@return boolean
function batt.dsl.hmatching(a, b) end
---The patches share a column.
---@return boolean
function batt.dsl.vmatching(a, b) end
---The direction from `a` to `b`: signs of the difference of their centres, along one axis when they share a row or a column.
---@return integer drow, integer dcol
function batt.dsl.position(a, b) end
---How far to move `source` toward `destination` until they touch (vertically when they share a column, else horizontally; at most 30 steps).
---@return integer drow, integer dcol
function batt.dsl.gravitate(source, destination) end
---A cell of the patch lies on the grid's edge.
---@return boolean
function batt.dsl.bordering(patch, g) end
---The positions of the cells of `colour`.
---@return Cells
function batt.dsl.ofcolor(g, colour) end
---The patch's cells with the grid's colours (positions outside the grid left out).
---@return Object
function batt.dsl.toobject(patch, g) end
---Every cell of the grid as one Object.
---@return Object
function batt.dsl.asobject(g) end
---The patch as an Object of one colour.
---@return Object
function batt.dsl.colored(patch, colour) end
---The grid with the patch's cells set to its background colour.
---@return Grid
function batt.dsl.cover(g, patch) end
---The grid with the Object painted only where the grid shows its background.
---@return Grid
function batt.dsl.underpaint(g, obj) end
---The Object moved by (drow, dcol) on the grid: its old cells covered, then painted anew (what falls outside is lost).
---@return Grid
function batt.dsl.move(g, obj, drow, dcol) end
---The upper-left positions where the Object (normalised to its box) lies on the grid with every cell's colour matching.
---@return Cells
function batt.dsl.occurrences(g, obj) end
---One Object per colour of the grid, in increasing colour order.
---@return Object[]
function batt.dsl.partition(g) end
---One Object per non-background colour.
---@return Object[]
function batt.dsl.fgpartition(g) end
---Cell by cell: where `a` and `b` agree that colour, elsewhere `fallback` (grids of one size).
---@return Grid
function batt.dsl.cellwise(a, b, fallback) end
---The grid cut into `n` equal parts side by side; when the width does not divide, one column between parts is a separator left out.
---@return Grid[]
function batt.dsl.hsplit(g, n) end
---The grid cut into `n` equal stacked parts (a separator row as hsplit).
---@return Grid[]
function batt.dsl.vsplit(g, n) end
---Each cell repeated `k` times across.
---@return Grid
function batt.dsl.hupscale(g, k) end
---Each cell repeated `k` times down.
---@return Grid
function batt.dsl.vupscale(g, k) end
---The number of colours of a grid or an Object.
---@param x Grid|Object
---@return integer
function batt.dsl.numcolors(x) end
---The Objects of the list that are all `colour`.
---@return Object[]
function batt.dsl.colorfilter(objects, colour) end
---The Objects of the list with `n` cells.
---@return Object[]
function batt.dsl.sizefilter(objects, n) end
---The first item of the list with the largest key(item) (a number or a boolean), or nil for an empty list.
---@param key fun(item: any): number|boolean
function batt.dsl.argmax(list, key) end
---The first item of the list with the smallest key(item).
---@param key fun(item: any): number|boolean
function batt.dsl.argmin(list, key) end
---ARC-DSL's name of flip_updown.
---@return Grid
function batt.dsl.hmirror(g) end
---ARC-DSL's name of flip_leftright.
---@return Grid
function batt.dsl.vmirror(g) end
---ARC-DSL's name of transpose.
---@return Grid
function batt.dsl.dmirror(g) end
---ARC-DSL's name of antitranspose.
---@return Grid
function batt.dsl.cmirror(g) end

-- Engine ops as DSL functions, generated from the op table for every op the functions above
-- do not already name: the parameters as in program text (colours and numbers as integers,
-- choices by name, a colour table as its 10 digits), validated like program text, run by the
-- op's CPU kernel (the search's meaning); nil when the op gives no output. Grid methods too:
-- g:smear("down") is batt.dsl.smear(g, "down").
---Crop to the bounding box of the non-background cells.
function batt.dsl.crop_content(g) end
---Crop to the bounding box of the largest object (one colour, 4-connected, not background; the first in row-major order on ties).
function batt.dsl.crop_largest(g) end
---Crop to the bounding box of the smallest object.
function batt.dsl.crop_smallest(g) end
---Keep only the largest object; everything else becomes background.
function batt.dsl.keep_largest(g) end
---Cells of colour `from` become `to`.
function batt.dsl.recolor(g, from, to) end
---Every colour x becomes the x-th digit of the table. (table: 10 digits)
function batt.dsl.permute(g, table) end
---Cells of `colour` become background.
function batt.dsl.erase(g, colour) end
---Like tile, with every odd copy mirrored (odd rows of copies upside down, odd columns left-right).
function batt.dsl.tile_mirrored(g, down, across) end
---One half; the middle line of an odd side is left out. (half: "top" | "bottom" | "left" | "right")
function batt.dsl.half(g, half) end
---Drop every row equal to the row above and every column equal to the column left of it.
function batt.dsl.dedupe(g) end
---Background cells not 4-connected to the border through background become `colour`.
function batt.dsl.fill_enclosed(g, colour) end
---Background cells touching a non-background cell (8 neighbours) become `colour`.
function batt.dsl.outline(g, colour) end
---Complete a mirror symmetry onto background cells (left-right, up-down or both; all: every symmetry of a square grid, mirrors, diagonals and quarter turns, nil on a grid that is not square). (mirror: "horizontal" | "vertical" | "both" | "all")
function batt.dsl.symmetrize(g, mirror) end
---Split in two at the middle (side by side or stacked; an odd side needs a uniform separator line there) and combine the halves cell-wise, on = non-zero, into `colour` (0 elsewhere). (split: "side" | "stacked"; logic: "and" | "or" | "xor" | "nor")
function batt.dsl.split_combine(g, split, logic, colour) end
---Non-background cells with no non-background neighbour (8 neighbours) become background.
function batt.dsl.denoise(g) end
---Cells of `colour` stay; every other cell becomes background.
function batt.dsl.keep_color(g, colour) end
---Drop every row and every column that is all background (no output when nothing is left).
function batt.dsl.drop_blank(g) end
---Non-background cells with a background 4-neighbour or on the grid's edge stay; other non-background cells become background.
function batt.dsl.border(g) end
---Non-background cells whose 4 neighbours are all inside the grid and not background become `colour`.
function batt.dsl.interior(g, colour) end
---Background cells between two cells of one non-background colour on their row (horizontal), column (vertical) or either (both; the row first) take that colour. (axis: "horizontal" | "vertical" | "both")
function batt.dsl.connect(g, axis) end
---Background cells take the colour of the nearest non-background cell before them, looking against `direction` (each colour runs on toward that side, or corner). (direction: "up" | "down" | "left" | "right" | "up_left" | "up_right" | "down_left" | "down_right")
function batt.dsl.smear(g, direction) end
---Crop to the bounding box of one object (4-connected non-background cells of any colours): the one with the most or fewest cells, the largest or smallest bounding box, or the most or fewest colours (the first in row-major order on ties). (criterion: "largest" | "smallest" | "largest_box" | "smallest_box" | "most_colors" | "fewest_colors")
function batt.dsl.crop_object(g, criterion) end
---A `rows`×`cols` grid of the grid repeated from the top-left (cut off at the far sides).
function batt.dsl.repeat_to(g, rows, cols) end
---Like repeat_to with every odd copy mirrored, as tile_mirrored.
function batt.dsl.mirror_to(g, rows, cols) end
---A `rows`×`cols` grid of background with the grid at its top-left (cut off where it does not fit).
function batt.dsl.embed(g, rows, cols) end
---Split into parts (objects: 4-connected non-background cells of any colours; objects8: the same, 8-connected; colors: all cells of one non-background colour, colours in increasing order; cut: the rectangles between separator lines, the full rows and columns of the colour of the first one-colour non-background row, else column, row-major; rows; columns), pick the best by the criterion (the first on ties) and crop to its bounding box with only its own cells (other cells become background; a cut part, row or column keeps all its cells). Criteria: most or fewest (non-background) cells, largest or smallest bounding box, most or fewest colours, the topmost, bottommost, leftmost or rightmost box edge, most or fewest background cells inside the box; unique_color: the one part holding the colours no other part holds (no output when no colour is held by one part alone, or two parts hold such colours). (parts: "objects" | "objects8" | "colors" | "cut" | "rows" | "columns" | "components" | "framed"; criterion: "largest" | "smallest" | "largest_box" | "smallest_box" | "most_colors" | "fewest_colors" | "top" | "bottom" | "left" | "right" | "most_holes" | "fewest_holes" | "unique_color")
---@return Grid|nil
function batt.dsl.pick(g, parts, criterion) end
---A 1x1 grid of the most common non-background colour (ties: the smallest); no output when every cell is background.
---@return Grid|nil
function batt.dsl.majority_color(g) end
---N = the non-background cells, the distinct non-background colours or the objects (4-connected non-background cells of any colours), drawn as a 1xN row, an Nx1 column or an NxN square of the most common non-background colour; no output when N is 0 or over 30. (what: "cells" | "colors" | "objects"; shape: "row" | "column" | "square")
---@return Grid|nil
function batt.dsl.count(g, what, shape) end
---Background cells inside the bounding box of the non-background cells become `colour` (the grid unchanged when every cell is background).
function batt.dsl.fill_box(g, colour) end
---Cells on the grid's edge become `colour`.
function batt.dsl.frame(g, colour) end
---A `rows`×`cols` grid, each cell taking the cell at the same relative place (nearest, rounded down): scales by any factor, up or down, to the target size.
function batt.dsl.resize_to(g, rows, cols) end
---The cells read row by row, written row by row into a `rows`×`cols` grid (background where they run out; cut off where they do not fit).
function batt.dsl.wrap_to(g, rows, cols) end
---The grid inside a one-cell ring of `colour` (two rows and columns larger).
---@return Grid|nil
function batt.dsl.pad(g, colour) end
---The grid without its outermost ring of cells.
---@return Grid|nil
function batt.dsl.unpad(g) end
---Every non-background colour spreads over the background, one 4-neighbour step at a time from all its cells at once (breadth-first from the cells in row-major order, neighbours up, down, left, right; the first colour to reach a cell keeps it); skip_majority leaves the most common non-background colour where it is. (colours: "all" | "skip_majority")
function batt.dsl.spread(g, colours) end
---The part pick chooses (same parts and criteria), kept in place: the grid keeps its size, the part's own cells stay (a cut part, row or column: all its cells) and every other cell becomes background. (parts: "objects" | "objects8" | "colors" | "cut" | "rows" | "columns" | "components" | "framed"; criterion: "largest" | "smallest" | "largest_box" | "smallest_box" | "most_colors" | "fewest_colors" | "top" | "bottom" | "left" | "right" | "most_holes" | "fewest_holes" | "unique_color")
---@return Grid|nil
function batt.dsl.isolate(g, parts, criterion) end
---The grid brought to its pair's output size by embed, resize_to, repeat_to, mirror_to or wrap_to: in a search, a train input's output size, and for a test input the size the train pairs' input and output sizes predict (no output when none is predicted); outside a search no size is known and it gives no output. A grid alone has no pair, so here it always gives nil: call the fit's own op with the size (batt.dsl.embed(g, rows, cols), ...). (fit: "embed" | "resize" | "repeat" | "mirror" | "wrap")
---@return nil
function batt.dsl.to_output_size(g, fit) end
---The grid unchanged, its position forgotten. A grid alone lies at row 0, column 0, so here it returns the grid as it is; positions matter in programs (see place).
---@return Grid
function batt.dsl.to_origin(g) end
---The grid at its position (where a crop found it in the input) on a background-0 canvas of its pair's output size. A grid alone has no pair, so here it always gives nil; in a search's programs (`crop_largest | flip_leftright | place`) it puts a piece back where it was.
---@return nil
function batt.dsl.place(g) end
---A canvas of its pair's output size covered by copies of the grid laid outward from its position, one copy where the grid lies (mirrored: every other copy mirrored). A grid alone has no pair, so here it always gives nil; in a search's programs (`crop_content | repeat_around(plain)`) it repeats a piece in step with where it was cut from; batt.dsl.repeat_to and mirror_to repeat from the top-left. (copies: "plain" | "mirrored")
---@return nil
function batt.dsl.repeat_around(g, copies) end
---A list state of the grid's parts, as pick makes them (program text only: a program whose result is a list has no output, so here it always gives nil; `split(objects) | flip_leftright | compose` in batt.eval or a search maps a step over every part; batt.dsl.objects gives a solver the parts as Objects). (parts: "objects" | "objects8" | "colors" | "cut" | "rows" | "columns" | "components" | "framed")
---@return nil
function batt.dsl.split(g, parts) end
---One grid from a list state, its elements laid in order where they lie. A grid is no list, so here it always gives nil (program text: `split(objects) | rot90 | compose`).
---@return nil
function batt.dsl.compose(g) end
---A list state's elements best by pick's criterion (program text only, after split; here always nil). (criterion: "largest" | "smallest" | "largest_box" | "smallest_box" | "most_colors" | "fewest_colors" | "top" | "bottom" | "left" | "right" | "most_holes" | "fewest_holes" | "unique_color")
---@return nil
function batt.dsl.keep_best(g, criterion) end
---A list state's other elements: those keep_best leaves out (program text only, after split; here always nil). (criterion: as keep_best)
---@return nil
function batt.dsl.drop_best(g, criterion) end
