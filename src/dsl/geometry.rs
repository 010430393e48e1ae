//! The eight symmetries of the square (rotations and reflections) as grid functions, and
//! the `Symmetry` enum that names them for scripts and the batch engine.

use crate::grid::Grid;

/// One of the 8 rotations/reflections of a grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Symmetry {
    Identity,
    /// Quarter turn clockwise.
    Rot90,
    Rot180,
    /// Quarter turn anticlockwise.
    Rot270,
    /// Upside down (reverse the rows); ARC-DSL `hmirror`.
    FlipUpDown,
    /// Left-right (reverse each row); ARC-DSL `vmirror`.
    FlipLeftRight,
    /// Mirror on the main diagonal; ARC-DSL `dmirror`.
    Transpose,
    /// Mirror on the anti-diagonal; ARC-DSL `cmirror`.
    AntiTranspose,
}

impl Symmetry {
    pub const ALL: [Symmetry; 8] = [
        Symmetry::Identity,
        Symmetry::Rot90,
        Symmetry::Rot180,
        Symmetry::Rot270,
        Symmetry::FlipUpDown,
        Symmetry::FlipLeftRight,
        Symmetry::Transpose,
        Symmetry::AntiTranspose,
    ];

    /// Whether the result has rows and columns swapped.
    pub fn swaps_sides(self) -> bool {
        matches!(self, Symmetry::Rot90 | Symmetry::Rot270 | Symmetry::Transpose | Symmetry::AntiTranspose)
    }

    /// The source cell (row, col) in a `rows`×`cols` input of output cell (r, c).
    pub fn source(self, rows: usize, cols: usize, r: usize, c: usize) -> (usize, usize) {
        match self {
            Symmetry::Identity => (r, c),
            Symmetry::Rot90 => (rows - 1 - c, r),
            Symmetry::Rot180 => (rows - 1 - r, cols - 1 - c),
            Symmetry::Rot270 => (c, cols - 1 - r),
            Symmetry::FlipUpDown => (rows - 1 - r, c),
            Symmetry::FlipLeftRight => (r, cols - 1 - c),
            Symmetry::Transpose => (c, r),
            Symmetry::AntiTranspose => (rows - 1 - c, cols - 1 - r),
        }
    }

    pub fn apply(self, g: &Grid) -> Grid {
        let (rows, cols) = (g.rows(), g.cols());
        let (out_rows, out_cols) = if self.swaps_sides() { (cols, rows) } else { (rows, cols) };
        Grid::from_fn(out_rows, out_cols, |r, c| {
            let (sr, sc) = self.source(rows, cols, r, c);
            g.get(sr, sc)
        })
        .expect("a symmetry keeps the grid's sides")
    }
}

pub fn rot90(g: &Grid) -> Grid {
    Symmetry::Rot90.apply(g)
}
pub fn rot180(g: &Grid) -> Grid {
    Symmetry::Rot180.apply(g)
}
pub fn rot270(g: &Grid) -> Grid {
    Symmetry::Rot270.apply(g)
}
pub fn flip_updown(g: &Grid) -> Grid {
    Symmetry::FlipUpDown.apply(g)
}
pub fn flip_leftright(g: &Grid) -> Grid {
    Symmetry::FlipLeftRight.apply(g)
}
pub fn transpose(g: &Grid) -> Grid {
    Symmetry::Transpose.apply(g)
}
pub fn antitranspose(g: &Grid) -> Grid {
    Symmetry::AntiTranspose.apply(g)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid;

    #[test]
    fn each_symmetry_on_a_hand_checked_grid() {
        let g = grid!["123", "456"];
        assert_eq!(rot90(&g), grid!["41", "52", "63"]);
        assert_eq!(rot180(&g), grid!["654", "321"]);
        assert_eq!(rot270(&g), grid!["36", "25", "14"]);
        assert_eq!(flip_updown(&g), grid!["456", "123"]);
        assert_eq!(flip_leftright(&g), grid!["321", "654"]);
        assert_eq!(transpose(&g), grid!["14", "25", "36"]);
        assert_eq!(antitranspose(&g), grid!["63", "52", "41"]);
        assert_eq!(Symmetry::Identity.apply(&g), g);
    }

    #[test]
    fn group_laws() {
        let g = grid!["1203", "4567", "8900"];
        assert_eq!(rot90(&rot90(&g)), rot180(&g));
        assert_eq!(rot90(&rot270(&g)), g);
        assert_eq!(transpose(&transpose(&g)), g);
        assert_eq!(antitranspose(&g), rot180(&transpose(&g)));
    }
}
