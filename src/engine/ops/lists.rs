//! The lists family (icecuber's lists of images): a state may be a list of up to
//! `MAX_PARTS` grids, each with its position, packed in one canvas (`Canvas::parts`).
//! `split` makes one from a grid's parts (pick's parts, in pick's order, each cropped to its
//! box with only its own cells, 0 elsewhere, lying where it was); every other op maps over
//! the elements (`apply_cpu` in the module above: no output when an element has none, or the elements' cells
//! pass 900); `keep_best` and `drop_best` keep the elements best by one of pick's criteria,
//! or the others; `compose` lays the elements back into one grid (in order, or
//! `compose_growing`: most cells first, icecuber's composeGrowing), `stack` lays them side by
//! side (icecuber's stackLine and myStack). A program whose result is
//! a list has no output; a search scores a list state as `compose` leaves it (a free
//! finishing step). A list inside a canvas (headers, elements, mapping a step over
//! them) is `list_state.rs`. Mirrors shaders/ops/lists.glsl and shaders/ops/apply.glsl.

use super::objects::{pick_key, Chooser, COMPONENTS, UNIQUE_COLOR};
use super::list_state::part_fields;
use super::table::MAX_PARTS;
use super::{background, sized, Canvas, Scratch, Step, CELLS};
use crate::dsl;
use crate::grid::{Grid, MAX_SIDE};

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
            0 | 1 | COMPONENTS => parts.label[i] == part.mark,
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

/// A list op on a grid alone has no reference output: its result is a list, or it takes
/// one. The lists' reference meaning is `split_reference_at` and the `*_reference_at`
/// functions below, on placed values (`super::apply_reference_placed`).
pub fn split_reference(_: &Step, _: &Grid) -> Option<Grid> {
    None
}

/// The elements of `src` laid in the order `order` (later over earlier, 0 clear) on a canvas
/// of 0 spanning their boxes, lying at the boxes' top-left.
fn lay_elements(src: &Canvas, dst: &mut Canvas, order: &[usize]) -> bool {
    let (mut top, mut left, mut bottom, mut right) = (MAX_SIDE, MAX_SIDE, 0, 0);
    for &e in order {
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
    for &e in order {
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

/// The indices of `src`'s elements sorted by `key`, smallest first, stable on ties.
fn ordered_by(src: &Canvas, key: impl Fn(usize) -> usize) -> ([usize; MAX_PARTS], usize) {
    let mut order = [0usize; MAX_PARTS];
    let n = src.parts;
    for (i, slot) in order.iter_mut().enumerate().take(n) {
        *slot = i;
    }
    // insertion sort: stable, and the shader's twin walks the same comparisons
    for i in 1..n {
        let mut j = i;
        while j > 0 && key(order[j - 1]) > key(order[j]) {
            order.swap(j - 1, j);
            j -= 1;
        }
    }
    (order, n)
}

/// An element's non-zero cells.
fn element_cells(src: &Canvas, e: usize) -> usize {
    let (rows, cols, _, start) = part_fields(src.part[e]);
    src.cells[start..start + rows * cols].iter().filter(|&&v| v != 0).count()
}

/// compose: the elements laid in order on a canvas of 0 spanning their boxes.
pub fn compose(_: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    if src.parts == 0 {
        return false;
    }
    // in order (no allocation: the search composes every list state it scores)
    let mut order = [0usize; MAX_PARTS];
    for (e, slot) in order.iter_mut().enumerate() {
        *slot = e;
    }
    lay_elements(src, dst, &order[..src.parts])
}

pub fn compose_reference(_: &Step, _: &Grid) -> Option<Grid> {
    None
}

/// compose_growing: the elements laid by their non-zero cells, most first.
pub fn compose_growing(_: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    if src.parts == 0 {
        return false;
    }
    let (order, n) = ordered_by(src, |e| CELLS - element_cells(src, e));
    lay_elements(src, dst, &order[..n])
}

pub fn compose_growing_reference(_: &Step, _: &Grid) -> Option<Grid> {
    None
}

/// The least gap between neighbouring values of `values` once sorted (MAX_SIDE for one).
fn least_gap(values: &mut [usize]) -> usize {
    values.sort_unstable();
    values.windows(2).map(|w| w[1] - w[0]).min().unwrap_or(MAX_SIDE)
}

/// stack: the elements side by side, in `order`'s sense (STACKINGS), the first's position kept.
pub fn stack(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let n = src.parts;
    if n == 0 {
        return false;
    }
    let field = |e: usize| part_fields(src.part[e]);
    let (order, across) = match step.a {
        0 => {
            let mut tops: Vec<usize> = (0..n).map(|e| field(e).2 .0).collect();
            let mut lefts: Vec<usize> = (0..n).map(|e| field(e).2 .1).collect();
            let across = least_gap(&mut lefts) >= least_gap(&mut tops);
            (ordered_by(src, |e| if across { field(e).2 .1 } else { field(e).2 .0 }).0, across)
        }
        a => (ordered_by(src, |e| field(e).0 * field(e).1).0, a == 1),
    };
    let (mut h, mut w) = (0, 0);
    for &e in &order[..n] {
        let (rows, cols, _, _) = field(e);
        if across {
            h = h.max(rows);
            w += cols;
        } else {
            h += rows;
            w = w.max(cols);
        }
    }
    if !sized(dst, h, w) {
        return false;
    }
    dst.cells[..h * w].fill(0);
    let mut at = 0;
    for &e in &order[..n] {
        let (rows, cols, _, start) = field(e);
        let (r0, c0) = if across { (0, at) } else { (at, 0) };
        for r in 0..rows {
            for c in 0..cols {
                dst.cells[(r0 + r) * w + c0 + c] = src.cells[start + r * cols + c];
            }
        }
        at += if across { cols } else { rows };
    }
    dst.origin = field(order[0]).2;
    true
}

pub fn stack_reference(_: &Step, _: &Grid) -> Option<Grid> {
    None
}

/// keep_best's criteria past pick's (table::LIST_CRITERIA).
const MOST_ENCLOSED: u32 = 13;
const FEWEST_ENCLOSED: u32 = 14;

/// The 0 cells of a `rows` x `cols` element that no 4-connected path of 0 cells joins to
/// its edge. Mirrors enclosed_cells in lists.glsl.
fn enclosed_cells(cells: &[u8], rows: usize, cols: usize) -> usize {
    let mut reached = vec![false; rows * cols];
    let mut queue: Vec<usize> = (0..rows * cols).filter(|&i| cells[i] == 0 && (i / cols == 0 || i % cols == 0 || i / cols == rows - 1 || i % cols == cols - 1)).collect();
    for &i in &queue {
        reached[i] = true;
    }
    let mut head = 0;
    while head < queue.len() {
        let (r, c) = (queue[head] / cols, queue[head] % cols);
        head += 1;
        for (dr, dc) in [(-1isize, 0isize), (1, 0), (0, -1), (0, 1)] {
            let (nr, nc) = (r as isize + dr, c as isize + dc);
            if nr < 0 || nc < 0 || nr as usize >= rows || nc as usize >= cols {
                continue;
            }
            let j = nr as usize * cols + nc as usize;
            if !reached[j] && cells[j] == 0 {
                reached[j] = true;
                queue.push(j);
            }
        }
    }
    (0..rows * cols).filter(|&i| cells[i] == 0 && !reached[i]).count()
}

/// Which elements `keep_best(criterion)` keeps, as a bit per element: those whose pick key
/// (non-zero cells, box where the element lies, non-zero colours; or its enclosed cells)
/// is the best, or for
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
        *key = match criterion {
            MOST_ENCLOSED => enclosed_cells(&src.cells[start..start + rows * cols], rows, cols) as i64,
            FEWEST_ENCLOSED => -(enclosed_cells(&src.cells[start..start + rows * cols], rows, cols) as i64),
            _ => pick_key(criterion, cells, bbox, colors.count_ones() as usize),
        };
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

/// A list as the reference holds it: each element a grid and where it lies.
pub type Elements = Vec<(Grid, (usize, usize))>;

/// Whether elements make a list state, by the lists' limits: one to `MAX_PARTS` elements,
/// `CELLS` cells in all.
pub(super) fn fits_a_list(elements: &Elements) -> bool {
    let cells: usize = elements.iter().map(|(g, _)| g.rows() * g.cols()).sum();
    !elements.is_empty() && elements.len() <= MAX_PARTS && cells <= CELLS
}

/// split written plainly: pick's parts of `g` (lying at `origin`) in pick's order, each
/// cropped to its box, its own cells kept and 0 elsewhere (a rectangle part keeps all).
pub(super) fn split_reference_at(step: &Step, g: &Grid, origin: (usize, usize)) -> Option<Elements> {
    let parts = super::objects::parts_reference(step.a, g)?;
    let mut elements = Elements::new();
    for (cells, [top, left, bottom, right]) in parts {
        let mut element = Grid::filled(bottom - top + 1, right - left + 1, 0).ok()?;
        for (r, c, v) in cells {
            element.set(r - top, c - left, v);
        }
        elements.push((element, (origin.0 + top, origin.1 + left)));
    }
    fits_a_list(&elements).then_some(elements)
}

fn nonzero_cells(g: &Grid) -> usize {
    g.cells().iter().filter(|&&v| v != 0).count()
}

/// compose and compose_growing written plainly: every element's non-zero cells laid on a
/// canvas of 0 spanning their boxes, in order or (`growing`) the most cells first (stable),
/// later over earlier; the canvas lies at the boxes' top-left.
pub(super) fn compose_reference_at(elements: &Elements, growing: bool) -> Option<(Grid, (usize, usize))> {
    let mut order: Vec<&(Grid, (usize, usize))> = elements.iter().collect();
    if growing {
        order.sort_by_key(|(g, _)| std::cmp::Reverse(nonzero_cells(g)));
    }
    let top = elements.iter().map(|(_, at)| at.0).min()?;
    let left = elements.iter().map(|(_, at)| at.1).min()?;
    let bottom = elements.iter().map(|(g, at)| at.0 + g.rows()).max()?;
    let right = elements.iter().map(|(g, at)| at.1 + g.cols()).max()?;
    let mut canvas = Grid::filled(bottom - top, right - left, 0).ok()?;
    for (g, (r0, c0)) in order {
        for r in 0..g.rows() {
            for c in 0..g.cols() {
                if g.get(r, c) != 0 {
                    canvas.set(r0 - top + r, c0 - left + c, g.get(r, c));
                }
            }
        }
    }
    Some((canvas, (top, left)))
}

/// stack written plainly: the elements side by side, each against the one before, tops
/// (across) or left edges (down) even; `line` orders them along the axis their positions
/// spread on (across when the least gap between sorted left edges is at least that between
/// tops), `across` and `down` by box area, smallest first (stable). The result lies where
/// the first laid lies (at (0, 0) when it would reach past the 30×30 frame).
pub(super) fn stack_reference_at(step: &Step, elements: &Elements) -> Option<(Grid, (usize, usize))> {
    let least_gap = |values: Vec<usize>| {
        let mut v = values;
        v.sort();
        v.windows(2).map(|w| w[1] - w[0]).min().unwrap_or(MAX_SIDE)
    };
    let mut order: Vec<&(Grid, (usize, usize))> = elements.iter().collect();
    let across = if step.a == 0 {
        let across = least_gap(elements.iter().map(|(_, at)| at.1).collect()) >= least_gap(elements.iter().map(|(_, at)| at.0).collect());
        order.sort_by_key(|(_, at)| if across { at.1 } else { at.0 });
        across
    } else {
        order.sort_by_key(|(g, _)| g.rows() * g.cols());
        step.a == 1
    };
    let (along, other): (usize, usize) = if across {
        (order.iter().map(|(g, _)| g.cols()).sum(), order.iter().map(|(g, _)| g.rows()).max()?)
    } else {
        (order.iter().map(|(g, _)| g.rows()).sum(), order.iter().map(|(g, _)| g.cols()).max()?)
    };
    let mut laid = if across { Grid::filled(other, along, 0) } else { Grid::filled(along, other, 0) }.ok()?;
    let mut offset = 0;
    for (g, _) in &order {
        for r in 0..g.rows() {
            for c in 0..g.cols() {
                let (lr, lc) = if across { (r, offset + c) } else { (offset + r, c) };
                laid.set(lr, lc, g.get(r, c));
            }
        }
        offset += if across { g.cols() } else { g.rows() };
    }
    let at = order.first()?.1;
    let inside = at.0 + laid.rows() <= MAX_SIDE && at.1 + laid.cols() <= MAX_SIDE;
    Some((laid, if inside { at } else { (0, 0) }))
}

/// The 0 cells of `g` that no 4-connected path of 0 cells joins to its edge, written
/// plainly: the one-colour components of 0 that touch no edge.
fn enclosed_reference(g: &Grid) -> usize {
    let options = dsl::ObjectOptions { univalued: true, diagonal: false, without_bg: false };
    dsl::objects_on(g, options, None)
        .iter()
        .filter(|o| o.cells().first().is_some_and(|c| c.color == 0))
        .filter(|o| o.cells().iter().all(|c| c.row > 0 && c.col > 0 && c.row + 1 < g.rows() as i64 && c.col + 1 < g.cols() as i64))
        .map(|o| o.size())
        .sum()
}

/// keep_best (`keep`) and drop_best written plainly: the elements whose key is the best
/// (pick's key of their non-zero cells, their box where they lie and their non-zero colours;
/// or their enclosed cells), all tied ones, or for unique_color the one element holding a
/// colour no other holds; drop_best keeps the rest. None when none is left.
pub(super) fn best_reference_at(step: &Step, elements: &Elements, keep: bool) -> Option<Elements> {
    let palettes: Vec<Vec<u8>> = elements.iter().map(|(g, _)| dsl::palette(g).into_iter().filter(|&v| v != 0).collect()).collect();
    let chosen: Vec<bool> = if step.a == UNIQUE_COLOR {
        let only = super::objects::unique_color_part(&palettes);
        (0..elements.len()).map(|e| Some(e) == only).collect()
    } else {
        let keys: Vec<i64> = elements
            .iter()
            .zip(&palettes)
            .map(|((g, (r0, c0)), palette)| match step.a {
                MOST_ENCLOSED => enclosed_reference(g) as i64,
                FEWEST_ENCLOSED => -(enclosed_reference(g) as i64),
                criterion => pick_key(criterion, nonzero_cells(g), [*r0, *c0, r0 + g.rows() - 1, c0 + g.cols() - 1], palette.len()),
            })
            .collect();
        let best = keys.iter().copied().max()?;
        keys.iter().map(|&k| k == best).collect()
    };
    let kept: Elements = elements.iter().zip(chosen).filter(|(_, best)| *best == keep).map(|(e, _)| e.clone()).collect();
    (!kept.is_empty()).then_some(kept)
}

#[cfg(test)]
mod tests {
    //! List states by hand-made examples written from the ops' meanings (the executors are
    //! held to each other by tests/engine_equivalence.rs and the search's level test).
    use super::*;
    use crate::engine::cpu_eval::run_program_positioned;
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
    fn compose_growing_lays_the_larger_elements_first() {
        // a 3-cell 1-L and a lone 2 inside its box: compose lays them in order (the 2, later,
        // over the 1-L's 0), compose_growing lays the larger 1-L first, the 2 over it
        let g = grid!["110", "120", "000"];
        assert_eq!(run("split(colors) | compose", &g), Some((grid!["11", "12"], (0, 0))));
        assert_eq!(run("split(colors) | compose_growing", &g), Some((grid!["11", "12"], (0, 0))));
        // the two differ where elements overlap: the lone 1 (first) and the 2-square (later),
        // each upscaled over the other's box
        let h = grid!["1000", "0220", "0220", "0000"];
        assert_eq!(run("split(colors) | upscale(2) | compose", &h), Some((grid!["11000", "12222", "02222", "02222", "02222"], (0, 0))));
        assert_eq!(run("split(colors) | upscale(2) | compose_growing", &h), Some((grid!["11000", "11222", "02222", "02222", "02222"], (0, 0))), "the 1, with fewer cells, lies over");
        // ties keep the order
        assert_eq!(run("split(colors) | compose_growing", &grid!["1002"]), Some((grid!["1002"], (0, 0))));
        assert_eq!(run("compose_growing", &g), None, "no list");
    }

    #[test]
    fn stack_lays_the_elements_side_by_side() {
        let g = objects(); // the 1-L at (1,1) 2x2, the 2-L at (1,4) 2x2, the lone 3 at (4,0)
        // by box area, smallest first: the 3, then the two Ls in order; tops (across) or left
        // edges (down) on the first's; 0 where an element leaves room; lies where the 3 lies
        assert_eq!(run("split(objects) | stack(across)", &g), Some((grid!["31120", "00122"], (4, 0))));
        assert_eq!(run("split(objects) | stack(down)", &g), Some((grid!["30", "11", "01", "20", "22"], (4, 0))));
        // line: lefts 0,1,4 (least gap 1), tops 1,1,4 (least gap 0): across, by left column
        assert_eq!(run("split(objects) | stack(line)", &g), Some((grid!["31120", "00122"], (4, 0))));
        // elements one above another: tops 0,3 (gap 3) against lefts 2,2 (gap 0): down, by top
        let column = grid!["0010", "0000", "0000", "0022"];
        assert_eq!(run("split(objects) | stack(line)", &column), Some((grid!["10", "22"], (0, 2))));
        // one element: itself
        assert_eq!(run("split(objects) | stack(line)", &grid!["0000", "0110"]), Some((grid!["11"], (1, 1))));
        // past 30 a side: no output (lone 1s two columns apart, each upscaled to 4x4)
        let seven = grid!["10101010101010"];
        assert_eq!(run("split(objects) | upscale(4) | stack(across)", &seven).map(|(g, _)| (g.rows(), g.cols())), Some((4, 28)));
        let eight = grid!["101010101010101"];
        assert_eq!(run("split(objects) | upscale(4) | stack(across)", &eight), None);
        assert_eq!(run("split(objects) | upscale(4) | stack(down)", &eight), None);
        assert_eq!(run("stack(line)", &g), None, "no list");
    }

    #[test]
    fn the_enclosed_criteria_tell_closed_loops_from_open_shapes() {
        // a closed 3x3 ring (one enclosed cell), an open U (none), a lone cell (none)
        let g = grid!["1110202", "1010202", "1110222", "0000000", "3000000"];
        assert_eq!(elements("split(objects) | keep_best(most_enclosed)", &g), Some(vec![(grid!["111", "101", "111"], (0, 0))]));
        // fewest: every element tied at 0 kept; drop_best(fewest_enclosed) keeps the loops
        assert_eq!(elements("split(objects) | keep_best(fewest_enclosed)", &g).map(|v| v.len()), Some(2));
        assert_eq!(elements("split(objects) | drop_best(fewest_enclosed)", &g), Some(vec![(grid!["111", "101", "111"], (0, 0))]));
        assert_eq!(enclosed_cells(&[1, 1, 1, 1, 0, 1, 1, 1, 1], 3, 3), 1);
        // the constants name the table's criteria and part kind
        use crate::engine::ops::table::{LIST_CRITERIA, PARTS};
        assert_eq!((LIST_CRITERIA[MOST_ENCLOSED as usize], LIST_CRITERIA[FEWEST_ENCLOSED as usize]), ("most_enclosed", "fewest_enclosed"));
        assert_eq!(PARTS[COMPONENTS as usize], "components");
        assert_eq!(enclosed_cells(&[1, 0, 1, 1, 0, 1, 1, 1, 1], 3, 3), 0, "open at the top");
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
