//! The engine's ops: the table (`table`, described by `spec`), a program's `step` and, per family, each op's
//! CPU kernel beside its reference meaning (`symmetry`, `objects`, `color`, `scale`,
//! `regions`; their GLSL forms are `shaders/ops/<family>.glsl`). This module holds what the
//! kernels share: the fixed-size `Canvas`, the `Scratch` memory and the helpers (background,
//! object labelling, border reach) that `shaders/ops/common.glsl` mirrors (labelling and the
//! border's reach by row bitmasks there, a queue flood here: the same objects in the same
//! order), and
//! the reference meaning's placed values (`Placed`: a grid or a list, each with its position;
//! `apply_reference_placed`, `position_reference`).
//! The `Op` enum and the dispatch are generated from the table by `build.rs`.

pub mod spec;
pub mod step;
pub mod table;

mod color;
mod list_state;
mod lists;
mod objects;
mod regions;
mod scale;
mod splits;
mod symmetry;

use crate::grid::{Grid, MAX_SIDE};

include!(concat!(env!("OUT_DIR"), "/ops_generated.rs"));

pub use spec::{OpSpec, Param, ParamKind};
#[cfg(test)]
pub(crate) use scale::to_output_size_reference_at;
pub use step::{usage, Step};

impl Op {
    /// The op's table entry.
    pub fn spec(self) -> &'static OpSpec {
        &table::OPS[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    pub fn from_code(code: u32) -> Option<Op> {
        Op::ALL.get(code as usize).copied()
    }

    pub fn from_name(name: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|op| op.name() == name)
    }
}

/// Applies one step to a grid, or to each element of a list state (list ops take the list
/// whole). Every caller runs steps through this; `apply_image` is the op table's dispatch.
/// Mirrors `apply` in shaders/ops/apply.glsl.
pub fn apply_cpu(step: &Step, src: &Canvas, dst: &mut Canvas, scratch: &mut Scratch) -> bool {
    if src.parts == 0 || is_list_op(step.op) {
        dst.parts = 0;
        return apply_image(step, src, dst, scratch);
    }
    let mut pair = scratch.elements.take().unwrap_or_else(|| Box::new([Canvas::empty(), Canvas::empty()]));
    let applied = list_state::map_elements(step, src, dst, &mut pair, scratch);
    scratch.elements = Some(pair);
    applied
}


/// The op table as markdown, as docs/engine.md shows it (a test keeps the two equal).
pub fn markdown_table() -> String {
    let mut s = String::from("| code | op | family | meaning | in the search alphabet |\n| --- | --- | --- | --- | --- |\n");
    for spec in table::OPS {
        let usage = usage(spec).replace('|', "\\|");
        let rules: Vec<String> = spec.alphabet.iter().map(|r| r.describe(spec.params)).collect();
        s.push_str(&format!("| {} | `{}` | {} | {} | {} |\n", spec.code, usage, spec.family, spec.meaning, rules.join("; ")));
    }
    s.push_str(&format!("\n{}.\n", spec::totals(table::OPS)));
    s
}

pub(crate) const CELLS: usize = MAX_SIDE * MAX_SIDE;
const NO_LABEL: u16 = u16::MAX;

/// A grid in a fixed buffer, with the output size of the pair it belongs to when a
/// search knows it (`to_output_size`, `place`; (0, 0) when unknown) and its position
/// (`origin`). Every step passes the target on unchanged.
#[derive(Clone)]
pub struct Canvas {
    pub rows: usize,
    pub cols: usize,
    pub target: (usize, usize),
    /// Where the grid's top-left cell lies in the input it was made from (row, column): a
    /// crop moves it to the part it keeps (`moved_by`), `to_origin` sets (0, 0), every other
    /// step keeps it; a grid reaching past the 30×30 frame from it lies at (0, 0)
    /// (`kept_in_frame`). `place` puts the grid there on a canvas of the target size.
    pub origin: (usize, usize),
    /// A list state's element count (0: the canvas holds one grid, `rows` × `cols`): element
    /// e's header is `part[e]` (`list_state::part_word`: its size, position and first cell in
    /// `cells`, where the elements lie one after another). See `lists`.
    pub parts: usize,
    pub part: [u32; table::MAX_PARTS],
    pub cells: [u8; CELLS],
}

impl Canvas {
    pub fn empty() -> Canvas {
        Canvas { rows: 0, cols: 0, target: (0, 0), origin: (0, 0), parts: 0, part: [0; table::MAX_PARTS], cells: [0; CELLS] }
    }

    /// Loads `g` with no known target size.
    pub fn load(&mut self, g: &Grid) {
        self.load_at(g, (0, 0));
    }

    /// Loads `g` as the input of a pair whose output size is `target`.
    pub fn load_at(&mut self, g: &Grid, target: (usize, usize)) {
        self.load_placed(g, target, (0, 0));
    }

    /// `load_at` of a grid lying at `origin` (a search state made by a crop).
    pub fn load_placed(&mut self, g: &Grid, target: (usize, usize), origin: (usize, usize)) {
        self.rows = g.rows();
        self.cols = g.cols();
        self.target = target;
        self.origin = origin;
        self.parts = 0;
        self.cells[..g.cells().len()].copy_from_slice(g.cells());
    }

    /// The position packed as the search's state records and prints carry it
    /// (row | column << 5, each below 30).
    pub fn origin_word(&self) -> u32 {
        self.origin.0 as u32 | (self.origin.1 as u32) << 5
    }

    pub fn to_grid(&self) -> Grid {
        Grid::from_cells(self.rows, self.cols, self.cells[..self.len()].to_vec()).expect("kernels write sizes checked by sized()")
    }

    #[inline]
    pub fn at(&self, r: usize, c: usize) -> u8 {
        self.cells[r * self.cols + c]
    }

    pub fn len(&self) -> usize {
        self.rows * self.cols
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn filled(&self) -> &[u8] {
        &self.cells[..self.len()]
    }
}

/// Working memory for ops that need more than two grids, the splits pick made last, and
/// the two canvases a list's elements go through (`lists::apply_cpu`).
pub struct Scratch {
    label: [u16; CELLS],
    queue: [u16; CELLS],
    splits: splits::SplitCache,
    elements: Option<Box<[Canvas; 2]>>,
}

impl Scratch {
    pub fn new() -> Scratch {
        Scratch { label: [0; CELLS], queue: [0; CELLS], splits: splits::SplitCache::default(), elements: None }
    }
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch::new()
    }
}

/// The most common non-background colour (ties: the smallest), if any cell is not
/// background; mirrors majority_foreground in common.glsl.
fn majority_foreground(src: &Canvas, bg: u8) -> Option<u8> {
    let mut counts = [0u32; 10];
    for &v in src.filled() {
        counts[v as usize] += 1;
    }
    counts[bg as usize] = 0;
    let mut best = None;
    for c in 0..10u8 {
        if counts[c as usize] > best.map_or(0, |b: u8| counts[b as usize]) {
            best = Some(c);
        }
    }
    best
}

/// The background an op reads: 0 when the grid has a 0 cell (ARC's usual black ground,
/// however few its cells, as icecuber reads it), else the most common colour (ties: the
/// smallest). `reference_background` is the same rule on a plain grid.
fn background(g: &Canvas) -> u8 {
    if g.filled().contains(&0) {
        return 0;
    }
    // four interleaved histograms break the store-to-load dependency between neighbours
    let mut lanes = [[0u32; 16]; 4];
    let mut chunks = g.filled().chunks_exact(4);
    for ch in &mut chunks {
        lanes[0][(ch[0] & 15) as usize] += 1;
        lanes[1][(ch[1] & 15) as usize] += 1;
        lanes[2][(ch[2] & 15) as usize] += 1;
        lanes[3][(ch[3] & 15) as usize] += 1;
    }
    for &v in chunks.remainder() {
        lanes[0][(v & 15) as usize] += 1;
    }
    let mut best = 0;
    let mut best_count = 0;
    for c in 0..10 {
        let count: u32 = lanes.iter().map(|lane| lane[c]).sum();
        if count > best_count {
            best = c;
            best_count = count;
        }
    }
    best as u8
}

/// `background` for the DSL-written references: 0 when the grid has a 0 cell, else its
/// most common colour (ties: the smallest).
fn reference_background(g: &Grid) -> u8 {
    if g.cells().contains(&0) {
        0
    } else {
        crate::dsl::mostcolor(g)
    }
}

/// A value in the reference meaning: one grid, or a list of them (`lists::Elements`), each
/// with where it lies in the input (its position).
#[derive(Debug, Clone, PartialEq)]
pub enum Placed {
    Image(Grid, (usize, usize)),
    List(lists::Elements),
}

/// Applies one step with the ops' reference meanings to a placed value: an image op to a
/// grid, or to each element of a list (None when one has none, or past a list's limits);
/// `split` makes a list of a grid, the other list ops take a list whole. None when the step
/// cannot apply (a list op on a grid, `split` on a list, an empty crop...).
pub fn apply_reference_placed(step: &Step, value: &Placed) -> Option<Placed> {
    let image_step = |g: &Grid, at: (usize, usize)| -> Option<(Grid, (usize, usize))> {
        let out = apply_reference(step, g)?;
        let at = position_reference(step, g, at, &out)?;
        Some((out, at))
    };
    let image = |(g, at): (Grid, (usize, usize))| Placed::Image(g, at);
    match (value, step.op) {
        (Placed::Image(g, at), Op::Split) => lists::split_reference_at(step, g, *at).map(Placed::List),
        (Placed::Image(..), op) if is_list_op(op) => None,
        (Placed::Image(g, at), _) => image_step(g, *at).map(image),
        (Placed::List(_), Op::Split) => None,
        (Placed::List(es), Op::Compose) => lists::compose_reference_at(es, false).map(image),
        (Placed::List(es), Op::ComposeGrowing) => lists::compose_reference_at(es, true).map(image),
        (Placed::List(es), Op::Stack) => lists::stack_reference_at(step, es).map(image),
        (Placed::List(es), Op::KeepBest) => lists::best_reference_at(step, es, true).map(Placed::List),
        (Placed::List(es), Op::DropBest) => lists::best_reference_at(step, es, false).map(Placed::List),
        (Placed::List(es), _) => {
            let mapped = es.iter().map(|(g, at)| image_step(g, *at)).collect::<Option<lists::Elements>>()?;
            lists::fits_a_list(&mapped).then_some(Placed::List(mapped))
        }
    }
}

/// Where a step's output lies by the op's meaning, written plainly (the reference's twin of
/// the kernels' `moved_by`, `to_origin` and `kept_in_frame`): `input` lay at `origin` and
/// `output` is the step's reference output. A crop moves the position to the part it
/// keeps, `to_origin` (and `place`, `repeat_around`, whose canvases are the pair's output)
/// sets (0, 0), every other op keeps it; a grid reaching past the 30×30 frame lies at
/// (0, 0). None where a crop finds no part.
pub(crate) fn position_reference(step: &Step, input: &Grid, origin: (usize, usize), output: &Grid) -> Option<(usize, usize)> {
    let moved = |(dr, dc): (usize, usize)| (origin.0 + dr, origin.1 + dc);
    let at = match step.op {
        Op::ToOrigin | Op::Place | Op::RepeatAround => (0, 0),
        Op::Half => moved(match step.a {
            1 => (input.rows() - output.rows(), 0),
            3 => (0, input.cols() - output.cols()),
            _ => (0, 0),
        }),
        Op::Unpad => moved((1, 1)),
        Op::CropContent | Op::CropLargest | Op::CropSmallest | Op::CropObject | Op::Pick => moved(objects::crop_offset_reference(step, input)?),
        _ => origin,
    };
    let inside = at.0 + output.rows() <= MAX_SIDE && at.1 + output.cols() <= MAX_SIDE;
    Some(if inside { at } else { (0, 0) })
}

/// Sets the output size; false when the result cannot exist (a side of 0 or over 30).
fn sized(dst: &mut Canvas, rows: usize, cols: usize) -> bool {
    dst.rows = rows;
    dst.cols = cols;
    rows >= 1 && cols >= 1 && rows <= MAX_SIDE && cols <= MAX_SIDE
}

/// The crop's position: `src`'s moved down `dr` rows and across `dc` columns (the
/// top-left of the part a crop keeps). Mirrors moved_by in common.glsl.
fn moved_by(src: &Canvas, dst: &mut Canvas, dr: usize, dc: usize) {
    dst.origin = (src.origin.0 + dr, src.origin.1 + dc);
}

/// After every step: a grid reaching past the 30×30 frame from its position lies at
/// (0, 0), so a position is always below 30. Mirrors the end of `apply` in the shaders.
fn kept_in_frame(dst: &mut Canvas) {
    if dst.origin.0 + dst.rows > MAX_SIDE || dst.origin.1 + dst.cols > MAX_SIDE {
        dst.origin = (0, 0);
    }
}

/// Copies the `bbox` (top, left, bottom, right) part of `src` into `dst`, at its position.
fn crop(src: &Canvas, dst: &mut Canvas, bbox: [usize; 4]) -> bool {
    let (h, w) = (bbox[2] - bbox[0] + 1, bbox[3] - bbox[1] + 1);
    if !sized(dst, h, w) {
        return false;
    }
    moved_by(src, dst, bbox[0], bbox[1]);
    for r in 0..h {
        let from = (r + bbox[0]) * src.cols + bbox[1];
        dst.cells[r * w..r * w + w].copy_from_slice(&src.cells[from..from + w]);
    }
    true
}

/// Breadth-first flood from the cells already queued (`queue[..tail]`, marked in `label`):
/// 4-neighbours `j` with `accept(j)` get label `mark` and are queued. Queue entries are
/// `r << 5 | c`, as in the shader (no divisions). Returns the queue's final length and
/// the bounding box of the cells visited.
fn flood(g: &Canvas, s: &mut Scratch, mut tail: usize, mark: u16, accept: impl Fn(&Scratch, usize) -> bool) -> (usize, [usize; 4]) {
    let (h, w) = (g.rows, g.cols);
    let mut head = 0;
    let mut bbox = [MAX_SIDE, MAX_SIDE, 0, 0];
    while head < tail {
        let rc = s.queue[head] as usize;
        head += 1;
        let (r, c) = (rc >> 5, rc & 31);
        let i = r * w + c;
        bbox = [bbox[0].min(r), bbox[1].min(c), bbox[2].max(r), bbox[3].max(c)];
        let mut visit = |s: &mut Scratch, j: usize, next: usize| {
            if accept(s, j) {
                s.label[j] = mark;
                s.queue[tail] = next as u16;
                tail += 1;
            }
        };
        if r > 0 {
            visit(s, i - w, rc - 32);
        }
        if r + 1 < h {
            visit(s, i + w, rc + 32);
        }
        if c > 0 {
            visit(s, i - 1, rc - 1);
        }
        if c + 1 < w {
            visit(s, i + 1, rc + 1);
        }
    }
    (tail, bbox)
}

/// Labels objects (one colour, 4-connected, without background) in row-major order of
/// their first cell; returns the chosen one's label and bounding box (top, left, bottom,
/// right), largest or smallest (first on ties), or None when there are no objects.
fn pick_object(g: &Canvas, bg: u8, largest: bool, s: &mut Scratch) -> Option<(u16, [usize; 4])> {
    let (h, w) = (g.rows, g.cols);
    s.label[..h * w].fill(NO_LABEL);
    let mut best: Option<(u16, usize, [usize; 4])> = None;
    let mut next_label = 0u16;
    for r0 in 0..h {
        for c0 in 0..w {
            let start = r0 * w + c0;
            if s.label[start] != NO_LABEL || g.cells[start] == bg {
                continue;
            }
            let color = g.cells[start];
            let id = next_label;
            next_label += 1;
            s.label[start] = id;
            s.queue[0] = ((r0 << 5) | c0) as u16;
            let (size, bbox) = flood(g, s, 1, id, |s, j| s.label[j] == NO_LABEL && g.cells[j] == color);
            let better = match best {
                None => true,
                Some((_, b, _)) => {
                    if largest {
                        size > b
                    } else {
                        size < b
                    }
                }
            };
            if better {
                best = Some((id, size, bbox));
            }
        }
    }
    best.map(|(id, _, bbox)| (id, bbox))
}

/// Marks in `s.label` (1 = reached) background cells 4-connected to the border through background.
fn reach_border(g: &Canvas, bg: u8, s: &mut Scratch) {
    let (h, w) = (g.rows, g.cols);
    let mut tail = 0;
    for r in 0..h {
        for c in 0..w {
            let i = r * w + c;
            let edge = g.cells[i] == bg && (r == 0 || c == 0 || r == h - 1 || c == w - 1);
            s.label[i] = edge as u16;
            if edge {
                s.queue[tail] = ((r << 5) | c) as u16;
                tail += 1;
            }
        }
    }
    flood(g, s, tail, 1, |s, j| s.label[j] == 0 && g.cells[j] == bg);
}

