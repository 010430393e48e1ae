//! Whole-grid pattern functions that ARC tasks keep asking for and the batch engine uses as
//! ops: the largest/smallest object (crop to it, or keep it alone), painting the
//! foreground one colour, dropping repeated rows and columns, filling enclosed background,
//! outlining objects, completing a mirror symmetry, splitting a grid in two and combining
//! the halves cell-wise, and removing isolated cells. Background is the most common colour.

use std::collections::VecDeque;

use super::color::mostcolor;
use super::objects::{objects_on, subgrid, Object, ObjectOptions};
use super::{invalid, DslResult};
use crate::grid::Grid;

/// Which object to pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extreme {
    Largest,
    Smallest,
}

/// The largest or smallest object (univalued, 4-connected, without background); the first
/// in row-major order of first cells on ties. None when the grid is all background.
pub fn extreme_object(g: &Grid, which: Extreme) -> Option<Object> {
    extreme_object_on(g, mostcolor(g), which)
}

/// `extreme_object` with `bg` as the background.
pub fn extreme_object_on(g: &Grid, bg: u8, which: Extreme) -> Option<Object> {
    let mut best: Option<Object> = None;
    for o in objects_on(g, ObjectOptions::default(), Some(bg)) {
        let better = match (&best, which) {
            (None, _) => true,
            (Some(b), Extreme::Largest) => o.size() > b.size(),
            (Some(b), Extreme::Smallest) => o.size() < b.size(),
        };
        if better {
            best = Some(o);
        }
    }
    best
}

/// The part of the grid under the chosen object's bounding box.
pub fn crop_to_object(g: &Grid, which: Extreme) -> DslResult<Grid> {
    crop_to_object_on(g, mostcolor(g), which)
}

/// `crop_to_object` with `bg` as the background.
pub fn crop_to_object_on(g: &Grid, bg: u8, which: Extreme) -> DslResult<Grid> {
    match extreme_object_on(g, bg, which) {
        Some(o) => subgrid(g, &o),
        None => invalid("grid has no objects"),
    }
}

/// The largest object alone on a background-coloured grid of the same size.
pub fn keep_largest_object(g: &Grid) -> DslResult<Grid> {
    keep_largest_object_on(g, mostcolor(g))
}

/// `keep_largest_object` with `bg` as the background.
pub fn keep_largest_object_on(g: &Grid, bg: u8) -> DslResult<Grid> {
    let Some(o) = extreme_object_on(g, bg, Extreme::Largest) else { return invalid("grid has no objects") };
    let mut out = Grid::filled(g.rows(), g.cols(), bg)?;
    for c in o.cells() {
        out.set(c.row as usize, c.col as usize, c.color);
    }
    Ok(out)
}

/// Every non-background cell becomes `color`.
pub fn paint_foreground(g: &Grid, color: u8) -> DslResult<Grid> {
    paint_foreground_on(g, mostcolor(g), color)
}

/// `paint_foreground` with `bg` as the background.
pub fn paint_foreground_on(g: &Grid, bg: u8, color: u8) -> DslResult<Grid> {
    Ok(Grid::from_fn(g.rows(), g.cols(), |r, c| if g.get(r, c) == bg { bg } else { color })?)
}

/// Drops every row equal to the row above it and every column equal to the column left of it.
pub fn dedupe(g: &Grid) -> Grid {
    let rows: Vec<usize> = (0..g.rows()).filter(|&r| r == 0 || g.row(r) != g.row(r - 1)).collect();
    let cols: Vec<usize> =
        (0..g.cols()).filter(|&c| c == 0 || (0..g.rows()).any(|r| g.get(r, c) != g.get(r, c - 1))).collect();
    Grid::from_fn(rows.len(), cols.len(), |r, c| g.get(rows[r], cols[c])).expect("never larger than the input")
}

/// Background cells that cannot reach the border through background (4-connected) become `color`.
pub fn fill_enclosed(g: &Grid, color: u8) -> DslResult<Grid> {
    fill_enclosed_on(g, mostcolor(g), color)
}

/// `fill_enclosed` with `bg` as the background.
pub fn fill_enclosed_on(g: &Grid, bg: u8, color: u8) -> DslResult<Grid> {
    let (rows, cols) = (g.rows(), g.cols());
    let reached = reaches_border(g, bg);
    Ok(Grid::from_fn(rows, cols, |r, c| {
        let v = g.get(r, c);
        if v == bg && !reached[r * cols + c] { color } else { v }
    })?)
}

/// Per cell (row-major): whether it holds `bg` and is 4-connected to the border through
/// cells of `bg`.
pub fn reaches_border(g: &Grid, bg: u8) -> Vec<bool> {
    let (rows, cols) = (g.rows(), g.cols());
    let mut reached = vec![false; rows * cols];
    let mut queue = VecDeque::new();
    for r in 0..rows {
        for c in 0..cols {
            if (r == 0 || c == 0 || r == rows - 1 || c == cols - 1) && g.get(r, c) == bg {
                reached[r * cols + c] = true;
                queue.push_back((r, c));
            }
        }
    }
    while let Some((r, c)) = queue.pop_front() {
        for (dr, dc) in [(-1i64, 0i64), (1, 0), (0, -1), (0, 1)] {
            let (nr, nc) = (r as i64 + dr, c as i64 + dc);
            if g.try_get(nr, nc) == Some(bg) && !reached[nr as usize * cols + nc as usize] {
                reached[nr as usize * cols + nc as usize] = true;
                queue.push_back((nr as usize, nc as usize));
            }
        }
    }
    reached
}

fn touches_foreground(g: &Grid, bg: u8, r: usize, c: usize) -> bool {
    (-1i64..=1).any(|dr| (-1i64..=1).any(|dc| (dr, dc) != (0, 0) && g.try_get(r as i64 + dr, c as i64 + dc).is_some_and(|v| v != bg)))
}

/// Background cells touching a non-background cell (8-neighbourhood) become `color`.
pub fn outline(g: &Grid, color: u8) -> DslResult<Grid> {
    outline_on(g, mostcolor(g), color)
}

/// `outline` with `bg` as the background.
pub fn outline_on(g: &Grid, bg: u8, color: u8) -> DslResult<Grid> {
    Ok(Grid::from_fn(g.rows(), g.cols(), |r, c| {
        let v = g.get(r, c);
        if v == bg && touches_foreground(g, bg, r, c) { color } else { v }
    })?)
}

/// Non-background cells with no non-background neighbour (8-neighbourhood) become background.
pub fn denoise(g: &Grid) -> Grid {
    denoise_on(g, mostcolor(g))
}

/// `denoise` with `bg` as the background.
pub fn denoise_on(g: &Grid, bg: u8) -> Grid {
    Grid::from_fn(g.rows(), g.cols(), |r, c| {
        let v = g.get(r, c);
        if v != bg && !touches_foreground(g, bg, r, c) { bg } else { v }
    })
    .expect("same size as the input")
}

/// Which mirror symmetry to complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mirror {
    /// Left-right.
    Horizontal,
    /// Up-down.
    Vertical,
    Both,
}

/// Background cells take the colour of their mirror image (left-right, then up-down, then
/// the opposite corner for `Both`) when that is not background.
pub fn symmetrize(g: &Grid, mirror: Mirror) -> Grid {
    symmetrize_on(g, mostcolor(g), mirror)
}

/// `symmetrize` with `bg` as the background.
pub fn symmetrize_on(g: &Grid, bg: u8, mirror: Mirror) -> Grid {
    let (h, w) = (g.rows(), g.cols());
    Grid::from_fn(h, w, |r, c| {
        let v = g.get(r, c);
        if v != bg {
            return v;
        }
        let lr = g.get(r, w - 1 - c);
        let ud = g.get(h - 1 - r, c);
        let both = g.get(h - 1 - r, w - 1 - c);
        let candidates: &[u8] = match mirror {
            Mirror::Horizontal => &[lr],
            Mirror::Vertical => &[ud],
            Mirror::Both => &[lr, ud, both],
        };
        candidates.iter().copied().find(|&x| x != bg).unwrap_or(bg)
    })
    .expect("same size as the input")
}

/// How two halves combine, cell by cell, where "on" means a non-zero colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Logic {
    And,
    Or,
    Xor,
    Nor,
}

impl Logic {
    pub fn apply(self, a: bool, b: bool) -> bool {
        match self {
            Logic::And => a && b,
            Logic::Or => a || b,
            Logic::Xor => a != b,
            Logic::Nor => !(a || b),
        }
    }
}

/// Splits the grid into two halves, side by side (`stacked` false) or one above the other,
/// at the middle; an odd side needs a uniform middle line (a separator), which is dropped.
/// The result has `color` where `logic` holds for the two halves' cells, 0 elsewhere.
pub fn split_combine(g: &Grid, stacked: bool, logic: Logic, color: u8) -> DslResult<Grid> {
    let g = if stacked { super::geometry::transpose(g) } else { g.clone() };
    let (h, w) = (g.rows(), g.cols());
    let half = w / 2;
    if half == 0 {
        return invalid("grid too narrow to split");
    }
    if w % 2 == 1 && (0..h).any(|r| g.get(r, half) != g.get(0, half)) {
        return invalid("odd side without a uniform separator line in the middle");
    }
    let out = Grid::from_fn(h, half, |r, c| {
        let on = logic.apply(g.get(r, c) != 0, g.get(r, w - half + c) != 0);
        if on { color } else { 0 }
    })?;
    Ok(if stacked { super::geometry::transpose(&out) } else { out })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid;

    #[test]
    fn objects_by_size() {
        let g = grid!["1100", "0002", "3300"];
        // sizes 2, 1, 2: the first of the two largest wins
        assert_eq!(crop_to_object(&g, Extreme::Largest).unwrap(), grid!["11"]);
        assert_eq!(crop_to_object(&g, Extreme::Smallest).unwrap(), grid!["2"]);
        assert_eq!(keep_largest_object(&g).unwrap(), grid!["1100", "0000", "0000"]);
        assert!(crop_to_object(&grid!["00"], Extreme::Largest).is_err());
        assert_eq!(paint_foreground(&g, 5).unwrap(), grid!["5500", "0005", "5500"]);
    }

    #[test]
    fn dedupe_fill_outline_denoise() {
        assert_eq!(dedupe(&grid!["1122", "1122", "3344"]), grid!["12", "34"]);
        assert_eq!(fill_enclosed(&grid!["00000", "01110", "01010", "01110", "00000"], 4).unwrap(), grid!["00000", "01110", "01410", "01110", "00000"]);
        assert_eq!(outline(&grid!["000", "050", "000", "000"], 1).unwrap(), grid!["111", "151", "111", "000"]);
        assert_eq!(denoise(&grid!["1000", "0000", "0022"]), grid!["0000", "0000", "0022"]);
    }

    #[test]
    fn symmetry_completion() {
        assert_eq!(symmetrize(&grid!["120", "300"], Mirror::Horizontal), grid!["121", "303"]);
        assert_eq!(symmetrize(&grid!["12", "00", "00"], Mirror::Vertical), grid!["12", "00", "12"]);
        assert_eq!(symmetrize(&grid!["100", "000", "000"], Mirror::Both), grid!["101", "000", "101"]);
    }

    #[test]
    fn split_and_combine() {
        // a separator column of 5 in the middle
        let g = grid!["10511", "11501"];
        assert_eq!(split_combine(&g, false, Logic::And, 2).unwrap(), grid!["20", "02"]);
        assert_eq!(split_combine(&g, false, Logic::Or, 2).unwrap(), grid!["22", "22"]);
        assert_eq!(split_combine(&g, false, Logic::Xor, 2).unwrap(), grid!["02", "20"]);
        assert_eq!(split_combine(&grid!["1050", "0500"], false, Logic::Nor, 2).unwrap(), grid!["02", "20"]);
        assert!(split_combine(&grid!["10201", "11500"], false, Logic::And, 2).is_err());
        assert_eq!(split_combine(&grid!["10", "11", "01", "11"], true, Logic::And, 3).unwrap(), grid!["00", "33"]);
    }
}
