//! The CPU executor: programs run on fixed 30×30 buffers with no allocation, one item per
//! rayon task over all cores. Each op is a plain sequential loop, written so that
//! `shaders/eval.comp` (one GPU thread per item) can mirror it line for line; both must
//! agree bit for bit with `reference` (the DSL meaning), which property tests check.

use rayon::prelude::*;

use super::program::{Op, Program, Step};
use super::{Item, ItemResult};
use crate::grid::{Grid, MAX_SIDE};

const CELLS: usize = MAX_SIDE * MAX_SIDE;
const NONE: u16 = u16::MAX;

/// A grid in a fixed buffer.
#[derive(Clone)]
pub struct Canvas {
    pub rows: usize,
    pub cols: usize,
    pub cells: [u8; CELLS],
}

impl Canvas {
    fn empty() -> Canvas {
        Canvas { rows: 0, cols: 0, cells: [0; CELLS] }
    }

    pub fn from_grid(g: &Grid) -> Canvas {
        let mut c = Canvas::empty();
        c.rows = g.rows();
        c.cols = g.cols();
        c.cells[..g.cells().len()].copy_from_slice(g.cells());
        c
    }

    pub fn to_grid(&self) -> Grid {
        Grid::from_cells(self.rows, self.cols, self.cells[..self.rows * self.cols].to_vec()).expect("valid canvas")
    }

    #[inline]
    fn at(&self, r: usize, c: usize) -> u8 {
        self.cells[r * self.cols + c]
    }

    fn len(&self) -> usize {
        self.rows * self.cols
    }
}

/// Working memory for ops that need more than two grids.
struct Scratch {
    label: [u16; CELLS],
    queue: [u16; CELLS],
}

/// The most common colour (ties: the smallest).
fn background(g: &Canvas) -> u8 {
    // four interleaved histograms break the store-to-load dependency between neighbours
    let mut lanes = [[0u32; 16]; 4];
    let cells = &g.cells[..g.len()];
    let mut chunks = cells.chunks_exact(4);
    for ch in &mut chunks {
        lanes[0][(ch[0] & 15) as usize] += 1;
        lanes[1][(ch[1] & 15) as usize] += 1;
        lanes[2][(ch[2] & 15) as usize] += 1;
        lanes[3][(ch[3] & 15) as usize] += 1;
    }
    for &v in chunks.remainder() {
        lanes[0][(v & 15) as usize] += 1;
    }
    let mut counts = [0u32; 10];
    for (c, count) in counts.iter_mut().enumerate() {
        *count = lanes[0][c] + lanes[1][c] + lanes[2][c] + lanes[3][c];
    }
    let mut best = 0;
    for c in 1..10 {
        if counts[c] > counts[best] {
            best = c;
        }
    }
    best as u8
}

/// Size check shared by every op: false when the result cannot exist.
fn sized(dst: &mut Canvas, rows: usize, cols: usize) -> bool {
    dst.rows = rows;
    dst.cols = cols;
    rows >= 1 && cols >= 1 && rows <= MAX_SIDE && cols <= MAX_SIDE
}

/// Labels objects (univalued, 4-connected, without background) in row-major order of
/// their first cell; returns the chosen one's label and bounding box (top, left, bottom,
/// right), largest or smallest (first on ties), or None when there are no objects. Queue
/// entries are `r << 5 | c`, as in the shader (no divisions).
fn pick_object(g: &Canvas, bg: u8, largest: bool, s: &mut Scratch) -> Option<(u16, [usize; 4])> {
    let (h, w) = (g.rows, g.cols);
    s.label[..h * w].fill(NONE);
    let mut best: Option<(u16, usize, [usize; 4])> = None;
    let mut next_label = 0u16;
    for r0 in 0..h {
        for c0 in 0..w {
            let start = r0 * w + c0;
            if s.label[start] != NONE || g.cells[start] == bg {
                continue;
            }
            let color = g.cells[start];
            let id = next_label;
            next_label += 1;
            s.label[start] = id;
            s.queue[0] = ((r0 << 5) | c0) as u16;
            let (mut head, mut tail) = (0usize, 1usize);
            let mut bbox = [r0, c0, r0, c0];
            while head < tail {
                let rc = s.queue[head] as usize;
                head += 1;
                let (r, c) = (rc >> 5, rc & 31);
                let i = r * w + c;
                bbox = [bbox[0].min(r), bbox[1].min(c), bbox[2].max(r), bbox[3].max(c)];
                let mut visit = |j: usize, next: usize| {
                    if s.label[j] == NONE && g.cells[j] == color {
                        s.label[j] = id;
                        s.queue[tail] = next as u16;
                        tail += 1;
                    }
                };
                if r > 0 {
                    visit(i - w, rc - 32);
                }
                if r + 1 < h {
                    visit(i + w, rc + 32);
                }
                if c > 0 {
                    visit(i - 1, rc - 1);
                }
                if c + 1 < w {
                    visit(i + 1, rc + 1);
                }
            }
            let size = tail;
            let better = match best {
                None => true,
                Some((_, b, _)) => if largest { size > b } else { size < b },
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
    let mut head = 0;
    while head < tail {
        let rc = s.queue[head] as usize;
        head += 1;
        let (r, c) = (rc >> 5, rc & 31);
        let i = r * w + c;
        let mut visit = |j: usize, next: usize| {
            if s.label[j] == 0 && g.cells[j] == bg {
                s.label[j] = 1;
                s.queue[tail] = next as u16;
                tail += 1;
            }
        };
        if r > 0 {
            visit(i - w, rc - 32);
        }
        if r + 1 < h {
            visit(i + w, rc + 32);
        }
        if c > 0 {
            visit(i - 1, rc - 1);
        }
        if c + 1 < w {
            visit(i + 1, rc + 1);
        }
    }
}

fn touches_foreground(g: &Canvas, bg: u8, r: usize, c: usize) -> bool {
    let (r0, r1) = (r.saturating_sub(1), (r + 1).min(g.rows - 1));
    let (c0, c1) = (c.saturating_sub(1), (c + 1).min(g.cols - 1));
    for rr in r0..=r1 {
        let row = &g.cells[rr * g.cols..rr * g.cols + g.cols];
        for (cc, &v) in row.iter().enumerate().take(c1 + 1).skip(c0) {
            if v != bg && (rr != r || cc != c) {
                return true;
            }
        }
    }
    false
}

fn logic(op: u32, x: bool, y: bool) -> bool {
    match op {
        0 => x && y,
        1 => x || y,
        2 => x != y,
        _ => !(x || y),
    }
}

/// Applies one step from `src` into `dst`; false when it cannot apply.
fn apply(step: &Step, src: &Canvas, dst: &mut Canvas, s: &mut Scratch) -> bool {
    let (rows, cols) = (src.rows, src.cols);
    let (a, b) = (step.a as usize, step.b as usize);
    match step.op {
        Op::Identity => {
            if !sized(dst, rows, cols) {
                return false;
            }
            dst.cells[..rows * cols].copy_from_slice(&src.cells[..rows * cols]);
        }
        Op::Rot90 | Op::Rot180 | Op::Rot270 | Op::FlipUpDown | Op::FlipLeftRight | Op::Transpose | Op::AntiTranspose => {
            let swap = matches!(step.op, Op::Rot90 | Op::Rot270 | Op::Transpose | Op::AntiTranspose);
            let (h, w) = if swap { (cols, rows) } else { (rows, cols) };
            if !sized(dst, h, w) {
                return false;
            }
            // source index of output (r, c) = start + r * dr + c * dc
            let (rows_i, cols_i) = (rows as isize, cols as isize);
            let (start, dr, dc): (isize, isize, isize) = match step.op {
                Op::Rot90 => ((rows_i - 1) * cols_i, 1, -cols_i),
                Op::Rot180 => ((rows_i - 1) * cols_i + cols_i - 1, -cols_i, -1),
                Op::Rot270 => (cols_i - 1, -1, cols_i),
                Op::FlipUpDown => ((rows_i - 1) * cols_i, -cols_i, 1),
                Op::FlipLeftRight => (cols_i - 1, cols_i, -1),
                Op::Transpose => (0, 1, cols_i),
                _ => ((rows_i - 1) * cols_i + cols_i - 1, -1, -cols_i),
            };
            for r in 0..h {
                let row_start = start + r as isize * dr;
                for c in 0..w {
                    dst.cells[r * w + c] = src.cells[(row_start + c as isize * dc) as usize];
                }
            }
        }
        Op::CropContent => {
            let bg = background(src);
            let mut bbox = [MAX_SIDE, MAX_SIDE, 0, 0];
            for r in 0..rows {
                for c in 0..cols {
                    if src.at(r, c) != bg {
                        bbox = [bbox[0].min(r), bbox[1].min(c), bbox[2].max(r), bbox[3].max(c)];
                    }
                }
            }
            if bbox[0] == MAX_SIDE {
                return false;
            }
            return crop(src, dst, bbox);
        }
        Op::CropLargestObject | Op::CropSmallestObject => {
            let bg = background(src);
            match pick_object(src, bg, step.op == Op::CropLargestObject, s) {
                Some((_, bbox)) => return crop(src, dst, bbox),
                None => return false,
            }
        }
        Op::KeepLargestObject => {
            let bg = background(src);
            let Some((id, _)) = pick_object(src, bg, true, s) else { return false };
            if !sized(dst, rows, cols) {
                return false;
            }
            for i in 0..rows * cols {
                dst.cells[i] = if s.label[i] == id { src.cells[i] } else { bg };
            }
        }
        Op::Recolor | Op::PaintForeground | Op::Permute | Op::Erase => {
            // every one of these is a colour table
            let mut table = [0u8, 1, 2, 3, 4, 5, 6, 7, 8, 9];
            match step.op {
                Op::Recolor => table[a] = b as u8,
                Op::Permute => {
                    for (x, t) in table.iter_mut().enumerate() {
                        *t = step.permuted(x as u8);
                    }
                }
                Op::PaintForeground => {
                    let bg = background(src);
                    for (x, t) in table.iter_mut().enumerate() {
                        *t = if x as u8 == bg { bg } else { a as u8 };
                    }
                }
                _ => table[a] = background(src),
            }
            if !sized(dst, rows, cols) {
                return false;
            }
            for (d, &v) in dst.cells[..rows * cols].iter_mut().zip(&src.cells[..rows * cols]) {
                *d = table[v as usize];
            }
        }
        Op::Upscale => {
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
        }
        Op::Downscale => {
            let (h, w) = (rows.div_ceil(a), cols.div_ceil(a));
            if !sized(dst, h, w) {
                return false;
            }
            for r in 0..h {
                for c in 0..w {
                    dst.cells[r * w + c] = src.at(r * a, c * a);
                }
            }
        }
        Op::Tile | Op::TileMirrored => {
            let (h, w) = (rows * a, cols * b);
            if !sized(dst, h, w) {
                return false;
            }
            let mirrored = step.op == Op::TileMirrored;
            for r in 0..h {
                let (copy_r, in_r) = (r / rows, r % rows);
                let sr = if mirrored && copy_r % 2 == 1 { rows - 1 - in_r } else { in_r };
                let src_row = &src.cells[sr * cols..sr * cols + cols];
                for copy_c in 0..b {
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
        }
        Op::Half => {
            let (h, w) = if a < 2 { (rows / 2, cols) } else { (rows, cols / 2) };
            if !sized(dst, h, w) {
                return false;
            }
            let r0 = if a == 1 { rows - h } else { 0 };
            let c0 = if a == 3 { cols - w } else { 0 };
            for r in 0..h {
                let from = (r + r0) * cols + c0;
                dst.cells[r * w..r * w + w].copy_from_slice(&src.cells[from..from + w]);
            }
        }
        Op::Dedupe => {
            let mut keep_rows = [0u8; MAX_SIDE];
            let mut keep_cols = [0u8; MAX_SIDE];
            let (mut h, mut w) = (0, 0);
            for r in 0..rows {
                if r == 0 || (0..cols).any(|c| src.at(r, c) != src.at(r - 1, c)) {
                    keep_rows[h] = r as u8;
                    h += 1;
                }
            }
            for c in 0..cols {
                if c == 0 || (0..rows).any(|r| src.at(r, c) != src.at(r, c - 1)) {
                    keep_cols[w] = c as u8;
                    w += 1;
                }
            }
            if !sized(dst, h, w) {
                return false;
            }
            for r in 0..h {
                for c in 0..w {
                    dst.cells[r * w + c] = src.at(keep_rows[r] as usize, keep_cols[c] as usize);
                }
            }
        }
        Op::Gravity => {
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
        }
        Op::FillEnclosed => {
            let bg = background(src);
            reach_border(src, bg, s);
            if !sized(dst, rows, cols) {
                return false;
            }
            for i in 0..rows * cols {
                let v = src.cells[i];
                dst.cells[i] = if v == bg && s.label[i] == 0 { a as u8 } else { v };
            }
        }
        Op::Outline | Op::Denoise => {
            let bg = background(src);
            if !sized(dst, rows, cols) {
                return false;
            }
            for r in 0..rows {
                for c in 0..cols {
                    let v = src.at(r, c);
                    dst.cells[r * cols + c] = if step.op == Op::Outline {
                        if v == bg && touches_foreground(src, bg, r, c) { a as u8 } else { v }
                    } else if v != bg && !touches_foreground(src, bg, r, c) {
                        bg
                    } else {
                        v
                    };
                }
            }
        }
        Op::Symmetrize => {
            let bg = background(src);
            if !sized(dst, rows, cols) {
                return false;
            }
            for r in 0..rows {
                for c in 0..cols {
                    let mut v = src.at(r, c);
                    if v == bg {
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
        }
        Op::SplitCombine => {
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
        }
    }
    true
}

fn crop(src: &Canvas, dst: &mut Canvas, bbox: [usize; 4]) -> bool {
    let (h, w) = (bbox[2] - bbox[0] + 1, bbox[3] - bbox[1] + 1);
    if !sized(dst, h, w) {
        return false;
    }
    for r in 0..h {
        let from = (r + bbox[0]) * src.cols + bbox[1];
        dst.cells[r * w..r * w + w].copy_from_slice(&src.cells[from..from + w]);
    }
    true
}

/// Runs a program; the result is in the returned canvas, None when a step cannot apply.
fn run(p: &Program, input: &Grid, bufs: &mut [Canvas; 2], s: &mut Scratch) -> Option<usize> {
    let n = input.cells().len();
    bufs[0].rows = input.rows();
    bufs[0].cols = input.cols();
    bufs[0].cells[..n].copy_from_slice(input.cells());
    let mut cur = 0;
    for step in p.steps() {
        let (lo, hi) = bufs.split_at_mut(1);
        let (src, dst) = if cur == 0 { (&lo[0], &mut hi[0]) } else { (&hi[0], &mut lo[0]) };
        if !apply(step, src, dst, s) {
            return None;
        }
        cur = 1 - cur;
    }
    Some(cur)
}

/// Runs a program on one grid; None when a step cannot apply.
pub fn run_program(p: &Program, input: &Grid) -> Option<Grid> {
    let mut bufs = [Canvas::empty(), Canvas::empty()];
    let mut s = Scratch { label: [0; CELLS], queue: [0; CELLS] };
    run(p, input, &mut bufs, &mut s).map(|i| bufs[i].to_grid())
}

/// Working buffers of one rayon worker.
struct Worker {
    bufs: [Canvas; 2],
    scratch: Scratch,
}

fn evaluate_with(w: &mut Worker, programs: &[Program], grids: &[Grid], item: &Item) -> ItemResult {
    let Some(i) = run(&programs[item.program as usize], &grids[item.input as usize], &mut w.bufs, &mut w.scratch) else {
        return ItemResult::NONE;
    };
    let out = &w.bufs[i];
    let n = out.len();
    let (shape_matched, cells_matched) = match item.expected.map(|e| &grids[e as usize]) {
        Some(e) if e.rows() == out.rows && e.cols() == out.cols => {
            (true, out.cells[..n].iter().zip(e.cells()).filter(|(a, b)| a == b).count() as u32)
        }
        _ => (false, 0),
    };
    ItemResult {
        produced: true,
        rows: out.rows as u8,
        cols: out.cols as u8,
        shape_matched,
        cells_matched,
        exact: shape_matched && cells_matched as usize == n,
        output: item.want_output.then(|| Box::new(out.to_grid())),
    }
}

fn new_worker() -> Box<Worker> {
    Box::new(Worker { bufs: [Canvas::empty(), Canvas::empty()], scratch: Scratch { label: [0; CELLS], queue: [0; CELLS] } })
}

/// Evaluates every item on all cores.
pub fn evaluate(programs: &[Program], grids: &[Grid], items: &[Item]) -> Vec<ItemResult> {
    items.par_iter().with_min_len(64).map_init(new_worker, |w, item| evaluate_with(w, programs, grids, item)).collect()
}

/// Evaluates every program on every input (program-major: result `p * inputs + i`),
/// scoring against `expecteds[i]` when given; the same layout as the GPU's cross flush.
pub fn evaluate_cross(programs: &[Program], inputs: &[Grid], expecteds: Option<&[Grid]>, want_outputs: bool) -> Vec<ItemResult> {
    let n = inputs.len();
    let grids: Vec<Grid> = match expecteds {
        Some(ex) => inputs.iter().chain(ex).cloned().collect(),
        None => inputs.to_vec(),
    };
    (0..programs.len() * n)
        .into_par_iter()
        .with_min_len(64)
        .map_init(new_worker, |w, k| {
            let i = (k % n) as u32;
            let item = Item { program: (k / n) as u32, input: i, expected: expecteds.map(|_| n as u32 + i), want_output: want_outputs };
            evaluate_with(w, programs, &grids, &item)
        })
        .collect()
}
