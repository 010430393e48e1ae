//! The ARC grid: a rectangle of colours 0..=9 with each side between 1 and 30 cells.
//! This module owns the `Grid` value type, its validation (every constructor that takes
//! outside data checks sides and colours and says exactly what is wrong), its text form
//! (rows of digits) and its JSON form (an array of rows), which everything else builds on.

use std::fmt;

use serde::ser::{Serialize, SerializeSeq, Serializer};

/// Largest side of an ARC grid, in cells.
pub const MAX_SIDE: usize = 30;
/// Number of ARC colours; valid colours are `0..NUM_COLORS`.
pub const NUM_COLORS: usize = 10;

/// Why a grid could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GridError {
    #[error("grid has no rows")]
    NoRows,
    #[error("row {row} has no cells")]
    EmptyRow { row: usize },
    #[error("row {row} has {len} cells but row 1 has {expected} (rows must all be the same length)")]
    Ragged { row: usize, len: usize, expected: usize },
    #[error("grid is {rows}x{cols}; each side must be between 1 and {MAX_SIDE}")]
    BadSize { rows: usize, cols: usize },
    #[error("cell (row {row}, column {col}) is {value}; colours must be integers 0..9")]
    BadColor { row: usize, col: usize, value: String },
}

/// How many positions hold the same byte in `a` and `b` (up to the shorter's length). Counted
/// 32 bytes at a time into a byte counter (a few vector instructions a block), where a
/// plain `filter().count()` widens every comparison to a 64-bit lane (2 cells an
/// instruction): the CPU search compares each output with its train output this way.
pub fn equal_cells(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 32;
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let (blocks_a, blocks_b) = (a.chunks_exact(BLOCK), b.chunks_exact(BLOCK));
    let tail = blocks_a.remainder().iter().zip(blocks_b.remainder()).filter(|(x, y)| x == y).count();
    blocks_a
        .zip(blocks_b)
        .map(|(x, y)| {
            let mut same = 0u8;
            for i in 0..BLOCK {
                same += u8::from(x[i] == y[i]);
            }
            usize::from(same)
        })
        .sum::<usize>()
        + tail
}

/// A rows × cols grid of colours, stored row-major. Always valid: 1..=30 per side, colours 0..=9.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Grid {
    rows: usize,
    cols: usize,
    cells: Vec<u8>,
}

impl Grid {
    /// A grid of the given size filled with one colour.
    pub fn filled(rows: usize, cols: usize, color: u8) -> Result<Grid, GridError> {
        check_size(rows, cols)?;
        check_color(0, 0, color)?;
        Ok(Grid { rows, cols, cells: vec![color; rows * cols] })
    }

    /// A grid from row-major cells; `cells.len()` must be `rows * cols`.
    pub fn from_cells(rows: usize, cols: usize, cells: Vec<u8>) -> Result<Grid, GridError> {
        check_size(rows, cols)?;
        assert_eq!(cells.len(), rows * cols, "from_cells: cell count does not match the size");
        // The fast check first (it vectorises); positions only when a colour is bad.
        if cells.iter().any(|&c| c as usize >= NUM_COLORS) {
            for (i, &c) in cells.iter().enumerate() {
                check_color(i / cols, i % cols, c)?;
            }
        }
        Ok(Grid { rows, cols, cells })
    }

    /// A grid from rows of colours, checking raggedness, size and colours. Positions in
    /// errors are 1-based, as users count rows.
    pub fn from_rows<R: AsRef<[u8]>>(rows: &[R]) -> Result<Grid, GridError> {
        let first = rows.first().ok_or(GridError::NoRows)?.as_ref().len();
        let mut cells = Vec::with_capacity(rows.len() * first);
        for (r, row) in rows.iter().enumerate() {
            let row = row.as_ref();
            if row.is_empty() {
                return Err(GridError::EmptyRow { row: r + 1 });
            }
            if row.len() != first {
                return Err(GridError::Ragged { row: r + 1, len: row.len(), expected: first });
            }
            for (c, &v) in row.iter().enumerate() {
                check_color(r, c, v)?;
            }
            cells.extend_from_slice(row);
        }
        check_size(rows.len(), first)?;
        Ok(Grid { rows: rows.len(), cols: first, cells })
    }

    /// A grid whose cell (r, c) is `f(r, c)`, 0-based. Errors if the size is out of range;
    /// `f` must return colours 0..=9.
    pub fn from_fn(
        rows: usize,
        cols: usize,
        mut f: impl FnMut(usize, usize) -> u8,
    ) -> Result<Grid, GridError> {
        check_size(rows, cols)?;
        let mut cells = Vec::with_capacity(rows * cols);
        for r in 0..rows {
            for c in 0..cols {
                let v = f(r, c);
                debug_assert!((v as usize) < NUM_COLORS);
                cells.push(v);
            }
        }
        Ok(Grid { rows, cols, cells })
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Row-major cells.
    pub fn cells(&self) -> &[u8] {
        &self.cells
    }

    /// Colour at 0-based (row, col). Panics when out of range (callers check bounds).
    pub fn get(&self, row: usize, col: usize) -> u8 {
        assert!(row < self.rows && col < self.cols, "cell ({row}, {col}) outside {}x{}", self.rows, self.cols);
        self.cells[row * self.cols + col]
    }

    /// Colour at 0-based (row, col), or None outside the grid.
    pub fn try_get(&self, row: i64, col: i64) -> Option<u8> {
        if row < 0 || col < 0 || row as usize >= self.rows || col as usize >= self.cols {
            None
        } else {
            Some(self.cells[row as usize * self.cols + col as usize])
        }
    }

    /// Sets 0-based (row, col) to `color`. Panics when out of range or colour > 9.
    pub fn set(&mut self, row: usize, col: usize, color: u8) {
        assert!(row < self.rows && col < self.cols, "cell ({row}, {col}) outside {}x{}", self.rows, self.cols);
        assert!((color as usize) < NUM_COLORS, "colour {color} out of range");
        self.cells[row * self.cols + col] = color;
    }

    /// One row as a slice.
    pub fn row(&self, row: usize) -> &[u8] {
        &self.cells[row * self.cols..(row + 1) * self.cols]
    }

    /// Rows as vectors, for JSON and Lua tables.
    pub fn to_rows(&self) -> Vec<Vec<u8>> {
        (0..self.rows).map(|r| self.row(r).to_vec()).collect()
    }

    /// Number of cells of each colour.
    pub fn histogram(&self) -> [usize; NUM_COLORS] {
        let mut counts = [0; NUM_COLORS];
        for &c in &self.cells {
            counts[c as usize] += 1;
        }
        counts
    }

    /// Number of cells equal to the same cell of `other`; 0 when the shapes differ.
    pub fn matching_cells(&self, other: &Grid) -> usize {
        if self.rows != other.rows || self.cols != other.cols {
            return 0;
        }
        equal_cells(&self.cells, &other.cells)
    }

    pub fn same_shape(&self, other: &Grid) -> bool {
        self.rows == other.rows && self.cols == other.cols
    }
}

fn check_size(rows: usize, cols: usize) -> Result<(), GridError> {
    if rows == 0 || cols == 0 || rows > MAX_SIDE || cols > MAX_SIDE {
        Err(GridError::BadSize { rows, cols })
    } else {
        Ok(())
    }
}

fn check_color(row: usize, col: usize, value: u8) -> Result<(), GridError> {
    if (value as usize) < NUM_COLORS {
        Ok(())
    } else {
        Err(GridError::BadColor { row: row + 1, col: col + 1, value: value.to_string() })
    }
}

/// Rows of digits separated by newlines, e.g. "012\n340".
impl fmt::Display for Grid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for r in 0..self.rows {
            if r > 0 {
                f.write_str("\n")?;
            }
            for &c in self.row(r) {
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Grid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Grid {}x{} [", self.rows, self.cols)?;
        for r in 0..self.rows {
            if r > 0 {
                f.write_str(" ")?;
            }
            for &c in self.row(r) {
                write!(f, "{c}")?;
            }
        }
        f.write_str("]")
    }
}

/// JSON form: `[[c, c, ...], ...]`, as in ARC files.
impl Serialize for Grid {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.rows))?;
        for r in 0..self.rows {
            seq.serialize_element(self.row(r))?;
        }
        seq.end()
    }
}

/// Reads the JSON form back, validating it as `from_rows` does.
impl<'de> serde::Deserialize<'de> for Grid {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let rows = Vec::<Vec<u8>>::deserialize(deserializer)?;
        Grid::from_rows(&rows).map_err(serde::de::Error::custom)
    }
}

/// Builds a grid from string rows of digits, for tests and examples: `grid!["012", "340"]`.
#[macro_export]
macro_rules! grid {
    ($($row:expr),+ $(,)?) => {{
        let rows: Vec<Vec<u8>> = vec![$($row.bytes().map(|b| b - b'0').collect()),+];
        $crate::grid::Grid::from_rows(&rows).expect("grid! literal is a valid grid")
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_cells_counts_like_a_plain_comparison_at_every_length() {
        // lengths around the 32-byte blocks, cells differing at scattered places
        for n in [0usize, 1, 31, 32, 33, 63, 64, 65, 100, 255, 256, 257, 900] {
            let a: Vec<u8> = (0..n).map(|i| (i * 7 % 10) as u8).collect();
            let b: Vec<u8> = (0..n).map(|i| if i % 3 == 0 || i % 11 == 5 { ((i * 7 + 1) % 10) as u8 } else { (i * 7 % 10) as u8 }).collect();
            let plain = a.iter().zip(&b).filter(|(x, y)| x == y).count();
            assert_eq!(equal_cells(&a, &b), plain, "length {n}");
            assert_eq!(equal_cells(&a, &a), n, "length {n}, same cells");
        }
        // a shorter second slice: only the common prefix counts
        assert_eq!(equal_cells(&[1, 2, 3], &[1, 2]), 2);
    }

    #[test]
    fn from_rows_rejects_each_malformation() {
        assert_eq!(Grid::from_rows::<Vec<u8>>(&[]), Err(GridError::NoRows));
        assert_eq!(
            Grid::from_rows(&[vec![1, 2], vec![3]]),
            Err(GridError::Ragged { row: 2, len: 1, expected: 2 })
        );
        assert_eq!(Grid::from_rows(&[vec![1, 12]]).unwrap_err(), GridError::BadColor { row: 1, col: 2, value: "12".into() });
        assert_eq!(Grid::from_rows(&[vec![0u8; 31]]), Err(GridError::BadSize { rows: 1, cols: 31 }));
        assert_eq!(Grid::from_rows(&[Vec::<u8>::new()]), Err(GridError::EmptyRow { row: 1 }));
    }

    #[test]
    fn display_and_json_forms() {
        let g = grid!["012", "340"];
        assert_eq!(g.to_string(), "012\n340");
        assert_eq!(serde_json::to_string(&g).unwrap(), "[[0,1,2],[3,4,0]]");
        assert_eq!(g.histogram()[0], 2);
        assert_eq!(g.matching_cells(&grid!["012", "341"]), 5);
        assert_eq!(g.matching_cells(&grid!["01", "34"]), 0);
    }
}
