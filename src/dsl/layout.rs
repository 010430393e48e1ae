//! Shape-changing functions: cropping, halves, concatenation, scaling, tiling, trimming the
//! border, compressing away frontiers and cropping to the non-background content.

use super::color::mostcolor;
use super::{invalid, DslResult};
use crate::grid::Grid;

/// The `height`×`width` part of the grid whose top-left cell is (top, left), 0-based.
pub fn crop(g: &Grid, top: usize, left: usize, height: usize, width: usize) -> DslResult<Grid> {
    if height == 0 || width == 0 || top + height > g.rows() || left + width > g.cols() {
        return invalid(format!(
            "crop of {height}x{width} at row {}, column {} does not fit in a {}x{} grid",
            top + 1,
            left + 1,
            g.rows(),
            g.cols()
        ));
    }
    Ok(Grid::from_fn(height, width, |r, c| g.get(top + r, left + c))?)
}

/// Upper half (the middle row of an odd height is left out, as in ARC-DSL).
pub fn tophalf(g: &Grid) -> DslResult<Grid> {
    crop(g, 0, 0, g.rows() / 2, g.cols())
}
pub fn bottomhalf(g: &Grid) -> DslResult<Grid> {
    let h = g.rows() / 2;
    crop(g, g.rows() - h, 0, h, g.cols())
}
pub fn lefthalf(g: &Grid) -> DslResult<Grid> {
    crop(g, 0, 0, g.rows(), g.cols() / 2)
}
pub fn righthalf(g: &Grid) -> DslResult<Grid> {
    let w = g.cols() / 2;
    crop(g, 0, g.cols() - w, g.rows(), w)
}

/// `a` and `b` side by side; they must have the same number of rows.
pub fn hconcat(a: &Grid, b: &Grid) -> DslResult<Grid> {
    if a.rows() != b.rows() {
        return invalid(format!("hconcat needs equal heights, got {} and {}", a.rows(), b.rows()));
    }
    Ok(Grid::from_fn(a.rows(), a.cols() + b.cols(), |r, c| {
        if c < a.cols() { a.get(r, c) } else { b.get(r, c - a.cols()) }
    })?)
}

/// `a` above `b`; they must have the same number of columns.
pub fn vconcat(a: &Grid, b: &Grid) -> DslResult<Grid> {
    if a.cols() != b.cols() {
        return invalid(format!("vconcat needs equal widths, got {} and {}", a.cols(), b.cols()));
    }
    Ok(Grid::from_fn(a.rows() + b.rows(), a.cols(), |r, c| {
        if r < a.rows() { a.get(r, c) } else { b.get(r - a.rows(), c) }
    })?)
}

/// Each cell becomes a `row_factor`×`col_factor` block.
pub fn upscale(g: &Grid, row_factor: usize, col_factor: usize) -> DslResult<Grid> {
    if row_factor == 0 || col_factor == 0 {
        return invalid("upscale factor must be at least 1");
    }
    Ok(Grid::from_fn(g.rows() * row_factor, g.cols() * col_factor, |r, c| g.get(r / row_factor, c / col_factor))?)
}

/// Keeps the top-left cell of each `factor`×`factor` block (ARC-DSL's `downscale`).
pub fn downscale(g: &Grid, factor: usize) -> DslResult<Grid> {
    if factor == 0 {
        return invalid("downscale factor must be at least 1");
    }
    let rows = g.rows().div_ceil(factor);
    let cols = g.cols().div_ceil(factor);
    Ok(Grid::from_fn(rows, cols, |r, c| g.get(r * factor, c * factor))?)
}

/// The grid repeated `down` times vertically and `across` times horizontally.
pub fn tile(g: &Grid, down: usize, across: usize) -> DslResult<Grid> {
    if down == 0 || across == 0 {
        return invalid("tile counts must be at least 1");
    }
    Ok(Grid::from_fn(g.rows() * down, g.cols() * across, |r, c| g.get(r % g.rows(), c % g.cols()))?)
}

/// The grid without its outer ring of cells.
pub fn trim(g: &Grid) -> DslResult<Grid> {
    if g.rows() < 3 || g.cols() < 3 {
        return invalid(format!("trim needs at least 3x3, got {}x{}", g.rows(), g.cols()));
    }
    crop(g, 1, 1, g.rows() - 2, g.cols() - 2)
}

/// The grid without its frontiers (rows and columns of one colour), as ARC-DSL's `compress`.
pub fn compress(g: &Grid) -> DslResult<Grid> {
    let drop_rows = uniform_rows(g);
    let drop_cols = uniform_cols(g);
    let keep_rows: Vec<usize> = (0..g.rows()).filter(|r| !drop_rows.contains(r)).collect();
    let keep_cols: Vec<usize> = (0..g.cols()).filter(|c| !drop_cols.contains(c)).collect();
    if keep_rows.is_empty() || keep_cols.is_empty() {
        return invalid("compress removed every row or column");
    }
    Ok(Grid::from_fn(keep_rows.len(), keep_cols.len(), |r, c| g.get(keep_rows[r], keep_cols[c]))?)
}

/// The smallest part of the grid that holds every cell not of the background colour.
pub fn crop_to_content(g: &Grid) -> DslResult<Grid> {
    crop_to_content_on(g, mostcolor(g))
}

/// `crop_to_content` with `bg` as the background.
pub fn crop_to_content_on(g: &Grid, bg: u8) -> DslResult<Grid> {
    let (mut top, mut left, mut bottom, mut right) = (usize::MAX, usize::MAX, 0, 0);
    for r in 0..g.rows() {
        for c in 0..g.cols() {
            if g.get(r, c) != bg {
                top = top.min(r);
                left = left.min(c);
                bottom = bottom.max(r);
                right = right.max(c);
            }
        }
    }
    if top == usize::MAX {
        return invalid("grid has no cells besides the background");
    }
    crop(g, top, left, bottom - top + 1, right - left + 1)
}

/// The rows whose cells all have one colour.
pub(crate) fn uniform_rows(g: &Grid) -> Vec<usize> {
    (0..g.rows()).filter(|&r| g.row(r).iter().all(|&v| v == g.get(r, 0))).collect()
}

/// The columns whose cells all have one colour.
pub(crate) fn uniform_cols(g: &Grid) -> Vec<usize> {
    (0..g.cols()).filter(|&c| (0..g.rows()).all(|r| g.get(r, c) == g.get(0, c))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid;

    #[test]
    fn crops_and_halves() {
        let g = grid!["123", "456", "789"];
        assert_eq!(crop(&g, 1, 1, 2, 2).unwrap(), grid!["56", "89"]);
        assert!(crop(&g, 2, 2, 2, 1).is_err());
        assert_eq!(tophalf(&g).unwrap(), grid!["123"]);
        assert_eq!(bottomhalf(&g).unwrap(), grid!["789"]);
        assert_eq!(lefthalf(&g).unwrap(), grid!["1", "4", "7"]);
        assert_eq!(righthalf(&g).unwrap(), grid!["3", "6", "9"]);
        assert!(tophalf(&grid!["1"]).is_err());
        assert_eq!(trim(&g).unwrap(), grid!["5"]);
    }

    #[test]
    fn concatenation_scaling_tiling() {
        let a = grid!["12", "34"];
        assert_eq!(hconcat(&a, &grid!["5", "6"]).unwrap(), grid!["125", "346"]);
        assert_eq!(vconcat(&a, &grid!["56"]).unwrap(), grid!["12", "34", "56"]);
        assert!(hconcat(&a, &grid!["5"]).is_err());
        assert_eq!(upscale(&a, 2, 2).unwrap(), grid!["1122", "1122", "3344", "3344"]);
        assert_eq!(downscale(&upscale(&a, 3, 3).unwrap(), 3).unwrap(), a);
        assert_eq!(tile(&a, 1, 2).unwrap(), grid!["1212", "3434"]);
        assert!(tile(&grid!["1"], 31, 1).is_err());
    }

    #[test]
    fn compress_and_content() {
        assert_eq!(compress(&grid!["000", "102", "000"]).unwrap(), grid!["12"]);
        assert_eq!(crop_to_content(&grid!["0000", "0120", "0030"]).unwrap(), grid!["12", "03"]);
        assert!(crop_to_content(&grid!["00"]).is_err());
    }
}
