//! The colour family: ops that map every colour through a table (recolour one colour,
//! paint the foreground, permute, erase, keep one colour) and the majority colour as a
//! 1x1 grid, as CPU kernels beside their reference meanings.
//! GLSL: `shaders/ops/color.glsl`.

use super::{background, reference_background, majority_foreground, sized, Canvas, Scratch, Step};
use crate::dsl;
use crate::grid::Grid;

const IDENTITY: [u8; 10] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

fn map_colors(src: &Canvas, dst: &mut Canvas, table: &[u8; 10]) -> bool {
    if !sized(dst, src.rows, src.cols) {
        return false;
    }
    for (d, &v) in dst.cells[..src.len()].iter_mut().zip(src.filled()) {
        *d = table[v as usize];
    }
    true
}

pub fn recolor(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let mut table = IDENTITY;
    table[step.a as usize] = step.b as u8;
    map_colors(src, dst, &table)
}

pub fn paint(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let bg = background(src);
    let mut table = [step.a as u8; 10];
    table[bg as usize] = bg;
    map_colors(src, dst, &table)
}

pub fn permute(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let mut table = IDENTITY;
    for (x, t) in table.iter_mut().enumerate() {
        *t = step.permuted(x as u8);
    }
    map_colors(src, dst, &table)
}

pub fn erase(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let mut table = IDENTITY;
    table[step.a as usize] = background(src);
    map_colors(src, dst, &table)
}

pub fn keep_color(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let mut table = [background(src); 10];
    table[step.a as usize] = step.a as u8;
    map_colors(src, dst, &table)
}

pub fn recolor_reference(step: &Step, g: &Grid) -> Option<Grid> {
    dsl::replace(g, step.a as u8, step.b as u8).ok()
}

pub fn paint_reference(step: &Step, g: &Grid) -> Option<Grid> {
    dsl::paint_foreground_on(g, reference_background(g), step.a as u8).ok()
}

pub fn permute_reference(step: &Step, g: &Grid) -> Option<Grid> {
    Grid::from_fn(g.rows(), g.cols(), |r, c| step.permuted(g.get(r, c))).ok()
}

pub fn erase_reference(step: &Step, g: &Grid) -> Option<Grid> {
    dsl::replace(g, step.a as u8, reference_background(g)).ok()
}

pub fn keep_color_reference(step: &Step, g: &Grid) -> Option<Grid> {
    let (keep, bg) = (step.a as u8, reference_background(g));
    Grid::from_fn(g.rows(), g.cols(), |r, c| if g.get(r, c) == keep { keep } else { bg }).ok()
}

pub fn majority_color(_: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    // icecuber's majority colour: every colour but 0 counts, so a grid without 0 gives its
    // most common colour (the one the background rule would set aside)
    let Some(color) = majority_foreground(src, 0) else { return false };
    sized(dst, 1, 1);
    dst.cells[0] = color;
    true
}

/// The most common non-background colour of a grid, by the DSL's counts.
pub(super) fn majority_foreground_reference(g: &Grid) -> Option<u8> {
    majority_other_than(g, reference_background(g))
}

/// The most common colour of a grid other than `bg` (ties: the smallest).
fn majority_other_than(g: &Grid, bg: u8) -> Option<u8> {
    let mut best: Option<(usize, u8)> = None;
    for c in dsl::palette(g) {
        let n = dsl::colorcount(g, c);
        if c != bg && best.is_none_or(|(k, _)| n > k) {
            best = Some((n, c));
        }
    }
    best.map(|(_, c)| c)
}

pub fn majority_color_reference(_: &Step, g: &Grid) -> Option<Grid> {
    dsl::canvas(majority_other_than(g, 0)?, 1, 1).ok()
}
