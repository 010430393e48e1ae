//! The grid DSL: pure functions from grids (and objects) to new grids, in the spirit of
//! Michael Hodel's ARC-DSL, written in Rust so Lua scripts and the batch engine share one
//! meaning. Coordinates here are 0-based; the Lua layer converts to 1-based. Functions that
//! can fail (a crop outside the grid, a result larger than 30×30) return `DslError`.
//! Background, where a function needs one, is the grid's most common colour, as in ARC-DSL.

pub mod cellrule;
pub mod color;
pub mod completion;
pub mod geometry;
pub mod layout;
pub mod motion;
pub mod objects;
pub mod patches;
pub mod patterns;

pub use color::*;
pub use geometry::*;
pub use layout::*;
pub use motion::*;
pub use objects::*;
pub use patterns::*;

use crate::grid::GridError;

/// Why a DSL function could not produce a grid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DslError {
    #[error("{0}")]
    Grid(#[from] GridError),
    #[error("{0}")]
    Invalid(String),
}

pub type DslResult<T> = Result<T, DslError>;

pub(crate) fn invalid<T>(message: impl Into<String>) -> DslResult<T> {
    Err(DslError::Invalid(message.into()))
}
