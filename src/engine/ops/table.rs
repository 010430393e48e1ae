//! The op table: every op the engine knows, once. Everything else follows from it: the
//! `Op` enum, parsing, validation and display of steps, `batt.ops()`, the bench's and the
//! property tests' random programs, docs/engine.md's op table, and the shader's op constants and
//! dispatch (`build.rs` generates the code that needs names). Data only: `build.rs`
//! reads this file too. Background, where an op needs one, is 0 when the grid has a 0
//! cell, else its most common colour (ties: the smallest); the DSL's functions keep
//! ARC-DSL's rule (the most common colour), the references pass the ops' one.
//!
//! Adding an op: one entry here (the next code), a CPU kernel `<name>` and a reference
//! `<name>_reference` in `src/engine/ops/<family>.rs`, a GLSL `bool op_<name>(uvec4 step,
//! uint s, uint d)` in `shaders/ops/<family>.glsl`. A missing one fails the build.

use super::spec::{rule, AlphabetRule, Args, OpSpec, Param, ParamKind, When};

const COLOR: Param = Param { name: "colour", kind: ParamKind::Color };
const FROM: Param = Param { name: "from", kind: ParamKind::Color };
const TO: Param = Param { name: "to", kind: ParamKind::Color };
const FACTOR: Param = Param { name: "factor", kind: ParamKind::Int { lo: 2, hi: 4 } };
const DOWN: Param = Param { name: "down", kind: ParamKind::Int { lo: 1, hi: 4 } };
const ACROSS: Param = Param { name: "across", kind: ParamKind::Int { lo: 1, hi: 4 } };
const ROWS: Param = Param { name: "rows", kind: ParamKind::Int { lo: 1, hi: 30 } };
const COLS: Param = Param { name: "cols", kind: ParamKind::Int { lo: 1, hi: 30 } };
const DOWN_BY: Param = Param { name: "down", kind: ParamKind::Offset { max: 2 } };
const ACROSS_BY: Param = Param { name: "across", kind: ParamKind::Offset { max: 2 } };

/// Names of choice parameters, indexed by the parameter's value.
pub const HALVES: &[&str] = &["top", "bottom", "left", "right"];
pub const DIRECTIONS: &[&str] = &["up", "down", "left", "right"];
/// smear's directions: the four sides, then the four diagonals.
pub const SMEAR_DIRECTIONS: &[&str] = &["up", "down", "left", "right", "up_left", "up_right", "down_left", "down_right"];
pub const MIRRORS: &[&str] = &["horizontal", "vertical", "both", "all"];
pub const SPLITS: &[&str] = &["side", "stacked"];
pub const LOGICS: &[&str] = &["and", "or", "xor", "nor"];
pub const AXES: &[&str] = &["horizontal", "vertical", "both"];
pub const CRITERIA: &[&str] = &["largest", "smallest", "largest_box", "smallest_box", "most_colors", "fewest_colors"];
/// What `count` counts, and the shape it draws the count as.
pub const COUNTED: &[&str] = &["cells", "colors", "objects"];
pub const COUNT_SHAPES: &[&str] = &["row", "column", "square"];
/// Which colours `spread` spreads.
pub const SPREADS: &[&str] = &["all", "skip_majority"];
/// How `to_output_size` brings a grid to its pair's output size: the op of that name
/// (`embed`, `resize_to`, `repeat_to`, `mirror_to`, `wrap_to`) at that size.
pub const OUTPUT_FITS: &[&str] = &["embed", "resize", "repeat", "mirror", "wrap"];
/// How `pick` splits a grid into parts.
/// (`components`, icecuber's splitAll, and `framed`, its insideMarked, came last: the codes
/// before them stay.)
pub const PARTS: &[&str] = &["objects", "objects8", "colors", "cut", "rows", "columns", "components", "framed"];
/// How `pick` ranks the parts: crop_object's criteria, then the side the part's bounding
/// box reaches furthest toward, then the background cells inside its bounding box, then
/// the part with a colour of its own.
pub const PICK_CRITERIA: &[&str] = &[
    "largest", "smallest", "largest_box", "smallest_box", "most_colors", "fewest_colors", "top", "bottom", "left", "right", "most_holes", "fewest_holes", "unique_color",
];

/// Elements of a list state at most (`split` gives no output for more parts); the
/// elements' cells together are at most 900, as a grid's.
pub const MAX_PARTS: usize = 30;
/// The criteria `keep_best` and `drop_best` rank a list's elements by: pick's, then the most
/// or fewest enclosed cells (icecuber's interior criteria).
pub const LIST_CRITERIA: &[&str] = &[
    "largest", "smallest", "largest_box", "smallest_box", "most_colors", "fewest_colors", "top", "bottom", "left", "right", "most_holes", "fewest_holes", "unique_color", "most_enclosed", "fewest_enclosed",
];
/// How `stack` orders a list's elements and which way it lays them.
pub const STACKINGS: &[&str] = &["line", "across", "down"];
/// How `repeat_around` lays its copies: all as they are, or every other one mirrored.
pub const COPIES: &[&str] = &["plain", "mirrored"];

/// The tilings the alphabet tries: up to 3 copies each way, not the grid alone.
const TILINGS: &[&str] = &["1x2", "1x3", "2x1", "2x2", "2x3", "3x1", "3x2", "3x3"];
/// The shifts the alphabet tries: one cell toward each of the 8 neighbours.
const NEIGHBOUR_SHIFTS: &[&str] = &["-1,-1", "-1,0", "-1,1", "0,-1", "0,1", "1,-1", "1,0", "1,1"];
/// The parts pick and split make in the alphabet (`extended` adds `EXTENDED_PARTS`).
const SEARCHED_PARTS: &[&str] = &["objects", "objects8", "components", "colors", "cut"];
const EXTENDED_PARTS: &[&str] = &["rows", "columns", "framed"];
/// A rule for each output colour, at `place` among the output-colour group's ops.
const EACH_OUTPUT_COLOUR: u16 = 70;
/// The steps a task instantiates only when one of the alphabet's options asks.
const fn lines(group: u16, args: Args) -> AlphabetRule {
    rule(group, args).when(When::Lines)
}
const fn lists(group: u16, args: Args) -> AlphabetRule {
    rule(group, args).when(When::Lists)
}
const fn extended(group: u16, args: Args) -> AlphabetRule {
    rule(group, args).when(When::Extended)
}

/// An op whose parameters are written comma-separated (most are).
const fn op(code: u32, name: &'static str, family: &'static str, params: &'static [Param], meaning: &'static str) -> OpSpec {
    op_sep(code, name, family, params, ",", meaning)
}

const fn op_sep(code: u32, name: &'static str, family: &'static str, params: &'static [Param], separator: &'static str, meaning: &'static str) -> OpSpec {
    OpSpec { code, name, family, params, separator, meaning, alphabet: &[] }
}

pub const OPS: &[OpSpec] = &[
    op(0, "identity", "symmetry", &[], "The grid unchanged.").in_alphabet(&[rule(10, Args::Every)]),
    op(1, "rot90", "symmetry", &[], "A quarter turn clockwise.").in_alphabet(&[rule(10, Args::Every)]),
    op(2, "rot180", "symmetry", &[], "A half turn.").in_alphabet(&[rule(10, Args::Every)]),
    op(3, "rot270", "symmetry", &[], "A quarter turn counter-clockwise.").in_alphabet(&[rule(10, Args::Every)]),
    op(4, "flip_updown", "symmetry", &[], "Rows in reverse order (mirror across the horizontal axis).").in_alphabet(&[rule(10, Args::Every)]),
    op(5, "flip_leftright", "symmetry", &[], "Columns in reverse order (mirror across the vertical axis).").in_alphabet(&[rule(10, Args::Every)]),
    op(6, "transpose", "symmetry", &[], "Mirror across the main diagonal.").in_alphabet(&[rule(10, Args::Every)]),
    op(7, "antitranspose", "symmetry", &[], "Mirror across the anti-diagonal.").in_alphabet(&[rule(10, Args::Every)]),
    op(8, "crop_content", "objects", &[], "Crop to the bounding box of the non-background cells.").in_alphabet(&[rule(10, Args::Every)]),
    op(9, "crop_largest", "objects", &[], "Crop to the bounding box of the largest object (one colour, 4-connected, not background; the first in row-major order on ties).").in_alphabet(&[rule(10, Args::Every)]),
    op(10, "crop_smallest", "objects", &[], "Crop to the bounding box of the smallest object.").in_alphabet(&[rule(10, Args::Every)]),
    op(11, "keep_largest", "objects", &[], "Keep only the largest object; everything else becomes background.").in_alphabet(&[rule(10, Args::Every)]),
    op_sep(12, "recolor", "color", &[FROM, TO], "->", "Cells of colour `from` become `to`.").in_alphabet(&[rule(80, Args::EachInputToOutputColour)]),
    op(13, "paint", "color", &[COLOR], "Every non-background cell becomes `colour`.").in_alphabet(&[rule(EACH_OUTPUT_COLOUR, Args::EachOutputColour).place(3)]),
    op(14, "permute", "color", &[Param { name: "table", kind: ParamKind::ColorTable }], "Every colour x becomes the x-th digit of the table.").in_alphabet(&[rule(160, Args::LearnedColourMap)]),
    op(15, "erase", "color", &[COLOR], "Cells of `colour` become background.").in_alphabet(&[rule(80, Args::EachInputColour)]),
    op(16, "upscale", "scale", &[FACTOR], "Each cell becomes a `factor`×`factor` block.").in_alphabet(&[rule(30, Args::Every)]),
    op(17, "downscale", "scale", &[FACTOR], "Keeps the top-left cell of each `factor`×`factor` block.").in_alphabet(&[rule(30, Args::Every)]),
    op_sep(18, "tile", "scale", &[DOWN, ACROSS], "x", "The grid repeated `down` times down and `across` times across.").in_alphabet(&[rule(40, Args::Listed(TILINGS))]),
    op_sep(19, "tile_mirrored", "scale", &[DOWN, ACROSS], "x", "Like tile, with every odd copy mirrored (odd rows of copies upside down, odd columns left-right).").in_alphabet(&[rule(40, Args::Listed(TILINGS))]),
    op(20, "half", "scale", &[Param { name: "half", kind: ParamKind::Choice(HALVES) }], "One half; the middle line of an odd side is left out.").in_alphabet(&[rule(20, Args::Every)]),
    op(21, "dedupe", "scale", &[], "Drop every row equal to the row above and every column equal to the column left of it.").in_alphabet(&[rule(10, Args::Every)]),
    op(22, "gravity", "regions", &[Param { name: "direction", kind: ParamKind::Choice(DIRECTIONS) }], "Non-background cells slide toward a side.").in_alphabet(&[rule(50, Args::Every)]),
    op(23, "fill_enclosed", "regions", &[COLOR], "Background cells not 4-connected to the border through background become `colour`.").in_alphabet(&[rule(EACH_OUTPUT_COLOUR, Args::EachOutputColour).place(1)]),
    op(24, "outline", "regions", &[COLOR], "Background cells touching a non-background cell (8 neighbours) become `colour`.").in_alphabet(&[rule(EACH_OUTPUT_COLOUR, Args::EachOutputColour).place(2)]),
    op(25, "symmetrize", "regions", &[Param { name: "mirror", kind: ParamKind::Choice(MIRRORS) }], "Complete a mirror symmetry onto background cells (left-right, up-down or both); all: every symmetry of the square (mirrors, diagonals, quarter turns: each background cell takes the first non-background one of its images left-right, up-down, turned half, transposed, anti-transposed, turned a quarter anticlockwise, a quarter clockwise), no output on a grid that is not square.").in_alphabet(&[rule(60, Args::Listed(&["horizontal", "vertical", "both"])), extended(310, Args::Listed(&["all"]))]),
    op(
        26,
        "split_combine",
        "regions",
        &[
            Param { name: "split", kind: ParamKind::Choice(SPLITS) },
            Param { name: "logic", kind: ParamKind::Choice(LOGICS) },
            COLOR,
        ],
        "Split in two at the middle (side by side or stacked; an odd side needs a uniform separator line there) and combine the halves cell-wise, on = non-zero, into `colour` (0 elsewhere).",
    ).in_alphabet(&[rule(EACH_OUTPUT_COLOUR, Args::EachOutputColour).place(7)]),
    op(27, "denoise", "regions", &[], "Non-background cells with no non-background neighbour (8 neighbours) become background.").in_alphabet(&[rule(10, Args::Every)]),
    op(28, "keep_color", "color", &[COLOR], "Cells of `colour` stay; every other cell becomes background.").in_alphabet(&[lines(220, Args::EachInputColour)]),
    op(29, "drop_blank", "scale", &[], "Drop every row and every column that is all background (no output when nothing is left).").in_alphabet(&[extended(320, Args::Every)]),
    op(30, "border", "regions", &[], "Non-background cells with a background 4-neighbour or on the grid's edge stay; other non-background cells become background.").in_alphabet(&[lines(190, Args::Every)]),
    op(31, "interior", "regions", &[COLOR], "Non-background cells whose 4 neighbours are all inside the grid and not background become `colour`.").in_alphabet(&[lines(230, Args::EachOutputColour)]),
    op(32, "connect", "regions", &[Param { name: "axis", kind: ParamKind::Choice(AXES) }], "Background cells between two cells of one non-background colour on their row (horizontal), column (vertical) or either (both; the row first) take that colour.").in_alphabet(&[lines(200, Args::Every)]),
    op(33, "smear", "regions", &[Param { name: "direction", kind: ParamKind::Choice(SMEAR_DIRECTIONS) }], "Background cells take the colour of the nearest non-background cell before them, looking against `direction` (each colour runs on toward that side, or corner).").in_alphabet(&[lines(210, Args::Every)]),
    op(34, "crop_object", "objects", &[Param { name: "criterion", kind: ParamKind::Choice(CRITERIA) }], "Crop to the bounding box of one object (4-connected non-background cells of any colours): the one with the most or fewest cells, the largest or smallest bounding box, or the most or fewest colours (the first in row-major order on ties).").in_alphabet(&[extended(280, Args::Every)]),
    op_sep(35, "repeat_to", "scale", &[ROWS, COLS], "x", "A `rows`×`cols` grid of the grid repeated from the top-left (cut off at the far sides).").in_alphabet(&[rule(170, Args::OutputSize)]),
    op_sep(36, "mirror_to", "scale", &[ROWS, COLS], "x", "Like repeat_to with every odd copy mirrored, as tile_mirrored.").in_alphabet(&[rule(170, Args::OutputSize)]),
    op_sep(37, "embed", "scale", &[ROWS, COLS], "x", "A `rows`×`cols` grid of background with the grid at its top-left (cut off where it does not fit).").in_alphabet(&[rule(170, Args::OutputSize)]),
    op(38, "pick", "objects", &[Param { name: "parts", kind: ParamKind::Choice(PARTS) }, Param { name: "criterion", kind: ParamKind::Choice(PICK_CRITERIA) }], "Split into parts (objects: 4-connected non-background cells of any colours; objects8: the same, 8-connected; colors: all cells of one non-background colour, colours in increasing order; cut: the rectangles between separator lines, the full rows and columns of the colour of the first one-colour non-background row, else column, row-major; rows; columns; components: 4-connected cells of one non-background colour, row-major like objects; framed: the inside of each frame, a component that is exactly the one-cell border of a box of at least 3x3, row-major like components), pick the best by the criterion (the first on ties) and crop to its bounding box with only its own cells (other cells become background; a cut part, row, column or frame's inside keeps all its cells). Criteria: most or fewest (non-background) cells, largest or smallest bounding box, most or fewest colours, the topmost, bottommost, leftmost or rightmost box edge, most or fewest background cells inside the box; unique_color: the one part holding the colours no other part holds (no output when no colour is held by one part alone, or two parts hold such colours).").in_alphabet(&[rule(90, Args::FirstListed(SEARCHED_PARTS)), extended(290, Args::FirstListed(EXTENDED_PARTS))]),
    op(39, "majority_color", "color", &[], "A 1x1 grid of the most common colour other than 0 (ties: the smallest; a grid without 0: its most common colour, as icecuber's majority colour); no output when every cell is 0.").in_alphabet(&[rule(140, Args::Every)]),
    op(40, "count", "objects", &[Param { name: "what", kind: ParamKind::Choice(COUNTED) }, Param { name: "shape", kind: ParamKind::Choice(COUNT_SHAPES) }], "N = the non-background cells, the distinct non-background colours or the objects (4-connected non-background cells of any colours), drawn as a 1xN row, an Nx1 column or an NxN square of the most common non-background colour; no output when N is 0 or over 30.").in_alphabet(&[rule(150, Args::Every)]),
    op(41, "fill_box", "regions", &[COLOR], "Background cells inside the bounding box of the non-background cells become `colour` (the grid unchanged when every cell is background).").in_alphabet(&[rule(EACH_OUTPUT_COLOUR, Args::EachOutputColour).place(4)]),
    op(42, "frame", "regions", &[COLOR], "Cells on the grid's edge become `colour`.").in_alphabet(&[rule(EACH_OUTPUT_COLOUR, Args::EachOutputColour).place(5)]),
    op_sep(43, "resize_to", "scale", &[ROWS, COLS], "x", "A `rows`×`cols` grid, each cell taking the cell at the same relative place (nearest, rounded down): scales by any factor, up or down, to the target size.").in_alphabet(&[rule(170, Args::OutputSize)]),
    op_sep(44, "wrap_to", "scale", &[ROWS, COLS], "x", "The cells read row by row, written row by row into a `rows`×`cols` grid (background where they run out; cut off where they do not fit).").in_alphabet(&[rule(170, Args::OutputSize)]),
    op(45, "pad", "scale", &[COLOR], "The grid inside a one-cell ring of `colour` (two rows and columns larger; no output over 30).").in_alphabet(&[rule(EACH_OUTPUT_COLOUR, Args::EachOutputColour).place(6)]),
    op(46, "unpad", "scale", &[], "The grid without its outermost ring of cells (no output when a side is under 3).").in_alphabet(&[rule(10, Args::Every)]),
    op(47, "shift", "scale", &[DOWN_BY, ACROSS_BY], "The cells moved `down` rows and `across` columns (negative: up, left); vacated cells become background, cells moved off the grid are lost.").in_alphabet(&[rule(110, Args::Listed(NEIGHBOUR_SHIFTS))]),
    op(48, "spread", "regions", &[Param { name: "colours", kind: ParamKind::Choice(SPREADS) }], "Every non-background colour spreads over the background, one 4-neighbour step at a time from all its cells at once (breadth-first from the cells in row-major order, neighbours up, down, left, right; the first colour to reach a cell keeps it); skip_majority leaves the most common non-background colour where it is.").in_alphabet(&[rule(130, Args::Every)]),
    op(49, "isolate", "objects", &[Param { name: "parts", kind: ParamKind::Choice(PARTS) }, Param { name: "criterion", kind: ParamKind::Choice(PICK_CRITERIA) }], "The part pick chooses (same parts and criteria), kept in place: the grid keeps its size, the part's own cells stay (a cut part, row, column or frame's inside: all its cells) and every other cell becomes background.").in_alphabet(&[rule(100, Args::FirstListed(&["objects", "colors"]))]),
    op(50, "to_output_size", "scale", &[Param { name: "fit", kind: ParamKind::Choice(OUTPUT_FITS) }], "The grid brought to its pair's output size by embed, resize_to, repeat_to, mirror_to or wrap_to: in a search, a train input's output size, and for a test input the size the train pairs' input and output sizes predict (no output when none is predicted); outside a search no size is known and it gives no output.").in_alphabet(&[rule(180, Args::EveryWhenOutputSizesVary)]),
    op(51, "to_origin", "scale", &[], "The grid unchanged, its position forgotten (it lies at row 0, column 0). A grid's position is where its top-left cell lies in the input: a crop (crop_content, crop_largest, crop_smallest, crop_object, pick, half, unpad) moves it to the part it keeps, every other op keeps it, and a grid reaching past the 30×30 frame from it lies at row 0, column 0.").in_alphabet(&[rule(0, Args::Never("written by hand: a search's states keep their positions, and `place` uses them"))]),
    op(52, "place", "scale", &[], "The grid at its position (see to_origin) on a background-0 canvas of its pair's output size, as to_output_size knows it (a grid of that size is unchanged); no output when the size is unknown (outside a search) or the grid does not fit there from its position.").in_alphabet(&[rule(0, Args::Never("the search's own finishing step (`placing = true` lays every candidate at its position)"))]),
    op(53, "split", "lists", &[Param { name: "parts", kind: ParamKind::Choice(PARTS) }], "A list state: the grid's parts as pick makes them (same parts, same order), each cropped to its bounding box with only its own cells (0 elsewhere; a cut part, row, column or frame's inside keeps all its cells) and lying where it was. Every op that is not a list op then applies to each element (no output when one has none, or past 30 elements or 900 cells in all); a program whose result is a list has no output (a search scores a list state as compose leaves it). No output on a list.").in_alphabet(&[lists(240, Args::Listed(SEARCHED_PARTS)), extended(300, Args::Listed(&["framed"]))]),
    op(54, "compose", "lists", &[], "One grid from a list: its elements laid in order, each over the ones before (0 is clear), on a canvas of 0 spanning their bounding boxes where they lie; the grid lies at the boxes' top-left. No output on a grid.").in_alphabet(&[lists(250, Args::Every)]),
    op(55, "keep_best", "lists", &[Param { name: "criterion", kind: ParamKind::Choice(LIST_CRITERIA) }], "The list's elements best by pick's criterion (every element tied for the best; unique_color: the one element pick would choose), in order; each element's cells are its non-zero cells and its box lies where it lies; most_enclosed and fewest_enclosed count an element's 0 cells that no path of 0 cells (4-connected) joins to its box's edge (the inside of a closed loop). No output on a grid.").in_alphabet(&[lists(270, Args::Every)]),
    op(56, "drop_best", "lists", &[Param { name: "criterion", kind: ParamKind::Choice(LIST_CRITERIA) }], "The list's other elements: those keep_best leaves out, in order (no output when none are left). No output on a grid.").in_alphabet(&[lists(270, Args::Every)]),
    op(57, "compose_growing", "lists", &[], "Like compose, the elements laid by their non-zero cells, most first (ties: in order), so smaller ones lie over larger ones. No output on a grid.").in_alphabet(&[lists(250, Args::Every)]),
    op(58, "stack", "lists", &[Param { name: "order", kind: ParamKind::Choice(STACKINGS) }], "One grid of the elements side by side, each against the one before with its top (across) or left (down) edge on the first's, 0 where they leave room: line orders them by where they lie and lays them across when the least gap between their columns (each element's left column, sorted) is at least the least gap between their rows (top rows, sorted), else down; across and down order them by box area, smallest first (ties: in order). The grid lies where the first lies; no output past 30 cells a side. No output on a grid.").in_alphabet(&[lists(260, Args::Every)]),
    op(59, "repeat_around", "scale", &[Param { name: "copies", kind: ParamKind::Choice(COPIES) }], "A canvas of its pair's output size (as place knows it) covered by copies of the grid laid outward from its position, so that one copy lies where the grid lies (a crop repeated in step with where it was cut from); mirrored: every other copy mirrored, as tile_mirrored. No output when the size is unknown (outside a search).").in_alphabet(&[rule(120, Args::Every)]),
];

/// Ops the search also runs in its cell-parallel kernel (`shaders/search/cells.glsl`: a
/// workgroup per step application, the grids in shared memory, one cell per thread) on a
/// grid state; every other op, and every op on a list state, runs in the one-thread
/// kernel. Each needs `cell_size_<name>` and `cell_<name>` in `shaders/search/cell_ops.glsl`
/// (a missing one fails the build); `build.rs` generates their dispatch and the test both
/// kernels and the host use to split the work.
pub const CELL_KERNEL_OPS: &[&str] = &[
    "identity", "rot90", "rot180", "rot270", "flip_updown", "flip_leftright", "transpose", "antitranspose", "recolor", "paint", "permute", "erase", "keep_color",
];
