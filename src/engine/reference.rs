//! The reference meaning of every program: each step through its op's reference function
//! (`ops::<family>::<name>_reference`, written with the grid DSL: clear rather than fast),
//! with positions and lists followed plainly (`ops::apply_reference_placed`: where a crop
//! moves a grid, what `split` makes of it, how list ops filter and join). The CPU executor
//! (`cpu_eval`) and the Vulkan shader must reproduce it bit for bit; property tests hold all
//! three to that.

use super::ops::{apply_reference_placed, Placed};
use super::program::{Program, Step};
use crate::grid::Grid;

/// Applies one step to a grid alone (no position, no list); None when it cannot apply (an
/// empty crop, a side over 30...).
pub fn apply_step(step: &Step, g: &Grid) -> Option<Grid> {
    super::ops::apply_reference(step, g)
}

/// Runs a whole program from an input lying at row 0, column 0: its output and where it
/// lies; None when a step cannot apply or the result is a list.
pub fn run_program_positioned(p: &Program, input: &Grid) -> Option<(Grid, (usize, usize))> {
    let mut value = Placed::Image(input.clone(), (0, 0));
    for step in p.steps() {
        value = apply_reference_placed(step, &value)?;
    }
    match value {
        Placed::Image(g, at) => Some((g, at)),
        Placed::List(_) => None,
    }
}

/// Runs a whole program; None when a step cannot apply or the result is a list.
pub fn run_program(p: &Program, input: &Grid) -> Option<Grid> {
    run_program_positioned(p, input).map(|(g, _)| g)
}
