//! Objects: sets of coloured cells found in a grid as connected components (ARC-DSL's
//! `objects`, with its univalued / diagonal / without-background options), frontiers
//! (rows or columns of one colour), and the per-object measures solvers ask for: size,
//! colour, bounding box, shift, normalisation, cropping a grid to an object and painting
//! one onto a grid.

use std::collections::VecDeque;

use super::color::mostcolor;
use super::layout::{uniform_cols, uniform_rows};
use super::{invalid, DslResult};
use crate::grid::Grid;

/// One cell of an object, 0-based; coordinates may fall outside a grid after a shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cell {
    pub row: i64,
    pub col: i64,
    pub color: u8,
}

/// A set of coloured cells, kept sorted row-major and without duplicate positions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Object {
    cells: Vec<Cell>,
}

/// Inclusive bounding box, 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BBox {
    pub top: i64,
    pub left: i64,
    pub bottom: i64,
    pub right: i64,
}

impl BBox {
    pub fn height(&self) -> i64 {
        self.bottom - self.top + 1
    }
    pub fn width(&self) -> i64 {
        self.right - self.left + 1
    }
}

impl Object {
    /// An object from (row, col, colour) triples; a later triple at the same position wins.
    pub fn from_cells(triples: Vec<(i64, i64, u8)>) -> Object {
        let mut cells: Vec<Cell> = Vec::with_capacity(triples.len());
        for (row, col, color) in triples {
            cells.push(Cell { row, col, color });
        }
        // keep the last triple for each position
        cells.reverse();
        cells.sort_by_key(|c| (c.row, c.col));
        cells.dedup_by_key(|c| (c.row, c.col));
        Object { cells }
    }

    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }

    pub fn size(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The object's most common colour (ties to the smallest); None when empty.
    pub fn color(&self) -> Option<u8> {
        let mut counts = [0usize; 10];
        for c in &self.cells {
            counts[c.color as usize] += 1;
        }
        let best = (0..10).max_by_key(|&c| (counts[c], std::cmp::Reverse(c)))?;
        (counts[best] > 0).then_some(best as u8)
    }

    /// Colours present, ascending.
    pub fn palette(&self) -> Vec<u8> {
        let mut p: Vec<u8> = self.cells.iter().map(|c| c.color).collect();
        p.sort_unstable();
        p.dedup();
        p
    }

    pub fn bbox(&self) -> Option<BBox> {
        let first = self.cells.first()?;
        let mut b = BBox { top: first.row, left: first.col, bottom: first.row, right: first.col };
        for c in &self.cells {
            b.top = b.top.min(c.row);
            b.bottom = b.bottom.max(c.row);
            b.left = b.left.min(c.col);
            b.right = b.right.max(c.col);
        }
        Some(b)
    }

    /// The object moved by (dr, dc).
    pub fn shift(&self, dr: i64, dc: i64) -> Object {
        Object {
            cells: self.cells.iter().map(|c| Cell { row: c.row + dr, col: c.col + dc, color: c.color }).collect(),
        }
    }

    /// The object moved so its bounding box starts at (0, 0).
    pub fn normalize(&self) -> Object {
        match self.bbox() {
            Some(b) => self.shift(-b.top, -b.left),
            None => self.clone(),
        }
    }

    /// The object drawn alone on a grid the size of its bounding box, `background` elsewhere.
    pub fn to_grid(&self, background: u8) -> DslResult<Grid> {
        let Some(b) = self.bbox() else { return invalid("empty object has no grid") };
        let mut g = Grid::filled(b.height() as usize, b.width() as usize, background)?;
        for c in &self.cells {
            g.set((c.row - b.top) as usize, (c.col - b.left) as usize, c.color);
        }
        Ok(g)
    }
}

/// Options of `objects`, as ARC-DSL's: `univalued` splits components by colour,
/// `diagonal` connects cells that touch at a corner, `without_bg` leaves out the
/// background (the grid's most common colour).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObjectOptions {
    pub univalued: bool,
    pub diagonal: bool,
    pub without_bg: bool,
}

impl Default for ObjectOptions {
    fn default() -> Self {
        ObjectOptions { univalued: true, diagonal: false, without_bg: true }
    }
}

/// Connected components of the grid, in row-major order of their first cell.
pub fn objects(g: &Grid, opts: ObjectOptions) -> Vec<Object> {
    objects_on(g, opts, opts.without_bg.then(|| mostcolor(g)))
}

/// `objects` leaving out the cells of `bg` (when given; `opts.without_bg` is not read).
pub fn objects_on(g: &Grid, opts: ObjectOptions, bg: Option<u8>) -> Vec<Object> {
    let (rows, cols) = (g.rows(), g.cols());
    let mut seen = vec![false; rows * cols];
    let mut found = Vec::new();
    let mut queue = VecDeque::new();
    for start in 0..rows * cols {
        let start_color = g.cells()[start];
        if seen[start] || Some(start_color) == bg {
            continue;
        }
        seen[start] = true;
        queue.push_back(start);
        let mut cells = Vec::new();
        while let Some(i) = queue.pop_front() {
            let (r, c) = ((i / cols) as i64, (i % cols) as i64);
            let color = g.cells()[i];
            cells.push((r, c, color));
            for (dr, dc) in neighbours(opts.diagonal) {
                let Some(nc) = g.try_get(r + dr, c + dc) else { continue };
                let j = (r + dr) as usize * cols + (c + dc) as usize;
                if seen[j] || Some(nc) == bg || (opts.univalued && nc != start_color) {
                    continue;
                }
                seen[j] = true;
                queue.push_back(j);
            }
        }
        found.push(Object::from_cells(cells));
    }
    found
}

fn neighbours(diagonal: bool) -> &'static [(i64, i64)] {
    const ORTHOGONAL: [(i64, i64); 4] = [(-1, 0), (1, 0), (0, -1), (0, 1)];
    const ALL: [(i64, i64); 8] = [(-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1)];
    if diagonal { &ALL } else { &ORTHOGONAL }
}

/// Full rows and full columns of a single colour, as objects (rows first, top to bottom,
/// then columns left to right), as ARC-DSL's `frontiers`.
pub fn frontiers(g: &Grid) -> Vec<Object> {
    let mut out = Vec::new();
    for r in uniform_rows(g) {
        out.push(Object::from_cells((0..g.cols()).map(|c| (r as i64, c as i64, g.get(r, c))).collect()));
    }
    for c in uniform_cols(g) {
        out.push(Object::from_cells((0..g.rows()).map(|r| (r as i64, c as i64, g.get(r, c))).collect()));
    }
    out
}

/// Draws an object's cells in their own colours; cells outside the grid are ignored.
pub fn paint(g: &Grid, obj: &Object) -> Grid {
    let mut out = g.clone();
    for cell in obj.cells() {
        if g.try_get(cell.row, cell.col).is_some() {
            out.set(cell.row as usize, cell.col as usize, cell.color);
        }
    }
    out
}

/// The part of the grid under the object's bounding box (clipped to the grid).
pub fn subgrid(g: &Grid, obj: &Object) -> DslResult<Grid> {
    let Some(b) = obj.bbox() else { return invalid("subgrid of an empty object") };
    let top = b.top.max(0);
    let left = b.left.max(0);
    let bottom = b.bottom.min(g.rows() as i64 - 1);
    let right = b.right.min(g.cols() as i64 - 1);
    if top > bottom || left > right {
        return invalid("object lies outside the grid");
    }
    super::layout::crop(g, top as usize, left as usize, (bottom - top + 1) as usize, (right - left + 1) as usize)
}

/// All cells of the grid that differ from the background, as one object.
pub fn foreground(g: &Grid) -> Object {
    foreground_on(g, mostcolor(g))
}

/// `foreground` with `bg` as the background.
pub fn foreground_on(g: &Grid, bg: u8) -> Object {
    let mut cells = Vec::new();
    for r in 0..g.rows() {
        for c in 0..g.cols() {
            if g.get(r, c) != bg {
                cells.push((r as i64, c as i64, g.get(r, c)));
            }
        }
    }
    Object::from_cells(cells)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid;

    #[test]
    fn painting_an_object_keeps_the_other_cells() {
        let g = grid!["000", "010"];
        let obj = Object::from_cells(vec![(0, 2, 7), (1, 2, 8), (5, 5, 3)]);
        assert_eq!(paint(&g, &obj), grid!["007", "018"]);
    }

    #[test]
    fn objects_with_each_option() {
        let g = grid!["1100", "0120", "0003"];
        let uni = objects(&g, ObjectOptions::default());
        assert_eq!(uni.len(), 3);
        assert_eq!(uni[0].size(), 3);
        assert_eq!(uni[0].color(), Some(1));
        assert_eq!(uni[1].cells(), &[Cell { row: 1, col: 2, color: 2 }]);
        // multicolour: 1s and the 2 touch, 3 touches only at a corner
        let multi = objects(&g, ObjectOptions { univalued: false, ..Default::default() });
        assert_eq!(multi.len(), 2);
        assert_eq!(multi[0].size(), 4);
        let diag = objects(&g, ObjectOptions { univalued: false, diagonal: true, without_bg: true });
        assert_eq!(diag.len(), 1);
        // with the background, 0s form components too
        let with_bg = objects(&g, ObjectOptions { without_bg: false, ..Default::default() });
        assert_eq!(with_bg.len(), 5);
    }

    #[test]
    fn measures_and_moves() {
        let o = Object::from_cells(vec![(1, 2, 4), (2, 2, 4), (2, 3, 5)]);
        assert_eq!(o.bbox(), Some(BBox { top: 1, left: 2, bottom: 2, right: 3 }));
        assert_eq!(o.color(), Some(4));
        assert_eq!(o.palette(), vec![4, 5]);
        assert_eq!(o.shift(-1, 1).bbox().unwrap().left, 3);
        assert_eq!(o.normalize().bbox().unwrap().top, 0);
        assert_eq!(o.to_grid(0).unwrap(), grid!["40", "45"]);
        let g = grid!["0000", "0012", "0034"];
        assert_eq!(subgrid(&g, &o).unwrap(), grid!["12", "34"]);
        assert_eq!(foreground(&g).size(), 4);
    }

    #[test]
    fn frontiers_are_uniform_rows_then_columns() {
        let g = grid!["5555", "1525", "3505"];
        let f = frontiers(&g);
        assert_eq!(f.len(), 3, "row 1, columns 2 and 4");
        assert_eq!(f[0].size(), 4);
        assert_eq!(f[1].cells()[0], Cell { row: 0, col: 1, color: 5 });
        assert_eq!(f[2].cells()[2], Cell { row: 2, col: 3, color: 5 });
    }
}
