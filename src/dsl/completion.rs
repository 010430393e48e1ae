//! Repairing a grid whose cells of one "noise" colour hide a symmetric or periodic
//! pattern: the symmetries the visible cells obey are found (mirrors about any row, column
//! or diagonal line, half turns about any centre, translations), and every hidden cell is
//! filled from its image under the best-supported symmetry that sees it. ARC's mosaic
//! tasks (fill the blacked-out square, or output what was under it) are of this kind.

use crate::grid::Grid;

/// A symmetry of the plane's integer grid: (r, c) -> image.
#[derive(Debug, Clone, Copy)]
enum Symmetry {
    /// c -> a - c
    MirrorColumns(i64),
    /// r -> b - r
    MirrorRows(i64),
    /// (r, c) -> (b - r, a - c)
    HalfTurn(i64, i64),
    /// reflection in the line c - r = k: (r, c) -> (c - k, r + k)
    Diagonal(i64),
    /// reflection in the line r + c = k: (r, c) -> (k - c, k - r)
    AntiDiagonal(i64),
    /// (r, c) -> (r + dr, c + dc)
    Translation(i64, i64),
}

impl Symmetry {
    fn image(self, r: i64, c: i64) -> (i64, i64) {
        match self {
            Symmetry::MirrorColumns(a) => (r, a - c),
            Symmetry::MirrorRows(b) => (b - r, c),
            Symmetry::HalfTurn(b, a) => (b - r, a - c),
            Symmetry::Diagonal(k) => (c - k, r + k),
            Symmetry::AntiDiagonal(k) => (k - c, k - r),
            Symmetry::Translation(dr, dc) => (r + dr, c + dc),
        }
    }
}

fn candidates(rows: i64, cols: i64) -> Vec<Symmetry> {
    let mut out = Vec::new();
    for a in 1..2 * cols - 2 {
        out.push(Symmetry::MirrorColumns(a));
    }
    for b in 1..2 * rows - 2 {
        out.push(Symmetry::MirrorRows(b));
    }
    for b in 1..2 * rows - 2 {
        for a in 1..2 * cols - 2 {
            out.push(Symmetry::HalfTurn(b, a));
        }
    }
    for k in -(rows - 1)..cols {
        out.push(Symmetry::Diagonal(k));
    }
    for k in 0..rows + cols - 1 {
        out.push(Symmetry::AntiDiagonal(k));
    }
    for dr in -(rows - 1)..rows {
        for dc in -(cols - 1)..cols {
            if (dr, dc) != (0, 0) {
                out.push(Symmetry::Translation(dr, dc));
            }
        }
    }
    out
}

/// The grid with every cell of colour `noise` replaced by what the symmetries of the other
/// cells say it holds; None when there are no noise cells, or some cannot be filled.
pub fn complete_symmetry(g: &Grid, noise: u8) -> Option<Grid> {
    let (rows, cols) = (g.rows() as i64, g.cols() as i64);
    let hidden = g.cells().iter().filter(|&&v| v == noise).count();
    if hidden == 0 || hidden == g.cells().len() {
        return None;
    }
    let visible = g.cells().len() - hidden;
    let inside = |r: i64, c: i64| r >= 0 && c >= 0 && r < rows && c < cols;
    let at = |r: i64, c: i64| g.get(r as usize, c as usize);

    // Symmetries the visible cells obey, with how many cell pairs support each.
    let mut obeyed: Vec<(usize, usize, Symmetry)> = Vec::new();
    for (order, s) in candidates(rows, cols).into_iter().enumerate() {
        let mut agree = 0;
        let mut ok = true;
        'cells: for r in 0..rows {
            for c in 0..cols {
                let v = at(r, c);
                if v == noise {
                    continue;
                }
                let (ir, ic) = s.image(r, c);
                if !inside(ir, ic) || (ir, ic) == (r, c) {
                    continue;
                }
                let w = at(ir, ic);
                if w == noise {
                    continue;
                }
                if w != v {
                    ok = false;
                    break 'cells;
                }
                agree += 1;
            }
        }
        // A symmetry must be seen on a good part of the grid, not on a sliver of it.
        if ok && agree * 3 >= visible && agree >= 4 {
            obeyed.push((agree, order, s));
        }
    }
    if obeyed.is_empty() {
        return None;
    }
    obeyed.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));

    let mut out = g.clone();
    let mut known: Vec<bool> = g.cells().iter().map(|&v| v != noise).collect();
    let mut left = hidden;
    while left > 0 {
        let mut filled = 0;
        for r in 0..rows {
            for c in 0..cols {
                let i = (r * cols + c) as usize;
                if known[i] {
                    continue;
                }
                for &(_, _, s) in &obeyed {
                    let (ir, ic) = s.image(r, c);
                    if inside(ir, ic) && known[(ir * cols + ic) as usize] {
                        let v = out.get(ir as usize, ic as usize);
                        out.set(r as usize, c as usize, v);
                        known[i] = true;
                        filled += 1;
                        break;
                    }
                }
            }
        }
        if filled == 0 {
            return None;
        }
        left -= filled;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid;

    #[test]
    fn fills_a_hidden_patch_of_a_mirrored_pattern() {
        // Left-right mirror about the centre; two cells hidden by colour 0.
        let g = grid!["123321", "400654", "678876"];
        assert_eq!(complete_symmetry(&g, 0), Some(grid!["123321", "456654", "678876"]));
    }

    #[test]
    fn fills_from_a_period() {
        let g = grid!["121212", "343004", "121212", "343434"];
        assert_eq!(complete_symmetry(&g, 0), Some(grid!["121212", "343434", "121212", "343434"]));
    }

    #[test]
    fn refuses_without_noise_or_without_symmetry() {
        assert_eq!(complete_symmetry(&grid!["12", "34"], 0), None);
        assert_eq!(complete_symmetry(&grid!["1234", "5670", "9123"], 0), None);
    }
}
