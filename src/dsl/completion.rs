//! Repairing a grid whose cells of one "noise" colour hide a symmetric or periodic
//! pattern: the symmetries the visible cells obey are found (mirrors about any row, column
//! or diagonal line, half turns about any centre, translations), and every hidden cell is
//! filled from its image under the best-supported symmetry that sees it. ARC's mosaic
//! tasks (fill the blacked-out square, or output what was under it) are of this kind.
//! Or, where no global symmetry holds, from the grid's own 3x3 patches: hidden cells are
//! filled window by window with the commonest fully visible patch (in any of its 8
//! orientations) that agrees with what the window shows (icecuber's greedy fill, GitHub
//! top-quarks/ARC-solution; batt's own code).

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

/// Side of the patches `complete_from_patches` learns and fills with.
const PATCH: usize = 3;

/// The 8 orientations of a PATCH x PATCH patch (row-major cells).
fn orientations(p: &[u8; PATCH * PATCH]) -> [[u8; PATCH * PATCH]; 8] {
    let at = |r: usize, c: usize| p[r * PATCH + c];
    let n = PATCH - 1;
    let mut out = [[0u8; PATCH * PATCH]; 8];
    for (k, o) in out.iter_mut().enumerate() {
        for r in 0..PATCH {
            for c in 0..PATCH {
                let (sr, sc) = match k {
                    0 => (r, c),
                    1 => (n - c, r),
                    2 => (n - r, n - c),
                    3 => (c, n - r),
                    4 => (r, n - c),
                    5 => (n - r, c),
                    6 => (c, r),
                    _ => (n - c, n - r),
                };
                o[r * PATCH + c] = at(sr, sc);
            }
        }
    }
    out
}

/// The grid with every cell of colour `noise` filled from the grid's own 3x3 patches: the
/// fully visible windows, in all 8 orientations, counted; then, while a cell is hidden, the
/// window with the most visible (or already filled) cells among those holding a hidden one
/// (the topmost, then leftmost of equals) takes the commonest patch (the smallest of equals)
/// that agrees with every cell it already shows. None when there are no noise cells, the
/// grid is smaller than a patch, no patch is fully visible, or some window has no patch
/// that agrees.
pub fn complete_from_patches(g: &Grid, noise: u8) -> Option<Grid> {
    let hidden: Vec<bool> = g.cells().iter().map(|&v| v == noise).collect();
    complete_hidden_from_patches(g, &hidden)
}

/// `complete_from_patches` with the hidden cells given as a mask (`hidden[r * cols + c]`)
/// instead of by a colour: what they hold is ignored.
pub fn complete_hidden_from_patches(g: &Grid, hidden: &[bool]) -> Option<Grid> {
    let (rows, cols) = (g.rows(), g.cols());
    if rows < PATCH || cols < PATCH || !hidden.contains(&true) {
        return None;
    }
    let mut counts: std::collections::HashMap<[u8; PATCH * PATCH], u32> = std::collections::HashMap::new();
    for r in 0..=rows - PATCH {
        for c in 0..=cols - PATCH {
            let mut p = [0u8; PATCH * PATCH];
            for (k, v) in p.iter_mut().enumerate() {
                *v = g.get(r + k / PATCH, c + k % PATCH);
            }
            if (0..PATCH * PATCH).any(|k| hidden[(r + k / PATCH) * cols + c + k % PATCH]) {
                continue;
            }
            for o in orientations(&p) {
                *counts.entry(o).or_default() += 1;
            }
        }
    }
    if counts.is_empty() {
        return None;
    }
    let mut patches: Vec<([u8; PATCH * PATCH], u32)> = counts.into_iter().collect();
    patches.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));

    let mut out = g.clone();
    let mut known: Vec<bool> = hidden.iter().map(|&h| !h).collect();
    loop {
        // the window to fill next: most cells known, at least one not
        let mut best: Option<(usize, usize, usize)> = None;
        for r in 0..=rows - PATCH {
            for c in 0..=cols - PATCH {
                let seen = (0..PATCH * PATCH).filter(|k| known[(r + k / PATCH) * cols + c + k % PATCH]).count();
                if seen < PATCH * PATCH && best.is_none_or(|(s, _, _)| seen > s) {
                    best = Some((seen, r, c));
                }
            }
        }
        let Some((_, r, c)) = best else { break };
        let cell = |k: usize| ((r + k / PATCH) * cols + c + k % PATCH, r + k / PATCH, c + k % PATCH);
        let fits = |p: &[u8; PATCH * PATCH]| (0..PATCH * PATCH).all(|k| !known[cell(k).0] || out.get(cell(k).1, cell(k).2) == p[k]);
        let (patch, _) = patches.iter().find(|(p, _)| fits(p))?;
        for (k, &v) in patch.iter().enumerate() {
            let (i, pr, pc) = cell(k);
            if !known[i] {
                out.set(pr, pc, v);
                known[i] = true;
            }
        }
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
    fn fills_a_hole_from_the_grid_s_own_patches() {
        // diagonal stripes (each row the one above shifted by one) with a 2x2 hole
        let g = grid!["1231231", "2312312", "3100123", "1200231", "2312312"];
        let filled = complete_from_patches(&g, 0).unwrap();
        assert_eq!(filled, grid!["1231231", "2312312", "3123123", "1231231", "2312312"]);
        // nothing hidden, too small, or no fully visible patch: no answer
        assert_eq!(complete_from_patches(&grid!["123", "231", "312"], 0), None);
        assert_eq!(complete_from_patches(&grid!["10", "21"], 0), None);
        assert_eq!(complete_from_patches(&grid!["120", "201", "012"], 0), None);
    }

    #[test]
    fn refuses_without_noise_or_without_symmetry() {
        assert_eq!(complete_symmetry(&grid!["12", "34"], 0), None);
        assert_eq!(complete_symmetry(&grid!["1234", "5670", "9123"], 0), None);
    }
}
