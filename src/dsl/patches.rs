//! Patches: sets of cell positions (ARC-DSL's indices) as solver writers measure and draw
//! with them: corners, centre, bounding-box shapes (backdrop, delta, box, inbox, outbox),
//! lines (line, shoot, frontiers), neighbours, distances and relative positions (manhattan,
//! adjacent, matching rows or columns, position, gravitate), mirrors of a patch in its own
//! box, and the grid work on patches and objects (cells of a colour, cover, underpaint,
//! move, where a pattern occurs, partitions, cell-wise merge, splits and stretches).
//! Positions are 0-based (row, col) here; the Lua layer adds 1.

use super::color::mostcolor;
use super::objects::Object;
use super::{invalid, DslResult};
use crate::grid::{Grid, MAX_SIDE};

/// A cell position, 0-based; may fall outside a grid.
pub type Pos = (i64, i64);

/// The positions sorted row-major without repeats (the form every function here returns).
pub fn normalized(mut cells: Vec<Pos>) -> Vec<Pos> {
    cells.sort_unstable();
    cells.dedup();
    cells
}

/// (top, left, bottom, right) of the positions, inclusive; None for an empty patch.
pub fn bounds(cells: &[Pos]) -> Option<(i64, i64, i64, i64)> {
    let first = cells.first()?;
    Some(cells.iter().fold((first.0, first.1, first.0, first.1), |(t, l, b, r), &(row, col)| {
        (t.min(row), l.min(col), b.max(row), r.max(col))
    }))
}

/// The four corners of the bounding box: upper-left, upper-right, lower-left, lower-right.
pub fn corner_positions(cells: &[Pos]) -> Option<[Pos; 4]> {
    let (t, l, b, r) = bounds(cells)?;
    Some([(t, l), (t, r), (b, l), (b, r)])
}

/// The middle of the bounding box (rounded toward the upper-left).
pub fn center(cells: &[Pos]) -> Option<Pos> {
    let (t, l, b, r) = bounds(cells)?;
    Some((t + (b - t) / 2, l + (r - l) / 2))
}

/// The mean position, rounded down.
pub fn center_of_mass(cells: &[Pos]) -> Option<Pos> {
    if cells.is_empty() {
        return None;
    }
    let n = cells.len() as i64;
    let (sr, sc) = cells.iter().fold((0, 0), |(a, b), &(r, c)| (a + r, b + c));
    Some((sr.div_euclid(n), sc.div_euclid(n)))
}

/// Every position of the rectangle (top, left)..=(bottom, right).
fn rectangle(t: i64, l: i64, b: i64, r: i64) -> Vec<Pos> {
    (t..=b).flat_map(|row| (l..=r).map(move |col| (row, col))).collect()
}

/// The outline of the rectangle (top, left)..=(bottom, right).
fn rectangle_outline(t: i64, l: i64, b: i64, r: i64) -> Vec<Pos> {
    if t > b || l > r {
        return Vec::new();
    }
    normalized(rectangle(t, l, b, r).into_iter().filter(|&(row, col)| row == t || row == b || col == l || col == r).collect())
}

/// Every position of the bounding box.
pub fn backdrop(cells: &[Pos]) -> Vec<Pos> {
    bounds(cells).map_or_else(Vec::new, |(t, l, b, r)| rectangle(t, l, b, r))
}

/// The positions of the bounding box that are not in the patch.
pub fn delta(cells: &[Pos]) -> Vec<Pos> {
    let own = normalized(cells.to_vec());
    backdrop(cells).into_iter().filter(|p| own.binary_search(p).is_err()).collect()
}

/// The outline of the bounding box.
pub fn box_outline(cells: &[Pos]) -> Vec<Pos> {
    bounds(cells).map_or_else(Vec::new, |(t, l, b, r)| rectangle_outline(t, l, b, r))
}

/// The outline one cell inside the bounding box (empty when the box is thinner than 3).
pub fn inbox(cells: &[Pos]) -> Vec<Pos> {
    bounds(cells).map_or_else(Vec::new, |(t, l, b, r)| rectangle_outline(t + 1, l + 1, b - 1, r - 1))
}

/// The outline one cell outside the bounding box.
pub fn outbox(cells: &[Pos]) -> Vec<Pos> {
    bounds(cells).map_or_else(Vec::new, |(t, l, b, r)| rectangle_outline(t - 1, l - 1, b + 1, r + 1))
}

/// The straight line from `a` to `b`, both included, when they share a row, a column or
/// a diagonal; empty otherwise.
pub fn line(a: Pos, b: Pos) -> Vec<Pos> {
    let (dr, dc) = (b.0 - a.0, b.1 - a.1);
    if dr != 0 && dc != 0 && dr.abs() != dc.abs() {
        return Vec::new();
    }
    let steps = dr.abs().max(dc.abs());
    normalized((0..=steps).map(|k| (a.0 + k * dr.signum(), a.1 + k * dc.signum())).collect())
}

/// From `start` (included) `length` more cells along (dr, dc).
pub fn shoot(start: Pos, direction: Pos, length: i64) -> Vec<Pos> {
    normalized((0..=length.max(0)).map(|k| (start.0 + k * direction.0, start.1 + k * direction.1)).collect())
}

/// The 4 orthogonal neighbours.
pub fn dneighbors(p: Pos) -> Vec<Pos> {
    normalized(vec![(p.0 - 1, p.1), (p.0 + 1, p.1), (p.0, p.1 - 1), (p.0, p.1 + 1)])
}

/// The 4 diagonal neighbours.
pub fn ineighbors(p: Pos) -> Vec<Pos> {
    normalized(vec![(p.0 - 1, p.1 - 1), (p.0 - 1, p.1 + 1), (p.0 + 1, p.1 - 1), (p.0 + 1, p.1 + 1)])
}

/// All 8 neighbours.
pub fn neighbors(p: Pos) -> Vec<Pos> {
    let mut all = dneighbors(p);
    all.extend(ineighbors(p));
    normalized(all)
}

/// The smallest city-block distance between a cell of `a` and a cell of `b`.
pub fn manhattan(a: &[Pos], b: &[Pos]) -> Option<i64> {
    a.iter().flat_map(|x| b.iter().map(move |y| (x.0 - y.0).abs() + (x.1 - y.1).abs())).min()
}

/// Whether a cell of `a` and a cell of `b` touch on a side.
pub fn adjacent(a: &[Pos], b: &[Pos]) -> bool {
    manhattan(a, b) == Some(1)
}

/// Whether the patches share a row.
pub fn hmatching(a: &[Pos], b: &[Pos]) -> bool {
    a.iter().any(|x| b.iter().any(|y| x.0 == y.0))
}

/// Whether the patches share a column.
pub fn vmatching(a: &[Pos], b: &[Pos]) -> bool {
    a.iter().any(|x| b.iter().any(|y| x.1 == y.1))
}

/// The direction from `a` to `b` as (dr, dc) in -1..=1: the signs of the difference of
/// their centres, along one axis when they share a row or a column.
pub fn position(a: &[Pos], b: &[Pos]) -> Option<Pos> {
    let (ca, cb) = (center(a)?, center(b)?);
    Some(if hmatching(a, b) {
        (0, (cb.1 - ca.1).signum())
    } else if vmatching(a, b) {
        ((cb.0 - ca.0).signum(), 0)
    } else {
        ((cb.0 - ca.0).signum(), (cb.1 - ca.1).signum())
    })
}

/// How far to move `source` (dr, dc) toward `destination`, one axis, until they touch:
/// vertically when they share a column, else horizontally; at most 30 steps.
pub fn gravitate(source: &[Pos], destination: &[Pos]) -> Option<Pos> {
    let (cs, cd) = (center(source)?, center(destination)?);
    let step = if vmatching(source, destination) {
        (if cs.0 < cd.0 { 1 } else { -1 }, 0)
    } else {
        (0, if cs.1 < cd.1 { 1 } else { -1 })
    };
    let mut moved: Vec<Pos> = source.to_vec();
    let mut total = (0, 0);
    for _ in 0..MAX_SIDE {
        if adjacent(&moved, destination) {
            break;
        }
        moved.iter_mut().for_each(|p| *p = (p.0 + step.0, p.1 + step.1));
        total = (total.0 + step.0, total.1 + step.1);
    }
    Some(total)
}

/// Where `p` goes when the box (top, left, bottom, right) is mirrored.
fn mirror_pos((row, col): Pos, (t, l, b, r): (i64, i64, i64, i64), axis: Mirror) -> Pos {
    match axis {
        Mirror::UpDown => (t + b - row, col),
        Mirror::LeftRight => (row, l + r - col),
        Mirror::Diagonal => (t + (col - l), l + (row - t)),
        Mirror::AntiDiagonal => (t + (r - col), l + (b - row)),
    }
}

/// Mirror of the patch in its own bounding box: "updown" (rows reversed), "leftright",
/// "diagonal" (transposed about the box's upper-left), "antidiagonal".
pub fn mirror_patch(cells: &[Pos], axis: Mirror) -> Vec<Pos> {
    let Some(bounds) = bounds(cells) else { return Vec::new() };
    normalized(cells.iter().map(|&p| mirror_pos(p, bounds, axis)).collect())
}

/// An object mirrored in its own bounding box, colours kept.
pub fn mirror_object(obj: &Object, axis: Mirror) -> Object {
    let positions: Vec<Pos> = obj.cells().iter().map(|c| (c.row, c.col)).collect();
    let Some(bounds) = bounds(&positions) else { return obj.clone() };
    Object::from_cells(
        obj.cells()
            .iter()
            .map(|c| {
                let (row, col) = mirror_pos((c.row, c.col), bounds, axis);
                (row, col, c.color)
            })
            .collect(),
    )
}

/// The four mirrors of `mirror_patch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mirror {
    UpDown,
    LeftRight,
    Diagonal,
    AntiDiagonal,
}

impl Mirror {
    pub const NAMES: &'static [&'static str] = &["updown", "leftright", "diagonal", "antidiagonal"];

    pub fn parse(name: &str) -> Option<Mirror> {
        Some(match name {
            "updown" => Mirror::UpDown,
            "leftright" => Mirror::LeftRight,
            "diagonal" => Mirror::Diagonal,
            "antidiagonal" => Mirror::AntiDiagonal,
            _ => return None,
        })
    }
}

/// The positions of the cells of `color`.
pub fn ofcolor(g: &Grid, color: u8) -> Vec<Pos> {
    (0..g.rows())
        .flat_map(|r| (0..g.cols()).map(move |c| (r, c)))
        .filter(|&(r, c)| g.get(r, c) == color)
        .map(|(r, c)| (r as i64, c as i64))
        .collect()
}

/// The positions inside the grid, of the patch.
fn inside<'a>(g: &Grid, cells: &'a [Pos]) -> impl Iterator<Item = (usize, usize)> + 'a {
    let (h, w) = (g.rows() as i64, g.cols() as i64);
    cells.iter().filter(move |&&(r, c)| r >= 0 && c >= 0 && r < h && c < w).map(|&(r, c)| (r as usize, c as usize))
}

/// The patch's cells with the grid's colours (positions outside the grid left out).
pub fn to_object(g: &Grid, cells: &[Pos]) -> Object {
    Object::from_cells(inside(g, cells).map(|(r, c)| (r as i64, c as i64, g.get(r, c))).collect())
}

/// Every cell of the grid as one object.
pub fn as_object(g: &Grid) -> Object {
    to_object(g, &rectangle(0, 0, g.rows() as i64 - 1, g.cols() as i64 - 1))
}

/// The patch given one colour.
pub fn colored(cells: &[Pos], color: u8) -> Object {
    Object::from_cells(cells.iter().map(|&(r, c)| (r, c, color)).collect())
}

/// The grid with the patch's cells (inside it) set to its background.
pub fn cover(g: &Grid, cells: &[Pos]) -> Grid {
    let bg = mostcolor(g);
    let mut out = g.clone();
    for (r, c) in inside(g, cells).collect::<Vec<_>>() {
        out.set(r, c, bg);
    }
    out
}

/// The grid with the object painted only where the grid shows its background.
pub fn underpaint(g: &Grid, obj: &Object) -> Grid {
    let bg = mostcolor(g);
    let mut out = g.clone();
    let (h, w) = (g.rows() as i64, g.cols() as i64);
    for cell in obj.cells() {
        if cell.row >= 0 && cell.col >= 0 && cell.row < h && cell.col < w && g.get(cell.row as usize, cell.col as usize) == bg {
            out.set(cell.row as usize, cell.col as usize, cell.color);
        }
    }
    out
}

/// The object moved by (dr, dc) on the grid: its old cells covered, then painted anew
/// (what falls outside the grid is lost).
pub fn move_object(g: &Grid, obj: &Object, dr: i64, dc: i64) -> Grid {
    let positions: Vec<Pos> = obj.cells().iter().map(|c| (c.row, c.col)).collect();
    let mut out = cover(g, &positions);
    let (h, w) = (g.rows() as i64, g.cols() as i64);
    for cell in obj.shift(dr, dc).cells() {
        if cell.row >= 0 && cell.col >= 0 && cell.row < h && cell.col < w {
            out.set(cell.row as usize, cell.col as usize, cell.color);
        }
    }
    out
}

/// The upper-left positions where the object (normalised to its box) lies on the grid
/// with every one of its cells' colours matching, row-major.
pub fn occurrences(g: &Grid, obj: &Object) -> Vec<Pos> {
    let norm = obj.normalize();
    let Some(b) = norm.bbox() else { return Vec::new() };
    let (h, w) = (g.rows() as i64, g.cols() as i64);
    let mut found = Vec::new();
    for r in 0..=h - b.height() {
        for c in 0..=w - b.width() {
            if norm.cells().iter().all(|cell| g.get((r + cell.row) as usize, (c + cell.col) as usize) == cell.color) {
                found.push((r, c));
            }
        }
    }
    found
}

/// One object per colour of the grid (increasing), all its cells; `without_bg` leaves
/// the background's out.
pub fn partition(g: &Grid, without_bg: bool) -> Vec<Object> {
    let bg = mostcolor(g);
    (0..10u8)
        .filter(|&color| !(without_bg && color == bg))
        .map(|color| colored(&ofcolor(g, color), color))
        .filter(|obj| !obj.is_empty())
        .collect()
}

/// Cell by cell: where `a` and `b` agree, that colour; elsewhere `fallback`.
pub fn cellwise(a: &Grid, b: &Grid, fallback: u8) -> DslResult<Grid> {
    if (a.rows(), a.cols()) != (b.rows(), b.cols()) {
        return invalid(format!("cellwise needs grids of one size, got {}x{} and {}x{}", a.rows(), a.cols(), b.rows(), b.cols()));
    }
    Ok(Grid::from_fn(a.rows(), a.cols(), |r, c| if a.get(r, c) == b.get(r, c) { a.get(r, c) } else { fallback })?)
}

/// The grid cut into `n` equal parts side by side (`across`) or stacked; when the side
/// does not divide, one line between parts is taken as a separator and left out.
pub fn split(g: &Grid, n: usize, across: bool) -> DslResult<Vec<Grid>> {
    let side = if across { g.cols() } else { g.rows() };
    if n == 0 || n > side {
        return invalid(format!("cannot split a side of {side} into {n} parts"));
    }
    let separator = usize::from(side % n != 0);
    let part = (side - separator * (n - 1)) / n;
    if part == 0 || part * n + separator * (n - 1) != side {
        return invalid(format!("a side of {side} does not split into {n} equal parts"));
    }
    (0..n)
        .map(|k| {
            let start = k * (part + separator);
            if across {
                Ok(Grid::from_fn(g.rows(), part, |r, c| g.get(r, start + c))?)
            } else {
                Ok(Grid::from_fn(part, g.cols(), |r, c| g.get(start + r, c))?)
            }
        })
        .collect()
}

/// Each cell repeated `k` times across (`across`) or down.
pub fn stretch(g: &Grid, k: usize, across: bool) -> DslResult<Grid> {
    if k == 0 || k > MAX_SIDE {
        return invalid(format!("stretch factor must be in 1..{MAX_SIDE}, got {k}"));
    }
    Ok(if across {
        Grid::from_fn(g.rows(), g.cols() * k, |r, c| g.get(r, c / k))?
    } else {
        Grid::from_fn(g.rows() * k, g.cols(), |r, c| g.get(r / k, c))?
    })
}

/// Whether a cell of the patch lies on the grid's edge.
pub fn bordering(cells: &[Pos], rows: usize, cols: usize) -> bool {
    let (h, w) = (rows as i64, cols as i64);
    cells.iter().any(|&(r, c)| r == 0 || c == 0 || r == h - 1 || c == w - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_shapes_of_a_3x4_patch() {
        let p = vec![(1, 1), (3, 4)];
        assert_eq!(backdrop(&p).len(), 12);
        assert_eq!(delta(&p).len(), 10);
        assert_eq!(box_outline(&p).len(), 10);
        assert_eq!(inbox(&p), vec![(2, 2), (2, 3)]);
        assert_eq!(outbox(&p).len(), 18);
        assert_eq!(center(&p), Some((2, 2)));
        assert_eq!(corner_positions(&p), Some([(1, 1), (1, 4), (3, 1), (3, 4)]));
    }

    #[test]
    fn lines_and_moves() {
        assert_eq!(line((0, 0), (2, 2)), vec![(0, 0), (1, 1), (2, 2)]);
        assert!(line((0, 0), (1, 2)).is_empty());
        assert_eq!(shoot((1, 1), (0, 1), 2), vec![(1, 1), (1, 2), (1, 3)]);
        assert_eq!(gravitate(&[(0, 0)], &[(0, 5)]), Some((0, 4)));
        assert_eq!(position(&[(0, 0)], &[(3, 0)]), Some((1, 0)));
        assert_eq!(manhattan(&[(0, 0)], &[(2, 3)]), Some(5));
    }
}
