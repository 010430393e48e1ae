//! The reference meaning of every op, written with the grid DSL: clear rather than fast.
//! The CPU executor (`cpu`) and the Vulkan shader must reproduce it bit for bit; property
//! tests hold all three to that.

use super::program::{Op, Program, Step};
use crate::dsl::{self, Direction, Extreme, Logic, Mirror, Symmetry};
use crate::grid::Grid;

/// Applies one step; None when it cannot apply (an empty crop, a side over 30...).
pub fn apply_step(step: &Step, g: &Grid) -> Option<Grid> {
    let sym = |s: Symmetry| Some(s.apply(g));
    match step.op {
        Op::Identity => Some(g.clone()),
        Op::Rot90 => sym(Symmetry::Rot90),
        Op::Rot180 => sym(Symmetry::Rot180),
        Op::Rot270 => sym(Symmetry::Rot270),
        Op::FlipUpDown => sym(Symmetry::FlipUpDown),
        Op::FlipLeftRight => sym(Symmetry::FlipLeftRight),
        Op::Transpose => sym(Symmetry::Transpose),
        Op::AntiTranspose => sym(Symmetry::AntiTranspose),
        Op::CropContent => dsl::crop_to_content(g).ok(),
        Op::CropLargestObject => dsl::crop_to_object(g, Extreme::Largest).ok(),
        Op::CropSmallestObject => dsl::crop_to_object(g, Extreme::Smallest).ok(),
        Op::KeepLargestObject => dsl::keep_largest_object(g).ok(),
        Op::PaintForeground => dsl::paint_foreground(g, step.a as u8).ok(),
        Op::Recolor => dsl::replace(g, step.a as u8, step.b as u8).ok(),
        Op::Permute => Grid::from_fn(g.rows(), g.cols(), |r, c| step.permuted(g.get(r, c))).ok(),
        Op::Erase => dsl::replace(g, step.a as u8, dsl::mostcolor(g)).ok(),
        Op::Upscale => dsl::upscale(g, step.a as usize, step.a as usize).ok(),
        Op::Downscale => dsl::downscale(g, step.a as usize).ok(),
        Op::Tile => dsl::tile(g, step.a as usize, step.b as usize).ok(),
        Op::TileMirrored => {
            let (h, w) = (g.rows(), g.cols());
            Grid::from_fn(h * step.a as usize, w * step.b as usize, |r, c| {
                let (tr, tc) = (r / h, c / w);
                let sr = if tr % 2 == 1 { h - 1 - r % h } else { r % h };
                let sc = if tc % 2 == 1 { w - 1 - c % w } else { c % w };
                g.get(sr, sc)
            })
            .ok()
        }
        Op::Half => match step.a {
            0 => dsl::tophalf(g),
            1 => dsl::bottomhalf(g),
            2 => dsl::lefthalf(g),
            _ => dsl::righthalf(g),
        }
        .ok(),
        Op::Dedupe => Some(dsl::dedupe(g)),
        Op::Gravity => Some(dsl::gravity(g, [Direction::Up, Direction::Down, Direction::Left, Direction::Right][step.a as usize])),
        Op::FillEnclosed => dsl::fill_enclosed(g, step.a as u8).ok(),
        Op::Outline => dsl::outline(g, step.a as u8).ok(),
        Op::Symmetrize => Some(dsl::symmetrize(g, [Mirror::Horizontal, Mirror::Vertical, Mirror::Both][step.a as usize])),
        Op::SplitCombine => {
            let logic = [Logic::And, Logic::Or, Logic::Xor, Logic::Nor][step.b as usize];
            dsl::split_combine(g, step.a == 1, logic, step.c as u8).ok()
        }
        Op::Denoise => Some(dsl::denoise(g)),
    }
}

/// Runs a whole program; None when a step cannot apply.
pub fn run_program(p: &Program, input: &Grid) -> Option<Grid> {
    let mut g = input.clone();
    for step in p.steps() {
        g = apply_step(step, &g)?;
    }
    Some(g)
}
