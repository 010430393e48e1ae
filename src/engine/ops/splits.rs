//! A grid split into the parts `pick`, `isolate`, `split` and `count` choose from
//! (objects 4- or 8-connected, of one colour or many, colours, cells cut by separator
//! lines), and the CPU worker's cache of its last splits, so the criteria over one state
//! split each grid once. Its GLSL counterparts are the part scans in
//! `shaders/ops/objects.glsl`.

use super::objects::{is_frame, Chooser, COMPONENTS};
use super::{Canvas, CELLS, NO_LABEL};
use crate::grid::MAX_SIDE;

/// A part pick can choose: its non-background cells, bounding box, colours (a bit each)
/// and what marks its cells (an object's label, a colour, 0 for a rectangle).
#[derive(Debug, Clone, Copy)]
pub(super) struct Part {
    pub(super) cells: usize,
    pub(super) bbox: [usize; 4],
    pub(super) colors: u16,
    pub(super) mark: u16,
}

/// A grid split into parts one way (`kind`: pick's `parts` value), with the object
/// labels when the parts are objects.
pub(super) struct Split {
    kind: u32,
    rows: usize,
    cols: usize,
    cells: Vec<u8>,
    pub(super) label: Vec<u16>,
    pub(super) parts: Vec<Part>,
    /// No parts can exist (a cut without separator lines).
    none: bool,
}

impl Split {
    /// The part `criterion` picks: its bounding box and mark.
    pub(super) fn choose(&self, criterion: u32) -> Option<([usize; 4], u16)> {
        let mut chooser = Chooser::new(criterion);
        for part in &self.parts {
            chooser.offer(part.cells, part.bbox, part.colors, part.mark);
        }
        chooser.chosen()
    }
}

/// The last few splits a CPU worker made. A search applies pick with every criterion to
/// one state's grids in a row, and the split does not depend on the criterion, so each
/// grid is split once per kind; a split is found again by the grid's content. It holds
/// every kind of part for a state of several inputs, so `isolate`, `split` and `count`
/// further along the alphabet find the splits `pick` made.
#[derive(Default)]
pub(super) struct SplitCache {
    entries: Vec<Split>,
    next: usize,
    /// The entry the last call found or made, looked at first: a search's run of pick
    /// steps over one state asks for the same split again and again.
    last: usize,
}

const SPLITS_KEPT: usize = 48;

impl SplitCache {
    /// The split of `src` by `kind`, made now or found again; None when no parts can exist.
    pub(super) fn get(&mut self, kind: u32, src: &Canvas, bg: u8, queue: &mut [u16; CELLS]) -> Option<&Split> {
        let holds = |e: &Split| e.kind == kind && e.rows == src.rows && e.cols == src.cols && e.cells == src.filled();
        let found = match self.entries.get(self.last) {
            Some(e) if holds(e) => Some(self.last),
            _ => self.entries.iter().position(holds),
        };
        let at = match found {
            Some(at) => at,
            None => {
                let split = make_split(kind, src, bg, queue);
                if self.entries.len() < SPLITS_KEPT {
                    self.entries.push(split);
                    self.entries.len() - 1
                } else {
                    let at = self.next;
                    self.next = (self.next + 1) % SPLITS_KEPT;
                    self.entries[at] = split;
                    at
                }
            }
        };
        self.last = at;
        let split = &self.entries[at];
        (!split.none).then_some(split)
    }
}

/// Splits `src` into pick's parts of `kind`, in the order pick offers them (mirrors op_pick
/// in objects.glsl): objects (4- or 8-connected) in row-major order of their first cell,
/// colours increasing, cut cells, rows or columns row-major.
fn make_split(kind: u32, src: &Canvas, bg: u8, queue: &mut [u16; CELLS]) -> Split {
    let (h, w) = (src.rows, src.cols);
    let mut split = Split { kind, rows: h, cols: w, cells: src.filled().to_vec(), label: Vec::new(), parts: Vec::new(), none: false };
    let rect = |rect: [usize; 4]| {
        let (mut cells, mut colors) = (0, 0u16);
        for r in rect[0]..=rect[2] {
            for &v in &src.cells[r * w + rect[1]..=r * w + rect[3]] {
                if v != bg {
                    cells += 1;
                    colors |= 1 << v;
                }
            }
        }
        Part { cells, bbox: rect, colors, mark: 0 }
    };
    match kind {
        0 | 1 | COMPONENTS => {
            split.label = vec![NO_LABEL; h * w];
            each_object(src, &mut split.label, queue, bg, kind == 1, kind == COMPONENTS, |cells, bbox, colors, mark| {
                split.parts.push(Part { cells, bbox, colors, mark })
            });
        }
        2 => {
            // one pass over the cells (as the GLSL twin: its ten-pass form was miscompiled by
            // lavapipe), each colour's count and box, offered in increasing colour
            let mut counts = [0usize; 10];
            let mut boxes = [[MAX_SIDE, MAX_SIDE, 0, 0]; 10];
            for r in 0..h {
                for c in 0..w {
                    let color = usize::from(src.cells[r * w + c]);
                    counts[color] += 1;
                    let b = &mut boxes[color];
                    *b = [b[0].min(r), b[1].min(c), b[2].max(r), b[3].max(c)];
                }
            }
            for color in 0..10u8 {
                let i = usize::from(color);
                if color != bg && counts[i] > 0 {
                    split.parts.push(Part { cells: counts[i], bbox: boxes[i], colors: 1 << color, mark: u16::from(color) });
                }
            }
        }
        3 => match separator_lines(src, bg) {
            Some((row_lines, col_lines)) => {
                for (r0, r1) in runs_between(row_lines, h) {
                    for (c0, c1) in runs_between(col_lines, w) {
                        split.parts.push(rect([r0, c0, r1, c1]));
                    }
                }
            }
            None => split.none = true,
        },
        4 => split.parts.extend((0..h).map(|r| rect([r, 0, r, w - 1]))),
        5 => split.parts.extend((0..w).map(|c| rect([0, c, h - 1, c]))),
        _ => {
            // FRAMED: the components that are frames, their insides in the components' order
            split.label = vec![NO_LABEL; h * w];
            let mut components = Vec::new();
            each_object(src, &mut split.label, queue, bg, false, true, |cells, bbox, _, mark| components.push((cells, bbox, mark)));
            for (cells, [r0, c0, r1, c1], mark) in components {
                if is_frame(&split.label, w, cells, [r0, c0, r1, c1], mark) {
                    split.parts.push(rect([r0 + 1, c0 + 1, r1 - 1, c1 - 1]));
                }
            }
        }
    }
    split
}

/// The separator lines of a grid cut into cells: the colour of the first row (top to
/// bottom), else the first column (left to right), that is all one non-background colour;
/// then every row and every column all of that colour, as bit masks (bit r, bit c). None
/// when there is no such line. Mirrors separator_lines in objects.glsl.
fn separator_lines(src: &Canvas, bg: u8) -> Option<(u32, u32)> {
    let (h, w) = (src.rows, src.cols);
    let row_color = |r: usize| -> Option<u8> {
        let v = src.cells[r * w];
        (0..w).all(|c| src.cells[r * w + c] == v).then_some(v)
    };
    let col_color = |c: usize| -> Option<u8> {
        let v = src.cells[c];
        (0..h).all(|r| src.cells[r * w + c] == v).then_some(v)
    };
    let line = (0..h).filter_map(row_color).chain((0..w).filter_map(col_color)).find(|&v| v != bg)?;
    let rows = (0..h).filter(|&r| row_color(r) == Some(line)).fold(0u32, |m, r| m | 1 << r);
    let cols = (0..w).filter(|&c| col_color(c) == Some(line)).fold(0u32, |m, c| m | 1 << c);
    Some((rows, cols))
}

/// The maximal runs first..=last of 0..len whose bits are not set in `lines`, in order.
fn runs_between(lines: u32, len: usize) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = None;
    for k in 0..=len {
        let open = k < len && lines & (1 << k) == 0;
        match (open, start) {
            (true, None) => start = Some(k),
            (false, Some(first)) => {
                runs.push((first, k - 1));
                start = None;
            }
            _ => {}
        }
    }
    runs
}

/// Every object (4-connected non-background cells of any colours, or 8-connected with
/// `diagonal`), labelled in row-major order of its first cell, given to `visit` with its
/// cells, bounding box, colours and label; `label` (NO_LABEL everywhere on entry) ends
/// holding each cell's object. Mirrors offer_objects in objects.glsl.
fn each_object(src: &Canvas, label: &mut [u16], queue: &mut [u16; CELLS], bg: u8, diagonal: bool, univalued: bool, mut visit: impl FnMut(usize, [usize; 4], u16, u16)) {
    let (h, w) = (src.rows, src.cols);
    let mut next_label = 0u16;
    for start in 0..h * w {
        if label[start] != NO_LABEL || src.cells[start] == bg {
            continue;
        }
        let id = next_label;
        next_label += 1;
        label[start] = id;
        queue[0] = start as u16;
        let (mut head, mut tail) = (0, 1);
        let (mut bbox, mut colors) = ([start / w, start % w, start / w, start % w], 0u16);
        while head < tail {
            let i = queue[head] as usize;
            head += 1;
            let (r, c) = (i / w, i % w);
            colors |= 1 << src.cells[i];
            bbox = [bbox[0].min(r), bbox[1].min(c), bbox[2].max(r), bbox[3].max(c)];
            for (dr, dc) in NEIGHBOURS_8 {
                if !diagonal && dr != 0 && dc != 0 {
                    continue;
                }
                let (nr, nc) = (r as isize + dr, c as isize + dc);
                if nr < 0 || nc < 0 || nr as usize >= h || nc as usize >= w {
                    continue;
                }
                let j = nr as usize * w + nc as usize;
                if label[j] == NO_LABEL && src.cells[j] != bg && (!univalued || src.cells[j] == src.cells[start]) {
                    label[j] = id;
                    queue[tail] = j as u16;
                    tail += 1;
                }
            }
        }
        visit(tail, bbox, colors, id);
    }
}

/// The 8 neighbours in the order both executors visit them (row above, own row, row below).
const NEIGHBOURS_8: [(isize, isize); 8] = [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)];

