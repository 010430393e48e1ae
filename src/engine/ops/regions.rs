//! The regions family: ops that move or fill cells by their surroundings (gravity, fill
//! enclosed background, outline, symmetry completion, combining two halves, denoise,
//! border, interior, connecting lines, smearing, filling the content's box, framing the
//! grid, spreading colours), as CPU kernels beside their reference meanings. GLSL:
//! `shaders/ops/regions.glsl`.

use super::{background, reference_background, majority_foreground, reach_border, sized, Canvas, Scratch, Step, NO_LABEL};
use crate::dsl::{self, Direction, Logic, Mirror};
use crate::grid::{Grid, MAX_SIDE};

pub fn gravity(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let (rows, cols, a) = (src.rows, src.cols, step.a);
    let bg = background(src);
    if !sized(dst, rows, cols) {
        return false;
    }
    let vertical = a < 2;
    let toward_start = a == 0 || a == 2;
    let (lines, len) = if vertical { (cols, rows) } else { (rows, cols) };
    let index = |t: usize, k: usize| if vertical { k * cols + t } else { t * cols + k };
    for t in 0..lines {
        for k in 0..len {
            dst.cells[index(t, k)] = bg;
        }
        let mut count = 0;
        for step_k in 0..len {
            let k = if toward_start { step_k } else { len - 1 - step_k };
            let v = src.cells[index(t, k)];
            if v != bg {
                let to = if toward_start { count } else { len - 1 - count };
                dst.cells[index(t, to)] = v;
                count += 1;
            }
        }
    }
    true
}

pub fn fill_enclosed(step: &Step, src: &Canvas, dst: &mut Canvas, s: &mut Scratch) -> bool {
    let bg = background(src);
    reach_border(src, bg, s);
    if !sized(dst, src.rows, src.cols) {
        return false;
    }
    for i in 0..src.len() {
        let v = src.cells[i];
        dst.cells[i] = if v == bg && s.label[i] == 0 { step.a as u8 } else { v };
    }
    true
}

/// Outline (`Some(colour)`: background cells next to the foreground take it) or denoise
/// (`None`: foreground cells with no foreground neighbour become background).
fn by_neighbourhood(src: &Canvas, dst: &mut Canvas, outline_color: Option<u8>) -> bool {
    let bg = background(src);
    if !sized(dst, src.rows, src.cols) {
        return false;
    }
    // each row's foreground as bits (a side is at most 30 cells), then per row the cells
    // with a foreground cell among their 8 neighbours (themselves left out)
    let (h, w) = (src.rows, src.cols);
    let mut foreground = [0u32; MAX_SIDE];
    for (r, bits) in foreground.iter_mut().enumerate().take(h) {
        for (c, &v) in src.cells[r * w..(r + 1) * w].iter().enumerate() {
            *bits |= u32::from(v != bg) << c;
        }
    }
    let within = if w >= 32 { u32::MAX } else { (1u32 << w) - 1 };
    let across = |bits: u32| bits | bits << 1 | bits >> 1;
    for r in 0..h {
        let above = if r > 0 { across(foreground[r - 1]) } else { 0 };
        let below = if r + 1 < h { across(foreground[r + 1]) } else { 0 };
        let touched = (above | below | foreground[r] << 1 | foreground[r] >> 1) & within;
        for c in 0..w {
            let v = src.cells[r * w + c];
            let touches = touched >> c & 1 != 0;
            dst.cells[r * w + c] = match outline_color {
                Some(color) if v == bg && touches => color,
                None if v != bg && !touches => bg,
                _ => v,
            };
        }
    }
    true
}

pub fn outline(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    by_neighbourhood(src, dst, Some(step.a as u8))
}

pub fn denoise(_: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    by_neighbourhood(src, dst, None)
}

pub fn symmetrize(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let (rows, cols, a) = (src.rows, src.cols, step.a);
    let bg = background(src);
    if !sized(dst, rows, cols) || (a == 3 && rows != cols) {
        return false;
    }
    for r in 0..rows {
        for c in 0..cols {
            let mut v = src.at(r, c);
            if v == bg && a == 3 {
                // every symmetry of the square: the first non-background image of the cell
                let n = rows - 1;
                let images = [(r, n - c), (n - r, c), (n - r, n - c), (c, r), (n - c, n - r), (c, n - r), (n - c, r)];
                if let Some(&(ir, ic)) = images.iter().find(|&&(ir, ic)| src.at(ir, ic) != bg) {
                    v = src.at(ir, ic);
                }
            } else if v == bg {
                let lr = src.at(r, cols - 1 - c);
                let ud = src.at(rows - 1 - r, c);
                let both = src.at(rows - 1 - r, cols - 1 - c);
                if a == 0 {
                    if lr != bg {
                        v = lr;
                    }
                } else if a == 1 {
                    if ud != bg {
                        v = ud;
                    }
                } else if lr != bg {
                    v = lr;
                } else if ud != bg {
                    v = ud;
                } else if both != bg {
                    v = both;
                }
            }
            dst.cells[r * cols + c] = v;
        }
    }
    true
}

fn logic(op: u32, x: bool, y: bool) -> bool {
    match op {
        0 => x && y,
        1 => x || y,
        2 => x != y,
        _ => !(x || y),
    }
}

pub fn split_combine(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let (rows, cols, a) = (src.rows, src.cols, step.a);
    let (mut h, mut w) = (rows, cols);
    if a == 0 {
        w = cols / 2;
        if w > 0 && cols % 2 == 1 && (0..rows).any(|r| src.at(r, w) != src.at(0, w)) {
            h = 0;
        }
    } else {
        h = rows / 2;
        if h > 0 && rows % 2 == 1 && (0..cols).any(|c| src.at(h, c) != src.at(h, 0)) {
            w = 0;
        }
    }
    if !sized(dst, h, w) {
        return false;
    }
    for r in 0..h {
        for c in 0..w {
            let x = src.at(r, c) != 0;
            let y = if a == 0 { src.at(r, cols - w + c) != 0 } else { src.at(rows - h + r, c) != 0 };
            dst.cells[r * w + c] = if logic(step.b, x, y) { step.c as u8 } else { 0 };
        }
    }
    true
}

/// Non-background cells whose 4 neighbours are all inside the grid and not background
/// become `to` (None: the background); the rest stay.
fn paint_enclosed(src: &Canvas, dst: &mut Canvas, to: Option<u8>) -> bool {
    let (h, w) = (src.rows, src.cols);
    let bg = background(src);
    let to = to.unwrap_or(bg);
    if !sized(dst, h, w) {
        return false;
    }
    for r in 0..h {
        for c in 0..w {
            let v = src.at(r, c);
            let enclosed = r > 0
                && c > 0
                && r + 1 < h
                && c + 1 < w
                && src.at(r - 1, c) != bg
                && src.at(r + 1, c) != bg
                && src.at(r, c - 1) != bg
                && src.at(r, c + 1) != bg;
            dst.cells[r * w + c] = if v != bg && enclosed { to } else { v };
        }
    }
    true
}

pub fn border(_: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    paint_enclosed(src, dst, None)
}

pub fn interior(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    paint_enclosed(src, dst, Some(step.a as u8))
}

/// The cell index of position `k` on line `line`: rows when `along_rows`, else columns.
fn line_cell(along_rows: bool, w: usize, line: usize, k: usize) -> usize {
    if along_rows { line * w + k } else { k * w + line }
}

/// Joins along lines in two sweeps per line (mirrors connect_lines in regions.glsl): the
/// first notes in `label` the last non-background colour before each background cell, the
/// second paints a background cell whose nearest colours on both sides agree. With
/// `unjoined_only`, cells already joined (no longer background in dst) keep their colour.
fn connect_lines(src: &Canvas, dst: &mut Canvas, label: &mut [u16], bg: u8, along_rows: bool, unjoined_only: bool) {
    let (h, w) = (src.rows, src.cols);
    let (lines, len) = if along_rows { (h, w) } else { (w, h) };
    for line in 0..lines {
        let mut last = NO_COLOUR;
        for k in 0..len {
            let i = line_cell(along_rows, w, line, k);
            let v = src.cells[i];
            if v != bg {
                last = u16::from(v);
            } else {
                label[i] = last;
            }
        }
        let mut last = NO_COLOUR;
        for k in (0..len).rev() {
            let i = line_cell(along_rows, w, line, k);
            let v = src.cells[i];
            if v != bg {
                last = u16::from(v);
            } else if last != NO_COLOUR && label[i] == last && (!unjoined_only || dst.cells[i] == bg) {
                dst.cells[i] = last as u8;
            }
        }
    }
}

const NO_COLOUR: u16 = u16::MAX;

pub fn connect(step: &Step, src: &Canvas, dst: &mut Canvas, scratch: &mut Scratch) -> bool {
    let (h, w, a) = (src.rows, src.cols, step.a);
    let bg = background(src);
    if !sized(dst, h, w) {
        return false;
    }
    dst.cells[..h * w].copy_from_slice(&src.cells[..h * w]);
    if a != 1 {
        connect_lines(src, dst, &mut scratch.label, bg, true, false);
    }
    if a != 0 {
        connect_lines(src, dst, &mut scratch.label, bg, false, a == 2);
    }
    true
}

/// smear's direction as (drow, dcol), indexed like SMEAR_DIRECTIONS; mirrored in regions.glsl.
const SMEAR_STEPS: [(isize, isize); 8] = [(-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1)];

/// One pass in the direction of the smear (rows and columns visited so that each cell's
/// predecessor, one step against the direction, comes first): a background cell takes
/// its predecessor's result.
pub fn smear(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let (h, w) = (src.rows, src.cols);
    let bg = background(src);
    if !sized(dst, h, w) {
        return false;
    }
    let (dr, dc) = SMEAR_STEPS[step.a as usize];
    for k in 0..h {
        let r = if dr < 0 { h - 1 - k } else { k };
        for j in 0..w {
            let c = if dc < 0 { w - 1 - j } else { j };
            let v = src.cells[r * w + c];
            let (pr, pc) = (r as isize - dr, c as isize - dc);
            let inside = pr >= 0 && pc >= 0 && (pr as usize) < h && (pc as usize) < w;
            dst.cells[r * w + c] = if v == bg && inside { dst.cells[pr as usize * w + pc as usize] } else { v };
        }
    }
    true
}

pub fn gravity_reference(step: &Step, g: &Grid) -> Option<Grid> {
    Some(dsl::gravity_on(g, reference_background(g), [Direction::Up, Direction::Down, Direction::Left, Direction::Right][step.a as usize]))
}

pub fn fill_enclosed_reference(step: &Step, g: &Grid) -> Option<Grid> {
    dsl::fill_enclosed_on(g, reference_background(g), step.a as u8).ok()
}

pub fn outline_reference(step: &Step, g: &Grid) -> Option<Grid> {
    dsl::outline_on(g, reference_background(g), step.a as u8).ok()
}

pub fn denoise_reference(_: &Step, g: &Grid) -> Option<Grid> {
    Some(dsl::denoise_on(g, reference_background(g)))
}

pub fn symmetrize_reference(step: &Step, g: &Grid) -> Option<Grid> {
    let bg = reference_background(g);
    if step.a == 3 {
        // the square's eight symmetries as grids, each background cell filled from the first
        // of the seven other images that has a colour there
        if g.rows() != g.cols() {
            return None;
        }
        let images = [dsl::flip_leftright(g), dsl::flip_updown(g), dsl::rot180(g), dsl::transpose(g), dsl::antitranspose(g), dsl::rot270(g), dsl::rot90(g)];
        return Grid::from_fn(g.rows(), g.cols(), |r, c| {
            let own = g.get(r, c);
            if own != bg {
                return own;
            }
            images.iter().map(|image| image.get(r, c)).find(|&v| v != bg).unwrap_or(bg)
        })
        .ok();
    }
    Some(dsl::symmetrize_on(g, bg, [Mirror::Horizontal, Mirror::Vertical, Mirror::Both][step.a as usize]))
}

pub fn split_combine_reference(step: &Step, g: &Grid) -> Option<Grid> {
    let logic = [Logic::And, Logic::Or, Logic::Xor, Logic::Nor][step.b as usize];
    dsl::split_combine(g, step.a == 1, logic, step.c as u8).ok()
}

/// `g`'s cell at (r + dr, c + dc), None outside the grid.
fn cell_at(g: &Grid, r: usize, c: usize, dr: isize, dc: isize) -> Option<u8> {
    let (rr, cc) = (r as isize + dr, c as isize + dc);
    (rr >= 0 && cc >= 0 && (rr as usize) < g.rows() && (cc as usize) < g.cols()).then(|| g.get(rr as usize, cc as usize))
}

const FOUR_NEIGHBOURS: [(isize, isize); 4] = [(-1, 0), (1, 0), (0, -1), (0, 1)];

pub fn border_reference(_: &Step, g: &Grid) -> Option<Grid> {
    let bg = reference_background(g);
    Grid::from_fn(g.rows(), g.cols(), |r, c| {
        let on_border = FOUR_NEIGHBOURS.iter().any(|&(dr, dc)| cell_at(g, r, c, dr, dc).is_none_or(|v| v == bg));
        if on_border { g.get(r, c) } else { bg }
    })
    .ok()
}

pub fn interior_reference(step: &Step, g: &Grid) -> Option<Grid> {
    let bg = reference_background(g);
    Grid::from_fn(g.rows(), g.cols(), |r, c| {
        let v = g.get(r, c);
        let inside = FOUR_NEIGHBOURS.iter().all(|&(dr, dc)| cell_at(g, r, c, dr, dc).is_some_and(|n| n != bg));
        if v != bg && inside { step.a as u8 } else { v }
    })
    .ok()
}

/// The first non-background colour from (r, c) outward along (dr, dc), not counting (r, c).
fn first_seen(g: &Grid, bg: u8, r: usize, c: usize, dr: isize, dc: isize) -> Option<u8> {
    (1..).map_while(|k| cell_at(g, r, c, k * dr, k * dc)).find(|&v| v != bg)
}

pub fn connect_reference(step: &Step, g: &Grid) -> Option<Grid> {
    let bg = reference_background(g);
    let on_line = |r: usize, c: usize, dr: isize, dc: isize| match (first_seen(g, bg, r, c, -dr, -dc), first_seen(g, bg, r, c, dr, dc)) {
        (Some(a), Some(b)) if a == b => Some(a),
        _ => None,
    };
    Grid::from_fn(g.rows(), g.cols(), |r, c| {
        let v = g.get(r, c);
        if v != bg {
            return v;
        }
        let joined = match step.a {
            0 => on_line(r, c, 0, 1),
            1 => on_line(r, c, 1, 0),
            _ => on_line(r, c, 0, 1).or(on_line(r, c, 1, 0)),
        };
        joined.unwrap_or(v)
    })
    .ok()
}

pub fn smear_reference(step: &Step, g: &Grid) -> Option<Grid> {
    let bg = reference_background(g);
    // smearing toward `direction` = taking the first colour seen looking the other way
    let (dr, dc) = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1)][step.a as usize];
    Grid::from_fn(g.rows(), g.cols(), |r, c| {
        let v = g.get(r, c);
        if v != bg { v } else { first_seen(g, bg, r, c, dr, dc).unwrap_or(v) }
    })
    .ok()
}

pub fn fill_box(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let (h, w) = (src.rows, src.cols);
    let bg = background(src);
    let mut bbox = [MAX_SIDE, MAX_SIDE, 0, 0];
    for r in 0..h {
        for c in 0..w {
            if src.cells[r * w + c] != bg {
                bbox = [bbox[0].min(r), bbox[1].min(c), bbox[2].max(r), bbox[3].max(c)];
            }
        }
    }
    if !sized(dst, h, w) {
        return false;
    }
    for r in 0..h {
        for c in 0..w {
            let v = src.cells[r * w + c];
            let inside = r >= bbox[0] && r <= bbox[2] && c >= bbox[1] && c <= bbox[3];
            dst.cells[r * w + c] = if v == bg && inside { step.a as u8 } else { v };
        }
    }
    true
}

pub fn fill_box_reference(step: &Step, g: &Grid) -> Option<Grid> {
    let bg = reference_background(g);
    let content = dsl::foreground_on(g, reference_background(g));
    let Some(b) = content.bbox() else { return Some(g.clone()) };
    Grid::from_fn(g.rows(), g.cols(), |r, c| {
        let (ri, ci) = (r as i64, c as i64);
        let inside = ri >= b.top && ri <= b.bottom && ci >= b.left && ci <= b.right;
        if inside && g.get(r, c) == bg { step.a as u8 } else { g.get(r, c) }
    })
    .ok()
}

pub fn frame(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let (h, w) = (src.rows, src.cols);
    if !sized(dst, h, w) {
        return false;
    }
    for r in 0..h {
        for c in 0..w {
            let edge = r == 0 || c == 0 || r + 1 == h || c + 1 == w;
            dst.cells[r * w + c] = if edge { step.a as u8 } else { src.cells[r * w + c] };
        }
    }
    true
}

pub fn frame_reference(step: &Step, g: &Grid) -> Option<Grid> {
    let (h, w) = (g.rows(), g.cols());
    Grid::from_fn(h, w, |r, c| if r == 0 || c == 0 || r + 1 == h || c + 1 == w { step.a as u8 } else { g.get(r, c) }).ok()
}

/// The 4 neighbours in the order spread visits them: up, down, left, right.
const SPREAD_STEPS: [(isize, isize); 4] = [(-1, 0), (1, 0), (0, -1), (0, 1)];

pub fn spread(step: &Step, src: &Canvas, dst: &mut Canvas, s: &mut Scratch) -> bool {
    let (h, w) = (src.rows, src.cols);
    let bg = background(src);
    let skipped = if step.a == 1 { majority_foreground(src, bg) } else { None };
    if !sized(dst, h, w) {
        return false;
    }
    dst.cells[..h * w].copy_from_slice(&src.cells[..h * w]);
    // label: 0 = reached (a non-background cell, or background already given a colour)
    let mut tail = 0;
    for i in 0..h * w {
        s.label[i] = if src.cells[i] == bg { NO_LABEL } else { 0 };
        if src.cells[i] != bg && Some(src.cells[i]) != skipped {
            s.queue[tail] = i as u16;
            tail += 1;
        }
    }
    let mut head = 0;
    while head < tail {
        let i = s.queue[head] as usize;
        head += 1;
        let (r, c) = ((i / w) as isize, (i % w) as isize);
        for (dr, dc) in SPREAD_STEPS {
            let (nr, nc) = (r + dr, c + dc);
            if nr < 0 || nc < 0 || nr as usize >= h || nc as usize >= w {
                continue;
            }
            let j = nr as usize * w + nc as usize;
            if s.label[j] == NO_LABEL {
                s.label[j] = 0;
                dst.cells[j] = dst.cells[i];
                s.queue[tail] = j as u16;
                tail += 1;
            }
        }
    }
    true
}

/// spread written plainly: a breadth-first queue of (row, column, colour).
pub fn spread_reference(step: &Step, g: &Grid) -> Option<Grid> {
    let bg = reference_background(g);
    let skipped = if step.a == 1 { super::color::majority_foreground_reference(g) } else { None };
    let mut out = g.clone();
    let mut reached: Vec<bool> = g.cells().iter().map(|&v| v != bg).collect();
    let mut queue = std::collections::VecDeque::new();
    for r in 0..g.rows() {
        for c in 0..g.cols() {
            let v = g.get(r, c);
            if v != bg && Some(v) != skipped {
                queue.push_back((r as i64, c as i64, v));
            }
        }
    }
    while let Some((r, c, v)) = queue.pop_front() {
        for (dr, dc) in [(-1, 0), (1, 0), (0, -1), (0, 1)] {
            let (nr, nc) = (r + dr, c + dc);
            if g.try_get(nr, nc).is_none() || reached[nr as usize * g.cols() + nc as usize] {
                continue;
            }
            reached[nr as usize * g.cols() + nc as usize] = true;
            out.set(nr as usize, nc as usize, v);
            queue.push_back((nr, nc, v));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use crate::engine::program::Program;
    use crate::grid::Grid;

    #[test]
    fn outline_and_denoise_agree_with_their_references_on_every_shape() {
        // row bitmasks against the reference's neighbour scan: every shape up to 30x30 (a
        // sample), sparse and dense foregrounds, at the borders included
        let mut seed = 0x2545_f491u32;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        let programs: Vec<Program> = ["outline(3)", "outline(0)", "denoise"].iter().map(|t| Program::parse(t).unwrap()).collect();
        for (rows, cols) in [(1, 1), (1, 30), (30, 1), (2, 2), (3, 7), (30, 30), (29, 29), (17, 5)] {
            for density in [2u32, 5, 9] {
                let cells: Vec<u8> = (0..rows * cols).map(|_| if next() % 10 < density { (next() % 9 + 1) as u8 } else { 0 }).collect();
                let grid = Grid::from_cells(rows, cols, cells).unwrap();
                for p in &programs {
                    let expected = crate::engine::reference::run_program(p, &grid);
                    assert_eq!(crate::engine::cpu_eval::run_program(p, &grid), expected, "{p} on {rows}x{cols}:\n{grid}");
                }
            }
        }
    }
}
