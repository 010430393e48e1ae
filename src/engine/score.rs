//! Scoring, once for the whole engine: how one output grid compares with its expected
//! grid (`CellMatch`; the shader's scoring in `shaders/eval/main.glsl` mirrors
//! `CellMatch::of_cells`), and how a candidate's outputs on every train pair add up
//! (`PairScore`), for batches, searches and Lua candidates alike.

use crate::grid::Grid;

/// One output against its expected grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CellMatch {
    /// Same rows and columns.
    pub shape_matched: bool,
    /// Cells equal (0 for another shape).
    pub cells_matched: u32,
    /// Every cell equal.
    pub exact: bool,
}

impl CellMatch {
    /// An output of `rows` x `cols` with these cells (row-major) against `expected`.
    pub fn of_cells(rows: usize, cols: usize, cells: &[u8], expected: &Grid) -> CellMatch {
        if rows != expected.rows() || cols != expected.cols() {
            return CellMatch::default();
        }
        let matched = crate::grid::equal_cells(cells, expected.cells());
        CellMatch { shape_matched: true, cells_matched: matched as u32, exact: matched == expected.cells().len() }
    }

    pub fn of_grid(output: &Grid, expected: &Grid) -> CellMatch {
        CellMatch::of_cells(output.rows(), output.cols(), output.cells(), expected)
    }
}

/// A candidate's outputs on all train pairs.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PairScore {
    pub pairs: usize,
    /// Pairs reproduced exactly.
    pub pairs_exact: usize,
    /// Pairs whose output had the expected shape.
    pub shapes_matched: usize,
    /// Mean over pairs of the fraction of cells right (0 for a wrong shape or no output).
    pub cell_accuracy: f64,
}

impl PairScore {
    /// From each pair's cells matched (None: no output, or another shape) and its
    /// expected grid's cell count, in pair order.
    pub fn from_matches(pairs: impl IntoIterator<Item = (Option<u32>, usize)>) -> PairScore {
        let mut score = PairScore::default();
        let mut accuracy_sum = 0.0;
        for (matched, cells) in pairs {
            score.pairs += 1;
            let Some(m) = matched else { continue };
            score.shapes_matched += 1;
            accuracy_sum += m as f64 / cells as f64;
            score.pairs_exact += (m as usize == cells) as usize;
        }
        score.cell_accuracy = if score.pairs == 0 { 0.0 } else { accuracy_sum / score.pairs as f64 };
        score
    }

    /// Outputs (None: no output) against the expected grids, pair by pair.
    pub fn of_outputs<'a>(outputs: impl IntoIterator<Item = Option<&'a Grid>>, expected: &[Grid]) -> PairScore {
        PairScore::from_matches(outputs.into_iter().zip(expected).map(|(out, e)| {
            let m = out.map(|o| CellMatch::of_grid(o, e)).filter(|m| m.shape_matched);
            (m.map(|m| m.cells_matched), e.cells().len())
        }))
    }

    pub fn exact(&self) -> bool {
        self.pairs > 0 && self.pairs_exact == self.pairs
    }
}
