//! The scale family: ops that change a grid's size by a rule on rows and columns
//! (upscale, downscale, tile, mirrored tile, half, dedupe, drop_blank), to a target size
//! (repeat_to, mirror_to, embed, resize_to, wrap_to) or by a ring (pad, unpad), and move
//! its cells (shift), as CPU kernels beside their reference meanings. GLSL:
//! `shaders/ops/scale.glsl`.

use super::{background, reference_background, moved_by, sized, Canvas, Scratch, Step};
use crate::dsl;
use crate::grid::{Grid, MAX_SIDE};

pub fn upscale(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let (rows, cols, a) = (src.rows, src.cols, step.a as usize);
    if !sized(dst, rows * a, cols * a) {
        return false;
    }
    let w = cols * a;
    for r in 0..rows * a {
        let src_row = &src.cells[(r / a) * cols..(r / a) * cols + cols];
        let dst_row = &mut dst.cells[r * w..r * w + w];
        for (c, &v) in src_row.iter().enumerate() {
            dst_row[c * a..c * a + a].fill(v);
        }
    }
    true
}

pub fn downscale(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let a = step.a as usize;
    let (h, w) = (src.rows.div_ceil(a), src.cols.div_ceil(a));
    if !sized(dst, h, w) {
        return false;
    }
    for r in 0..h {
        for c in 0..w {
            dst.cells[r * w + c] = src.at(r * a, c * a);
        }
    }
    true
}

fn tile_copies(step: &Step, src: &Canvas, dst: &mut Canvas, mirrored: bool) -> bool {
    let (rows, cols) = (src.rows, src.cols);
    let (h, w) = (rows * step.a as usize, cols * step.b as usize);
    if !sized(dst, h, w) {
        return false;
    }
    for r in 0..h {
        let (copy_r, in_r) = (r / rows, r % rows);
        let sr = if mirrored && copy_r % 2 == 1 { rows - 1 - in_r } else { in_r };
        let src_row = &src.cells[sr * cols..sr * cols + cols];
        for copy_c in 0..step.b as usize {
            let dst_row = &mut dst.cells[r * w + copy_c * cols..r * w + copy_c * cols + cols];
            if mirrored && copy_c % 2 == 1 {
                for (d, &v) in dst_row.iter_mut().zip(src_row.iter().rev()) {
                    *d = v;
                }
            } else {
                dst_row.copy_from_slice(src_row);
            }
        }
    }
    true
}

pub fn tile(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    tile_copies(step, src, dst, false)
}

pub fn tile_mirrored(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    tile_copies(step, src, dst, true)
}

pub fn half(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let (rows, cols, a) = (src.rows, src.cols, step.a);
    let (h, w) = if a < 2 { (rows / 2, cols) } else { (rows, cols / 2) };
    if !sized(dst, h, w) {
        return false;
    }
    let r0 = if a == 1 { rows - h } else { 0 };
    let c0 = if a == 3 { cols - w } else { 0 };
    moved_by(src, dst, r0, c0);
    for r in 0..h {
        let from = (r + r0) * cols + c0;
        dst.cells[r * w..r * w + w].copy_from_slice(&src.cells[from..from + w]);
    }
    true
}

/// Keeps the rows and columns `keep_row` and `keep_col` accept, in order.
fn keep_lines(src: &Canvas, dst: &mut Canvas, keep_row: impl Fn(usize) -> bool, keep_col: impl Fn(usize) -> bool) -> bool {
    let mut keep_rows = [0u8; MAX_SIDE];
    let mut keep_cols = [0u8; MAX_SIDE];
    let (mut h, mut w) = (0, 0);
    for r in (0..src.rows).filter(|&r| keep_row(r)) {
        keep_rows[h] = r as u8;
        h += 1;
    }
    for c in (0..src.cols).filter(|&c| keep_col(c)) {
        keep_cols[w] = c as u8;
        w += 1;
    }
    if !sized(dst, h, w) {
        return false;
    }
    for (r, &kr) in keep_rows[..h].iter().enumerate() {
        for (c, &kc) in keep_cols[..w].iter().enumerate() {
            dst.cells[r * w + c] = src.at(kr as usize, kc as usize);
        }
    }
    true
}

pub fn dedupe(_: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let (rows, cols) = (src.rows, src.cols);
    keep_lines(
        src,
        dst,
        |r| r == 0 || (0..cols).any(|c| src.at(r, c) != src.at(r - 1, c)),
        |c| c == 0 || (0..rows).any(|r| src.at(r, c) != src.at(r, c - 1)),
    )
}

pub fn drop_blank(_: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let (rows, cols) = (src.rows, src.cols);
    let bg = background(src);
    keep_lines(src, dst, |r| (0..cols).any(|c| src.at(r, c) != bg), |c| (0..rows).any(|r| src.at(r, c) != bg))
}

/// `rows`×`cols` copies of the source read at (r mod h, c mod w), odd copies mirrored when
/// asked.
fn repeat_copies(step: &Step, src: &Canvas, dst: &mut Canvas, mirrored: bool) -> bool {
    let (h, w) = (src.rows, src.cols);
    let (oh, ow) = (step.a as usize, step.b as usize);
    if !sized(dst, oh, ow) {
        return false;
    }
    for r in 0..oh {
        let (copy_r, in_r) = (r / h, r % h);
        let sr = if mirrored && copy_r % 2 == 1 { h - 1 - in_r } else { in_r };
        for c in 0..ow {
            let (copy_c, in_c) = (c / w, c % w);
            let sc = if mirrored && copy_c % 2 == 1 { w - 1 - in_c } else { in_c };
            dst.cells[r * ow + c] = src.at(sr, sc);
        }
    }
    true
}

pub fn repeat_to(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    repeat_copies(step, src, dst, false)
}

pub fn mirror_to(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    repeat_copies(step, src, dst, true)
}

pub fn embed(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let bg = background(src);
    let (oh, ow) = (step.a as usize, step.b as usize);
    if !sized(dst, oh, ow) {
        return false;
    }
    for r in 0..oh {
        for c in 0..ow {
            dst.cells[r * ow + c] = if r < src.rows && c < src.cols { src.at(r, c) } else { bg };
        }
    }
    true
}

pub fn upscale_reference(step: &Step, g: &Grid) -> Option<Grid> {
    dsl::upscale(g, step.a as usize, step.a as usize).ok()
}

pub fn downscale_reference(step: &Step, g: &Grid) -> Option<Grid> {
    dsl::downscale(g, step.a as usize).ok()
}

pub fn tile_reference(step: &Step, g: &Grid) -> Option<Grid> {
    dsl::tile(g, step.a as usize, step.b as usize).ok()
}

pub fn tile_mirrored_reference(step: &Step, g: &Grid) -> Option<Grid> {
    let (h, w) = (g.rows(), g.cols());
    Grid::from_fn(h * step.a as usize, w * step.b as usize, |r, c| {
        let (tr, tc) = (r / h, c / w);
        let sr = if tr % 2 == 1 { h - 1 - r % h } else { r % h };
        let sc = if tc % 2 == 1 { w - 1 - c % w } else { c % w };
        g.get(sr, sc)
    })
    .ok()
}

pub fn half_reference(step: &Step, g: &Grid) -> Option<Grid> {
    match step.a {
        0 => dsl::tophalf(g),
        1 => dsl::bottomhalf(g),
        2 => dsl::lefthalf(g),
        _ => dsl::righthalf(g),
    }
    .ok()
}

pub fn dedupe_reference(_: &Step, g: &Grid) -> Option<Grid> {
    Some(dsl::dedupe(g))
}

pub fn drop_blank_reference(_: &Step, g: &Grid) -> Option<Grid> {
    let bg = reference_background(g);
    let rows: Vec<usize> = (0..g.rows()).filter(|&r| (0..g.cols()).any(|c| g.get(r, c) != bg)).collect();
    let cols: Vec<usize> = (0..g.cols()).filter(|&c| (0..g.rows()).any(|r| g.get(r, c) != bg)).collect();
    Grid::from_fn(rows.len(), cols.len(), |r, c| g.get(rows[r], cols[c])).ok()
}

pub fn repeat_to_reference(step: &Step, g: &Grid) -> Option<Grid> {
    Grid::from_fn(step.a as usize, step.b as usize, |r, c| g.get(r % g.rows(), c % g.cols())).ok()
}

pub fn mirror_to_reference(step: &Step, g: &Grid) -> Option<Grid> {
    // the mirrored tiling, big enough, then its top-left corner
    let (h, w) = (g.rows(), g.cols());
    let mirrored_index = |i: usize, n: usize| if (i / n) % 2 == 1 { n - 1 - i % n } else { i % n };
    Grid::from_fn(step.a as usize, step.b as usize, |r, c| g.get(mirrored_index(r, h), mirrored_index(c, w))).ok()
}

pub fn embed_reference(step: &Step, g: &Grid) -> Option<Grid> {
    let bg = reference_background(g);
    Grid::from_fn(step.a as usize, step.b as usize, |r, c| if r < g.rows() && c < g.cols() { g.get(r, c) } else { bg }).ok()
}

pub fn resize_to(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let (h, w, oh, ow) = (src.rows, src.cols, step.a as usize, step.b as usize);
    if !sized(dst, oh, ow) {
        return false;
    }
    for r in 0..oh {
        for c in 0..ow {
            dst.cells[r * ow + c] = src.cells[(r * h / oh) * w + c * w / ow];
        }
    }
    true
}

pub fn wrap_to(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let bg = background(src);
    let (n, oh, ow) = (src.rows * src.cols, step.a as usize, step.b as usize);
    if !sized(dst, oh, ow) {
        return false;
    }
    for k in 0..oh * ow {
        dst.cells[k] = if k < n { src.cells[k] } else { bg };
    }
    true
}

pub fn pad(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let (h, w) = (src.rows, src.cols);
    if !sized(dst, h + 2, w + 2) {
        return false;
    }
    for r in 0..h + 2 {
        for c in 0..w + 2 {
            let ring = r == 0 || c == 0 || r == h + 1 || c == w + 1;
            dst.cells[r * (w + 2) + c] = if ring { step.a as u8 } else { src.cells[(r - 1) * w + c - 1] };
        }
    }
    true
}

pub fn unpad(_: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let (h, w) = (src.rows, src.cols);
    if h < 3 || w < 3 || !sized(dst, h - 2, w - 2) {
        return false;
    }
    moved_by(src, dst, 1, 1);
    for r in 0..h - 2 {
        for c in 0..w - 2 {
            dst.cells[r * (w - 2) + c] = src.cells[(r + 1) * w + c + 1];
        }
    }
    true
}

pub fn resize_to_reference(step: &Step, g: &Grid) -> Option<Grid> {
    let (oh, ow) = (step.a as usize, step.b as usize);
    Grid::from_fn(oh, ow, |r, c| g.get(r * g.rows() / oh, c * g.cols() / ow)).ok()
}

pub fn wrap_to_reference(step: &Step, g: &Grid) -> Option<Grid> {
    let bg = reference_background(g);
    let ow = step.b as usize;
    Grid::from_fn(step.a as usize, ow, |r, c| g.cells().get(r * ow + c).copied().unwrap_or(bg)).ok()
}

pub fn pad_reference(step: &Step, g: &Grid) -> Option<Grid> {
    let ring = dsl::canvas(step.a as u8, g.rows() + 2, g.cols() + 2).ok()?;
    let content = dsl::patches::as_object(g).shift(1, 1);
    Some(dsl::paint(&ring, &content))
}

pub fn unpad_reference(_: &Step, g: &Grid) -> Option<Grid> {
    if g.rows() < 3 || g.cols() < 3 {
        return None;
    }
    dsl::crop(g, 1, 1, g.rows() - 2, g.cols() - 2).ok()
}

pub fn shift(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let (h, w) = (src.rows as isize, src.cols as isize);
    let bg = background(src);
    let (dr, dc) = (step.a as isize - 2, step.b as isize - 2);
    if !sized(dst, src.rows, src.cols) {
        return false;
    }
    for r in 0..h {
        for c in 0..w {
            let (sr, sc) = (r - dr, c - dc);
            let inside = sr >= 0 && sc >= 0 && sr < h && sc < w;
            dst.cells[(r * w + c) as usize] = if inside { src.cells[(sr * w + sc) as usize] } else { bg };
        }
    }
    true
}

pub fn shift_reference(step: &Step, g: &Grid) -> Option<Grid> {
    dsl::shift_grid(g, i64::from(step.a) - 2, i64::from(step.b) - 2, reference_background(g)).ok()
}

/// The sized op `to_output_size` stands for, at the canvas's target size (None when the
/// target is unknown).
fn output_size_step(step: &Step, target: (usize, usize)) -> Option<Step> {
    use super::Op;
    if target.0 == 0 || target.1 == 0 {
        return None;
    }
    let op = [Op::Embed, Op::ResizeTo, Op::RepeatTo, Op::MirrorTo, Op::WrapTo][step.a as usize];
    Some(Step::with(op, target.0 as u32, target.1 as u32))
}

pub fn to_output_size(step: &Step, src: &Canvas, dst: &mut Canvas, scratch: &mut Scratch) -> bool {
    let Some(sized_step) = output_size_step(step, src.target) else { return false };
    super::apply_cpu(&sized_step, src, dst, scratch)
}

/// to_origin: the cells unchanged, at row 0, column 0.
pub fn to_origin(_: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    if !sized(dst, src.rows, src.cols) {
        return false;
    }
    dst.cells[..src.len()].copy_from_slice(src.filled());
    dst.origin = (0, 0);
    true
}

/// The position is not part of a grid's cells: the cells stay.
pub fn to_origin_reference(_: &Step, g: &Grid) -> Option<Grid> {
    Some(g.clone())
}

/// Where `place` puts a grid of `size` lying at `origin` on a canvas of `target`: at its
/// position, or at (0, 0) when it already has the target size; None when the target is
/// unknown or the grid does not fit.
fn placed_at(size: (usize, usize), origin: (usize, usize), target: (usize, usize)) -> Option<(usize, usize)> {
    if target.0 == 0 || target.1 == 0 {
        return None;
    }
    let at = if size == target { (0, 0) } else { origin };
    (at.0 + size.0 <= target.0 && at.1 + size.1 <= target.1).then_some(at)
}

/// place: the grid at its position on a background-0 canvas of its pair's output size.
pub fn place(_: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let Some((r0, c0)) = placed_at((src.rows, src.cols), src.origin, src.target) else { return false };
    let (th, tw) = src.target;
    if !sized(dst, th, tw) {
        return false;
    }
    dst.cells[..th * tw].fill(0);
    for r in 0..src.rows {
        let to = (r + r0) * tw + c0;
        dst.cells[to..to + src.cols].copy_from_slice(&src.cells[r * src.cols..(r + 1) * src.cols]);
    }
    dst.origin = (0, 0);
    true
}

/// The cell of a grid `n` cells long whose copies are laid so that one starts at `origin`
/// that lands at `i` (every other copy read backwards when `mirrored`). Adding 60 copies
/// keeps the offset positive (an origin is below 30) and the copies' parity.
fn copy_index(i: usize, origin: usize, n: usize, mirrored: bool) -> usize {
    let offset = i + 60 * n - origin;
    let (copy, within) = (offset / n, offset % n);
    if mirrored && copy % 2 == 1 { n - 1 - within } else { within }
}

/// repeat_around: copies of the grid over a canvas of its pair's output size, one of them
/// where the grid lies.
pub fn repeat_around(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let (th, tw) = src.target;
    if th == 0 || tw == 0 || !sized(dst, th, tw) {
        return false;
    }
    let mirrored = step.a == 1;
    for r in 0..th {
        let sr = copy_index(r, src.origin.0, src.rows, mirrored);
        for c in 0..tw {
            dst.cells[r * tw + c] = src.at(sr, copy_index(c, src.origin.1, src.cols, mirrored));
        }
    }
    dst.origin = (0, 0);
    true
}

/// A grid alone has no pair: no output (the tests check the kernel against
/// `repeat_around_reference_at`).
pub fn repeat_around_reference(_: &Step, _: &Grid) -> Option<Grid> {
    None
}

/// `repeat_around` of a grid lying at `origin` on the canvas of a pair whose output size
/// is `target`, written plainly from the op's meaning (signed offsets from the grid's copy).
#[cfg(test)]
pub(crate) fn repeat_around_reference_at(g: &Grid, origin: (usize, usize), target: (usize, usize), mirrored: bool) -> Option<Grid> {
    if target.0 == 0 || target.1 == 0 {
        return None;
    }
    let read = |i: usize, at: usize, n: usize| {
        let offset = i as i64 - at as i64;
        let (copy, within) = (offset.div_euclid(n as i64), offset.rem_euclid(n as i64) as usize);
        if mirrored && copy.rem_euclid(2) == 1 { n - 1 - within } else { within }
    };
    Grid::from_fn(target.0, target.1, |r, c| g.get(read(r, origin.0, g.rows()), read(c, origin.1, g.cols()))).ok()
}

/// A grid alone has no pair and no position: no output (the tests check the kernel
/// against `place_reference_at`).
pub fn place_reference(_: &Step, _: &Grid) -> Option<Grid> {
    None
}

/// `place` of a grid lying at `origin` on the canvas of a pair whose output size is
/// `target`, written plainly from the op's meaning.
#[cfg(test)]
pub(crate) fn place_reference_at(g: &Grid, origin: (usize, usize), target: (usize, usize)) -> Option<Grid> {
    if target.0 == 0 || target.1 == 0 {
        return None;
    }
    if (g.rows(), g.cols()) == target {
        return Some(g.clone());
    }
    let (r0, c0) = origin;
    if r0 + g.rows() > target.0 || c0 + g.cols() > target.1 {
        return None;
    }
    Grid::from_fn(target.0, target.1, |r, c| if r >= r0 && c >= c0 && r - r0 < g.rows() && c - c0 < g.cols() { g.get(r - r0, c - c0) } else { 0 }).ok()
}

/// A grid alone has no pair, so no output size: none (the search's tests check the
/// kernel against the sized ops' references at each pair's size).
pub fn to_output_size_reference(_: &Step, _: &Grid) -> Option<Grid> {
    None
}

/// `to_output_size` with a known target: the sized op's reference meaning.
#[cfg(test)]
pub(crate) fn to_output_size_reference_at(step: &Step, g: &Grid, target: (usize, usize)) -> Option<Grid> {
    super::apply_reference(&output_size_step(step, target)?, g)
}

#[cfg(test)]
mod position_tests {
    //! Positions and `place`, by hand-made examples written from the ops' meanings.
    use super::place_reference_at;
    use crate::engine::cpu_eval::run_program_positioned;
    use crate::engine::program::Program;
    use crate::grid;
    use crate::grid::Grid;

    fn run(program: &str, g: &Grid, target: (usize, usize)) -> Option<(Grid, (usize, usize))> {
        run_program_positioned(&Program::parse(program).unwrap(), g, target)
    }

    #[test]
    fn crops_move_the_position_to_the_part_they_keep() {
        let g = grid!["00000", "00120", "00030", "40000"];
        assert_eq!(run("identity", &g, (0, 0)), Some((g.clone(), (0, 0))), "an input lies at 0, 0");
        assert_eq!(run("crop_content", &g, (0, 0)), Some((grid!["0012", "0003", "4000"], (1, 0))), "rows 1-3, columns 0-3");
        let objects = grid!["0000", "0110", "0012", "3000"];
        assert_eq!(run("crop_largest", &objects, (0, 0)), Some((grid!["11", "01"], (1, 1))));
        assert_eq!(run("crop_smallest", &objects, (0, 0)), Some((grid!["2"], (2, 3))));
        // pick's and crop_object's objects take any colours: the 1s and the 2 are one
        assert_eq!(run("pick(objects,largest)", &objects, (0, 0)), Some((grid!["110", "012"], (1, 1))));
        assert_eq!(run("crop_object(largest)", &objects, (0, 0)), Some((grid!["110", "012"], (1, 1))));
        assert_eq!(run("pick(colors,smallest)", &objects, (0, 0)), Some((grid!["2"], (2, 3))));
        assert_eq!(run("half(bottom)", &grid!["1", "2", "3", "4", "5"], (0, 0)), Some((grid!["4", "5"], (3, 0))));
        assert_eq!(run("half(right)", &grid!["12345"], (0, 0)), Some((grid!["45"], (0, 3))));
        assert_eq!(run("unpad", &objects, (0, 0)), Some((grid!["11", "01"], (1, 1))));
        // crops add up; other ops keep the position; to_origin forgets it
        assert_eq!(run("unpad | crop_smallest", &grid!["00000", "00000", "00010", "00000"], (0, 0)), Some((grid!["1"], (2, 3))));
        assert_eq!(run("crop_largest | rot90", &objects, (0, 0)), Some((grid!["01", "11"], (1, 1))));
        assert_eq!(run("crop_largest | to_origin", &objects, (0, 0)), Some((grid!["11", "01"], (0, 0))));
    }

    #[test]
    fn a_grid_reaching_past_the_frame_from_its_position_lies_at_the_origin() {
        let mut rows = vec![vec![0u8; 30]; 30];
        rows[26][26] = 1;
        rows[26][27] = 1;
        let g = Grid::from_rows(&rows).unwrap();
        assert_eq!(run("crop_content", &g, (0, 0)), Some((grid!["11"], (26, 26))));
        assert_eq!(run("crop_content | upscale(2)", &g, (0, 0)), Some((grid!["1111", "1111"], (26, 26))), "26 + 4 = 30 still fits");
        assert_eq!(run("crop_content | upscale(3)", &g, (0, 0)), Some((grid!["111111", "111111", "111111"], (0, 0))), "26 + 6 > 30");
    }

    #[test]
    fn place_puts_the_grid_at_its_position_on_a_canvas_of_the_output_size() {
        let objects = grid!["0000", "0110", "0012", "3000"];
        // the largest object, mirrored, back where it was; 0 elsewhere
        assert_eq!(run("crop_largest | flip_leftright | place", &objects, (4, 4)), Some((grid!["0000", "0110", "0100", "0000"], (0, 0))));
        // a larger canvas keeps the position from the top-left
        assert_eq!(run("crop_smallest | place", &objects, (3, 5)), Some((grid!["00000", "00000", "00020"], (0, 0))));
        // a grid of the output's size is unchanged, wherever it lies
        assert_eq!(run("crop_largest | place", &objects, (2, 2)), Some((grid!["11", "01"], (0, 0))));
        // no output where it does not fit, or where no output size is known
        assert_eq!(run("crop_smallest | place", &objects, (2, 4)), None);
        assert_eq!(run("crop_smallest | place", &objects, (0, 0)), None);
        assert_eq!(run("place", &objects, (0, 0)), None);
        // the kernel agrees with the meaning written plainly
        for (g, origin, target) in [(grid!["12", "34"], (0, 0), (3, 3)), (grid!["12", "34"], (1, 1), (3, 3)), (grid!["12", "34"], (2, 1), (3, 3)), (grid!["5"], (4, 0), (5, 2)), (grid!["12", "34"], (3, 3), (2, 2))] {
            let mut canvas = crate::engine::ops::Canvas::empty();
            canvas.load_placed(&g, target, origin);
            let mut out = crate::engine::ops::Canvas::empty();
            let applied = crate::engine::ops::apply_cpu(&crate::engine::program::Step::new(crate::engine::program::Op::Place), &canvas, &mut out, &mut crate::engine::ops::Scratch::new());
            assert_eq!(applied.then(|| out.to_grid()), place_reference_at(&g, origin, target), "{g:?} at {origin:?} on {target:?}");
        }
    }

    #[test]
    fn repeat_around_lays_copies_in_step_with_the_grid_s_position() {
        use super::repeat_around_reference_at;
        // three rows of the input, cropped where they lay (from row 2), repeated over a 5x4
        // canvas: one copy stays on rows 2-4, so row 0 holds the copy's row (0 - 2) mod 3 = 1
        let g = grid!["0000", "0000", "1200", "3333", "0040", "0000"];
        assert_eq!(run("crop_content | repeat_around(plain)", &g, (5, 4)), Some((grid!["3333", "0040", "1200", "3333", "0040"], (0, 0))));
        // mirrored: the copy above the grid's runs backwards (its rows 2, 1, 0 end on row 1)
        assert_eq!(run("crop_content | repeat_around(mirrored)", &g, (5, 4)), Some((grid!["3333", "1200", "1200", "3333", "0040"], (0, 0))));
        // across as well: the 2 of the input's column 1 repeats every 2 columns from there
        assert_eq!(run("crop_smallest | repeat_around(plain)", &grid!["000", "020"], (2, 4)), Some((grid!["2222", "2222"], (0, 0))));
        // no output where the output size is unknown
        assert_eq!(run("repeat_around(plain)", &g, (0, 0)), None);
        // the kernel agrees with the meaning written plainly
        for mirrored in [false, true] {
            for (g, origin, target) in [(grid!["12", "34"], (0, 0), (3, 5)), (grid!["12", "34", "56"], (1, 2), (7, 7)), (grid!["5"], (4, 0), (5, 2)), (grid!["123"], (29, 27), (30, 30)), (grid!["12", "34"], (3, 3), (2, 2))] {
                let mut canvas = crate::engine::ops::Canvas::empty();
                canvas.load_placed(&g, target, origin);
                let mut out = crate::engine::ops::Canvas::empty();
                let step = crate::engine::program::Step::with(crate::engine::program::Op::RepeatAround, mirrored as u32, 0);
                let applied = crate::engine::ops::apply_cpu(&step, &canvas, &mut out, &mut crate::engine::ops::Scratch::new());
                assert_eq!(applied.then(|| out.to_grid()), repeat_around_reference_at(&g, origin, target, mirrored), "{g:?} at {origin:?} on {target:?}, mirrored {mirrored}");
            }
        }
    }
}
