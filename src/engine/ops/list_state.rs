//! A list state inside a canvas (`Canvas::parts`): each element's header word, loading an
//! element as a grid canvas, pushing one, the list's cells, and a step mapped over every
//! element (`apply_cpu`'s way with a list that a list op does not take whole). The lists
//! family (`lists.rs`) makes, filters and joins such lists. Mirrors the element handling
//! of shaders/ops/lists.glsl and shaders/ops/apply.glsl.

use super::table::MAX_PARTS;
use super::{apply_image, Canvas, Scratch, Step, CELLS};
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
    pub(super) fn begin_list(&mut self) {
        self.parts = 0;
        self.rows = 0;
        self.cols = 0;
        self.origin = (0, 0);
    }

    /// Appends an element of `rows` × `cols` lying at `origin`, its cells from `cell(r, c)`;
    /// false past `MAX_PARTS` elements or `CELLS` cells in all.
    pub(super) fn push_element(&mut self, rows: usize, cols: usize, origin: (usize, usize), cell: impl Fn(usize, usize) -> u8) -> bool {
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

    /// A list state of `elements` (each a grid and where it lies); None past `MAX_PARTS`
    /// elements or `CELLS` cells in all, or for an element reaching past the 30×30 frame.
    pub fn from_elements(elements: &[(Grid, (usize, usize))]) -> Option<Canvas> {
        let mut canvas = Canvas::empty();
        canvas.begin_list();
        for (g, origin) in elements {
            if origin.0 + g.rows() > MAX_SIDE || origin.1 + g.cols() > MAX_SIDE {
                return None;
            }
            if !canvas.push_element(g.rows(), g.cols(), *origin, |r, c| g.get(r, c)) {
                return None;
            }
        }
        (canvas.parts > 0).then_some(canvas)
    }

    /// A list state's elements, each a grid and where it lies.
    pub fn elements(&self) -> Vec<(Grid, (usize, usize))> {
        let mut one = Canvas::empty();
        (0..self.parts)
            .map(|e| {
                self.load_element(e, &mut one);
                (one.to_grid(), one.origin)
            })
            .collect()
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

