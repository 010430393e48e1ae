---@meta
-- scripts/lib/batt_dsl_api.lua: `batt.dsl`, the grid DSL batt's Rust host gives every
-- script, written as annotated stubs like scripts/lib/batt_api.lua (the rest of the `batt`
-- API, and the conventions both follow: rows and columns from 1, colours 0..9). batt
-- provides the real functions; this file is never loaded.
error("scripts/lib/batt_dsl_api.lua only documents the batt.dsl API; do not require it")

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
---The rule object learn_cell_rules gives, rebuilt from its cases written out (what `batt
---show ID --results RUN --export lua` writes for a learned rule): `features` names 1 to 3
---features as a rule's name does; each case gives their values (`when`: 0-15, or "none",
---a colour-valued feature's "outside the grid" or "nothing along the ray") and the output:
---a colour, or `copy`, a colour-valued feature whose colour the cell takes ("colour": its
---own). A cell of a case not listed gives no answer (nil), or with `keep_unseen` keeps its
---colour.
---@param spec {features: string[], cases: {when: (integer|"none")[], colour: integer?, copy: string?}[], keep_unseen: boolean?}
---@return CellRule
---e.g. local r = batt.dsl.cell_rule{features = {"colour"}, cases = {{when = {0}, colour = 5}, {when = {7}, copy = "colour"}}}  -- tostring(r.apply(batt.grid{{0, 7}})) == "57" and r.name == "cell rule (colour): 2 cases"
function batt.dsl.cell_rule(spec) end
---A grid's colours renamed by how common they are (the commonest becomes 0, the next 1,
---...; ties and absent colours in ascending order), as two 10-digit `permute` tables:
---`forward` renames, `back` renames back (how "colours ranked, then cell rule" reads grids).
---@return string forward, string back
---e.g. local f, b = batt.dsl.colour_ranks(batt.grid{{3, 3, 1}})  -- f == "2130456789" and b == "3102456789"
function batt.dsl.colour_ranks(g) end
---Layers laid as a search's overlay lays them: `layers` is {{grid, mode}, ...} in the order
---laid, the first laid winning a cell; "foreground" paints a grid's non-zero cells,
---"background" its zero cells, "whole" all of them. Cells no layer paints are 0, or with
---`fill` filled from the laid grid's own 3x3 patches (nil when that fails); nil when the
---grids differ in shape.
---@return Grid|nil
---e.g. local g = batt.dsl.lay({{batt.grid{{0, 2}}, "foreground"}, {batt.grid{{3, 3}}, "whole"}})  -- tostring(g) == "32"
function batt.dsl.lay(layers, fill) end
---`input` as a search variant of `task` sees it ("normalised" or "shaped": colours renamed
---by the variant's task-wide heuristic; "transposed"), and a function that maps an answer
---in the variant's terms back to the task's.
---@return Grid seen, fun(answer: Grid): Grid restore
---e.g. local seen, restore = batt.dsl.variant_input(task, "transposed", input)  -- seen == input:transpose() and restore(seen) == input
function batt.dsl.variant_input(task, kind, input) end
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
