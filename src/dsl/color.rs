//! Colour functions: counting and ranking colours, replacing and switching them, and
//! filling cells of a grid.

use super::{invalid, DslResult};
use crate::grid::{Grid, NUM_COLORS};

fn checked_color(c: u8) -> DslResult<u8> {
    if (c as usize) < NUM_COLORS {
        Ok(c)
    } else {
        invalid(format!("colour {c} is not in 0..9"))
    }
}

/// Colours present in the grid, ascending.
pub fn palette(g: &Grid) -> Vec<u8> {
    let h = g.histogram();
    (0..NUM_COLORS as u8).filter(|&c| h[c as usize] > 0).collect()
}

/// The most common colour; ties go to the smallest colour (as ARC-DSL's `mostcolor`).
pub fn mostcolor(g: &Grid) -> u8 {
    let h = g.histogram();
    let mut best = 0;
    for c in 1..NUM_COLORS {
        if h[c] > h[best] {
            best = c;
        }
    }
    best as u8
}

/// The least common colour present; ties go to the smallest colour.
pub fn leastcolor(g: &Grid) -> u8 {
    let h = g.histogram();
    let mut best: Option<usize> = None;
    for c in 0..NUM_COLORS {
        if h[c] > 0 && best.is_none_or(|b| h[c] < h[b]) {
            best = Some(c);
        }
    }
    best.expect("a grid has at least one cell") as u8
}

/// The renaming of `g`'s colours by how common they are, and its inverse: `forward[c]` is
/// colour c's rank (the most common colour becomes 0, the next 1, ...; ties and the colours
/// `g` lacks follow in ascending order), `back[r]` the colour of rank r.
pub fn colour_ranks(g: &Grid) -> ([u8; NUM_COLORS], [u8; NUM_COLORS]) {
    let h = g.histogram();
    let mut order: Vec<usize> = (0..NUM_COLORS).collect();
    order.sort_by(|&a, &b| h[b].cmp(&h[a]).then(a.cmp(&b)));
    let (mut forward, mut back) = ([0u8; NUM_COLORS], [0u8; NUM_COLORS]);
    for (rank, &colour) in order.iter().enumerate() {
        forward[colour] = rank as u8;
        back[rank] = colour as u8;
    }
    (forward, back)
}

/// Every cell of colour c becomes `map[c]`.
pub fn rename_colours(g: &Grid, map: &[u8; NUM_COLORS]) -> Grid {
    Grid::from_cells(g.rows(), g.cols(), g.cells().iter().map(|&c| map[c as usize]).collect()).expect("same shape, colours 0-9")
}

/// Number of cells of colour `c`.
pub fn colorcount(g: &Grid, c: u8) -> usize {
    g.histogram().get(c as usize).copied().unwrap_or(0)
}

/// Every cell of colour `a` becomes `b`.
pub fn replace(g: &Grid, a: u8, b: u8) -> DslResult<Grid> {
    let b = checked_color(b)?;
    Ok(Grid::from_fn(g.rows(), g.cols(), |r, c| {
        let v = g.get(r, c);
        if v == a { b } else { v }
    })?)
}

/// Colours `a` and `b` trade places.
pub fn switch(g: &Grid, a: u8, b: u8) -> DslResult<Grid> {
    checked_color(a)?;
    checked_color(b)?;
    Ok(Grid::from_fn(g.rows(), g.cols(), |r, c| match g.get(r, c) {
        v if v == a => b,
        v if v == b => a,
        v => v,
    })?)
}

/// A grid of one colour.
pub fn canvas(color: u8, rows: usize, cols: usize) -> DslResult<Grid> {
    Ok(Grid::filled(rows, cols, checked_color(color)?)?)
}

/// Sets the given 0-based cells to `color`; cells outside the grid are ignored (as ARC-DSL).
pub fn fill(g: &Grid, color: u8, cells: &[(i64, i64)]) -> DslResult<Grid> {
    let color = checked_color(color)?;
    let mut out = g.clone();
    for &(r, c) in cells {
        if g.try_get(r, c).is_some() {
            out.set(r as usize, c as usize, color);
        }
    }
    Ok(out)
}

/// Like `fill`, but only where the grid holds the background (most common) colour.
pub fn underfill(g: &Grid, color: u8, cells: &[(i64, i64)]) -> DslResult<Grid> {
    let color = checked_color(color)?;
    let bg = mostcolor(g);
    let mut out = g.clone();
    for &(r, c) in cells {
        if g.try_get(r, c) == Some(bg) {
            out.set(r as usize, c as usize, color);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid;

    #[test]
    fn counting_colours() {
        let g = grid!["0012", "0112", "0003"];
        assert_eq!(palette(&g), vec![0, 1, 2, 3]);
        assert_eq!(mostcolor(&g), 0);
        assert_eq!(leastcolor(&g), 3);
        assert_eq!(colorcount(&g, 1), 3);
        assert_eq!(colorcount(&g, 7), 0);
        // ties go to the smallest colour
        assert_eq!(mostcolor(&grid!["21", "12"]), 1);
        assert_eq!(leastcolor(&grid!["5522", "1133"]), 1);
    }

    #[test]
    fn replacing_and_switching() {
        let g = grid!["012", "210"];
        assert_eq!(replace(&g, 1, 5).unwrap(), grid!["052", "250"]);
        assert_eq!(switch(&g, 0, 2).unwrap(), grid!["210", "012"]);
        assert!(replace(&g, 1, 10).is_err());
    }

    #[test]
    fn filling() {
        let g = grid!["000", "010"];
        assert_eq!(fill(&g, 3, &[(0, 0), (1, 1), (5, 5), (-1, 0)]).unwrap(), grid!["300", "030"]);
        assert_eq!(underfill(&g, 3, &[(0, 0), (1, 1)]).unwrap(), grid!["300", "010"]);
        assert_eq!(canvas(4, 1, 2).unwrap(), grid!["44"]);
    }
}
