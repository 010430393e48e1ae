//! The batch engine: candidate programs (`program`) evaluated on grids in batches, on all
//! CPU cores (`cpu_eval`) or in Vulkan compute shaders (`vulkan`), with identical results, both
//! held to the DSL-written meaning in `reference`; `cached_engine` is the engine a run talks to,
//! `worker_sharing` the same engine shared by a run's Lua workers. An
//! item names a program, an input grid, optionally an expected grid to score against, and
//! whether its output grid should come back.

pub mod augment;
pub mod batch;
pub mod compose;
pub mod cpu_eval;
pub mod fingerprint;
pub mod level;
pub mod ops;
pub mod program;
pub mod reference;
pub mod score;
pub mod search;
pub mod cached_engine;
pub mod worker_sharing;
pub mod size;
pub mod vulkan;

pub use cached_engine::{Backend, Engine, EngineStats};
pub use worker_sharing::{EngineHandle, SharedEngine, WorkerEngine};

use crate::grid::Grid;

/// One evaluation: `programs[program]` applied to `grids[input]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    pub program: u32,
    pub input: u32,
    /// Index of the grid to score against.
    pub expected: Option<u32>,
    pub want_output: bool,
}

/// What an item's evaluation gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemResult {
    /// False when a step could not apply ("no output").
    pub produced: bool,
    /// Output size (0x0 without output).
    pub rows: u8,
    pub cols: u8,
    /// Against the expected grid: same shape, cells equal, all equal.
    pub shape_matched: bool,
    pub cells_matched: u32,
    pub exact: bool,
    /// The output grid, for items that asked for it.
    pub output: Option<Box<Grid>>,
}

impl ItemResult {
    /// The result of an item whose program could not apply.
    pub const NONE: ItemResult =
        ItemResult { produced: false, rows: 0, cols: 0, shape_matched: false, cells_matched: 0, exact: false, output: None };

    pub fn from_output(output: Option<Grid>, expected: Option<&Grid>, want_output: bool) -> ItemResult {
        let Some(out) = output else { return ItemResult::NONE };
        let m = expected.map(|e| score::CellMatch::of_grid(&out, e)).unwrap_or_default();
        ItemResult {
            produced: true,
            rows: out.rows() as u8,
            cols: out.cols() as u8,
            shape_matched: m.shape_matched,
            cells_matched: m.cells_matched,
            exact: m.exact,
            output: want_output.then(|| Box::new(out)),
        }
    }
}
