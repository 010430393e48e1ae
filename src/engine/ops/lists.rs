//! The lists family (icecuber's lists of images): a state may be a list of up to
//! `MAX_PARTS` grids, each with its position, packed in one canvas (`Canvas::parts`).
//! `split` makes one from a grid's parts (pick's parts, in pick's order, each cropped to its
//! box with only its own cells, 0 elsewhere, lying where it was); every other op maps over
//! the elements (`apply_cpu` in the module above: no output when an element has none, or the elements' cells
//! pass 900); `keep_best` and `drop_best` keep the elements best by one of pick's criteria,
//! or the others; `compose` lays the elements back into one grid. A program whose result is
//! a list has no output; a search scores a list state as `compose` leaves it (a free
//! finishing step). Mirrors shaders/ops/lists.glsl and shaders/ops/apply.glsl.

use super::objects::{pick_key, Chooser, UNIQUE_COLOR};
use super::table::MAX_PARTS;
use super::{apply_image, background, sized, Canvas, Scratch, Step, CELLS};
use crate::grid::{Grid, MAX_SIDE};

/// An element's header: rows | cols << 5 | origin row << 10 | origin column << 15 | its
/// first cell << 20 (the shader's `part_hdr`, and the words a list's record and print hold).
pub(crate) fn part_word(rows: usize, cols: usize, origin: (usize, usize), start: usize) -> u32 {
    (rows | cols << 5 | origin.0 << 10 | origin.1 << 15 | start << 20) as u32
}

/// (rows, cols, origin, first cell) of an element header.
pub(crate) fn part_fields(word: u32) -> (usize, usize, (usize, usize), usize) {
    let w = word as usize;
    (w & 31, (w >> 5) & 31, ((w >> 10) & 31, (w >> 15) & 31), w >> 20)
}

impl Canvas {
    /// Element `e` of a list, as a grid canvas with the list's target.
    pub(crate) fn load_element(&self, e: usize, into: &mut Canvas) {
        let (rows, cols, origin, start) = part_fields(self.part[e]);
        into.rows = rows;
        into.cols = cols;
        into.origin = origin;
        into.target = self.target;
        into.parts = 0;
        into.cells[..rows * cols].copy_from_slice(&self.cells[start..start + rows * cols]);
    }

    /// Makes this canvas an empty list (its elements then come by `push_element`).
    fn begin_list(&mut self) {
        self.parts = 0;
        self.rows = 0;
        self.cols = 0;
        self.origin = (0, 0);
    }

    /// Appends an element of `rows` × `cols` lying at `origin`, its cells from `cell(r, c)`;
    /// false past `MAX_PARTS` elements or `CELLS` cells in all.
    fn push_element(&mut self, rows: usize, cols: usize, origin: (usize, usize), cell: impl Fn(usize, usize) -> u8) -> bool {
        let start = match self.parts {
            0 => 0,
            k => {
                let (r, c, _, s) = part_fields(self.part[k - 1]);
                s + r * c
            }
        };
        if self.parts >= MAX_PARTS || start + rows * cols > CELLS {
            return false;
        }
        for r in 0..rows {
            for c in 0..cols {
                self.cells[start + r * cols + c] = cell(r, c);
            }
        }
        self.part[self.parts] = part_word(rows, cols, origin, start);
        self.parts += 1;
        true
    }

    /// A list's cells, all elements one after another.
    pub(crate) fn list_cells(&self) -> &[u8] {
        let (r, c, _, s) = part_fields(self.part[self.parts - 1]);
        &self.cells[..s + r * c]
    }
}

/// A step on each element of the list `src` into the list `dst` (`apply_cpu`): no output
/// when an element has none, or past `MAX_PARTS` elements or `CELLS` cells.
pub(super) fn map_elements(step: &Step, src: &Canvas, dst: &mut Canvas, pair: &mut [Canvas; 2], scratch: &mut Scratch) -> bool {
    dst.begin_list();
    dst.target = src.target;
    let [element, out] = pair;
    for e in 0..src.parts {
        src.load_element(e, element);
        if !apply_image(step, element, out, scratch) {
            return false;
        }
        if !dst.push_element(out.rows, out.cols, out.origin, |r, c| out.at(r, c)) {
            return false;
        }
    }
    true
}

/// split: pick's parts as a list, each cropped to its box with its own cells.
pub fn split(step: &Step, src: &Canvas, dst: &mut Canvas, s: &mut Scratch) -> bool {
    if src.parts != 0 {
        return false;
    }
    let bg = background(src);
    let w = src.cols;
    let Some(parts) = s.splits.get(step.a, src, bg, &mut s.queue) else { return false };
    if parts.parts.is_empty() || parts.parts.len() > MAX_PARTS {
        return false;
    }
    let origin = src.origin;
    dst.begin_list();
    for part in &parts.parts {
        let [t, l, b, r] = part.bbox;
        let own = |i: usize| match step.a {
            0 | 1 => parts.label[i] == part.mark,
            2 => u16::from(src.cells[i]) == part.mark,
            _ => true, // a rectangle part keeps all its cells
        };
        let cell = |rr: usize, cc: usize| {
            let i = (rr + t) * w + cc + l;
            if own(i) { src.cells[i] } else { 0 }
        };
        if !dst.push_element(b - t + 1, r - l + 1, (origin.0 + t, origin.1 + l), cell) {
            return false;
        }
    }
    true
}

/// No reference for a list op on one grid: its result is a list, or it takes one, and a
/// program whose result is a list has no output (lists are checked by hand-made examples
/// and by the executors against each other).
pub fn split_reference(_: &Step, _: &Grid) -> Option<Grid> {
    None
}

/// compose: the elements laid in order on a canvas of 0 spanning their boxes.
pub fn compose(_: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    if src.parts == 0 {
        return false;
    }
    let (mut top, mut left, mut bottom, mut right) = (MAX_SIDE, MAX_SIDE, 0, 0);
    for e in 0..src.parts {
        let (rows, cols, (r0, c0), _) = part_fields(src.part[e]);
        top = top.min(r0);
        left = left.min(c0);
        bottom = bottom.max(r0 + rows);
        right = right.max(c0 + cols);
    }
    let (h, w) = (bottom - top, right - left);
    if !sized(dst, h, w) {
        return false;
    }
    dst.cells[..h * w].fill(0);
    for e in 0..src.parts {
        let (rows, cols, (r0, c0), start) = part_fields(src.part[e]);
        for r in 0..rows {
            for c in 0..cols {
                let v = src.cells[start + r * cols + c];
                if v != 0 {
                    dst.cells[(r + r0 - top) * w + c + c0 - left] = v;
                }
            }
        }
    }
    dst.origin = (top, left);
    true
}

pub fn compose_reference(_: &Step, _: &Grid) -> Option<Grid> {
    None
}

/// Which elements `keep_best(criterion)` keeps, as a bit per element: those whose pick key
/// (non-zero cells, box where the element lies, non-zero colours) is the best, or for
/// unique_color the one element pick's chooser takes. Mirrors best_elements in lists.glsl.
fn best_elements(src: &Canvas, criterion: u32) -> u32 {
    let mut chooser = Chooser::new(criterion);
    let mut keys = [0i64; MAX_PARTS];
    for (e, key) in keys.iter_mut().enumerate().take(src.parts) {
        let (rows, cols, (r0, c0), start) = part_fields(src.part[e]);
        let (mut cells, mut colors) = (0usize, 0u16);
        for &v in &src.cells[start..start + rows * cols] {
            if v != 0 {
                cells += 1;
                colors |= 1 << v;
            }
        }
        let bbox = [r0, c0, r0 + rows - 1, c0 + cols - 1];
        chooser.offer(cells, bbox, colors, e as u16);
        *key = pick_key(criterion, cells, bbox, colors.count_ones() as usize);
    }
    if criterion == UNIQUE_COLOR {
        return chooser.chosen().map_or(0, |(_, e)| 1 << e);
    }
    let best = keys[..src.parts].iter().copied().max().unwrap_or(0);
    (0..src.parts).filter(|&e| keys[e] == best).fold(0, |m, e| m | 1 << e)
}

/// The elements whose bit is set in `keep`, in order; false when none is.
fn keep_elements(src: &Canvas, dst: &mut Canvas, keep: u32) -> bool {
    dst.begin_list();
    for e in (0..src.parts).filter(|&e| keep & (1 << e) != 0) {
        let (rows, cols, origin, start) = part_fields(src.part[e]);
        dst.push_element(rows, cols, origin, |r, c| src.cells[start + r * cols + c]);
    }
    dst.parts > 0
}

pub fn keep_best(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    src.parts != 0 && keep_elements(src, dst, best_elements(src, step.a))
}

pub fn keep_best_reference(_: &Step, _: &Grid) -> Option<Grid> {
    None
}

pub fn drop_best(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    src.parts != 0 && keep_elements(src, dst, !best_elements(src, step.a))
}

pub fn drop_best_reference(_: &Step, _: &Grid) -> Option<Grid> {
    None
}

#[cfg(test)]
mod tests {
    //! List states by hand-made examples written from the ops' meanings (the executors are
    //! held to each other by tests/engine_equivalence.rs and the search's level test).
    use super::*;
    use crate::engine::cpu::run_program_positioned;
    use crate::engine::ops::apply_cpu;
    use crate::engine::program::Program;
    use crate::grid;

    fn run(program: &str, g: &Grid) -> Option<(Grid, (usize, usize))> {
        run_program_positioned(&Program::parse(program).unwrap(), g, (0, 0))
    }

    /// The elements of the list `program` leaves on `g`: each as (grid, position).
    fn elements(program: &str, g: &Grid) -> Option<Vec<(Grid, (usize, usize))>> {
        let (mut a, mut b, mut s) = (Canvas::empty(), Canvas::empty(), Scratch::new());
        a.load(g);
        for step in Program::parse(program).unwrap().steps() {
            if !apply_cpu(step, &a, &mut b, &mut s) {
                return None;
            }
            std::mem::swap(&mut a, &mut b);
        }
        assert!(a.parts > 0, "`{program}` leaves a list");
        let mut one = Canvas::empty();
        Some(
            (0..a.parts)
                .map(|e| {
                    a.load_element(e, &mut one);
                    (one.to_grid(), one.origin)
                })
                .collect(),
        )
    }

    fn objects() -> Grid {
        // objects (4-connected, any colours): the 1-L, the 2-L, the lone 3
        grid!["000000", "011020", "001022", "000000", "300000"]
    }

    #[test]
    fn split_makes_pick_parts_in_pick_order_at_their_positions() {
        let g = objects();
        assert_eq!(
            elements("split(objects)", &g),
            Some(vec![(grid!["11", "01"], (1, 1)), (grid!["20", "22"], (1, 4)), (grid!["3"], (4, 0))])
        );
        // colours in increasing order, each its own cells only
        assert_eq!(elements("split(colors)", &g).map(|v| v.len()), Some(3));
        assert_eq!(elements("split(colors)", &grid!["120", "210", "000"]), Some(vec![(grid!["10", "01"], (0, 0)), (grid!["02", "20"], (0, 0))]));
        // a cut part keeps all its cells
        assert_eq!(
            elements("split(cut)", &grid!["1005002", "0005000", "5555555", "2005001"]),
            Some(vec![(grid!["100", "000"], (0, 0)), (grid!["002", "000"], (0, 4)), (grid!["200"], (3, 0)), (grid!["001"], (3, 4))])
        );
        // a crop's position carries into its parts
        assert_eq!(elements("unpad | split(objects)", &g).map(|v| v[0].1), Some((1, 1)));
        // no nesting; no parts, no list
        assert_eq!(elements("split(objects) | split(objects)", &g), None);
        assert_eq!(elements("split(objects)", &grid!["00", "00"]), None);
    }

    #[test]
    fn other_ops_map_over_the_elements_and_compose_lays_them_back() {
        let g = objects();
        assert_eq!(elements("split(objects) | flip_leftright", &g), Some(vec![(grid!["11", "10"], (1, 1)), (grid!["02", "22"], (1, 4)), (grid!["3"], (4, 0))]));
        // compose: the union of the boxes (rows 1-4, columns 0-5), lying at its top-left
        assert_eq!(run("split(objects) | flip_leftright | compose", &g), Some((grid!["011002", "010022", "000000", "300000"], (1, 0))));
        assert_eq!(run("split(objects) | compose", &g), Some((grid!["011020", "001022", "000000", "300000"], (1, 0))));
        // later elements over earlier ones, 0 clear
        assert_eq!(run("split(colors) | upscale(2) | compose", &grid!["120"]), Some((grid!["122", "122"], (0, 0))));
        // an element with no output: no output
        assert_eq!(run("split(objects) | unpad | compose", &g), None);
        // a program whose result is a list has no output; list ops need a list
        assert_eq!(run("split(objects)", &g), None);
        assert_eq!(run("compose", &g), None);
        assert_eq!(run("keep_best(largest)", &g), None);
    }

    #[test]
    fn keep_best_and_drop_best_filter_by_picks_criteria() {
        let g = objects();
        assert_eq!(elements("split(objects) | keep_best(largest)", &g), Some(vec![(grid!["11", "01"], (1, 1)), (grid!["20", "22"], (1, 4))]), "ties all kept");
        assert_eq!(elements("split(objects) | drop_best(largest)", &g), Some(vec![(grid!["3"], (4, 0))]));
        assert_eq!(elements("split(objects) | keep_best(bottom)", &g), Some(vec![(grid!["3"], (4, 0))]));
        assert_eq!(elements("split(objects) | keep_best(right)", &g), Some(vec![(grid!["20", "22"], (1, 4))]));
        // unique_color: the one element holding the colours no other holds (here, none is)
        assert_eq!(elements("split(objects) | keep_best(unique_color)", &g), None);
        assert_eq!(elements("split(objects) | keep_best(unique_color)", &grid!["1010", "0000", "2000"]), Some(vec![(grid!["2"], (2, 0))]));
        // nothing left: no output
        assert_eq!(elements("split(objects) | keep_best(largest) | drop_best(largest)", &g), None);
        assert_eq!(run("split(objects) | keep_best(largest) | compose", &g), Some((grid!["11020", "01022"], (1, 1))));
    }

    #[test]
    fn a_list_holds_at_most_max_parts_elements() {
        // 8 rows of 4 lone cells: 32 objects
        let rows: Vec<Vec<u8>> = (0..16).map(|r| (0..7).map(|c| u8::from(r % 2 == 0 && c % 2 == 0)).collect()).collect();
        let g = Grid::from_rows(&rows).unwrap();
        assert_eq!(run("split(objects8) | compose", &g), None, "32 objects");
        let fewer = Grid::from_rows(&rows[..14]).unwrap();
        assert_eq!(run("split(objects8) | compose", &fewer), Some((Grid::from_rows(&rows[..13]).unwrap(), (0, 0))), "28 objects");
    }
}
