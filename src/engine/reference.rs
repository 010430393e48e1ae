//! The reference meaning of every program: each step through its op's reference function
//! (`ops::<family>::<name>_reference`, written with the grid DSL: clear rather than fast).
//! The CPU executor (`cpu`) and the Vulkan shader must reproduce it bit for bit; property
//! tests hold all three to that.

use super::program::{Program, Step};
use crate::grid::Grid;

/// Applies one step; None when it cannot apply (an empty crop, a side over 30...).
pub fn apply_step(step: &Step, g: &Grid) -> Option<Grid> {
    super::ops::apply_reference(step, g)
}

/// Runs a whole program; None when a step cannot apply.
pub fn run_program(p: &Program, input: &Grid) -> Option<Grid> {
    let mut g = input.clone();
    for step in p.steps() {
        g = apply_step(step, &g)?;
    }
    Some(g)
}
