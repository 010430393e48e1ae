//! The symmetry family: the identity and the 7 other symmetries of the square, as CPU
//! kernels (one index walk each) beside their reference meanings. GLSL:
//! `shaders/ops/symmetry.glsl`.

use super::{sized, Canvas, Scratch, Step};
use crate::dsl::Symmetry;
use crate::grid::Grid;

/// Output (r, c) reads source index `start + r * dr + c * dc`; `swap` when the output's
/// sides are the source's swapped.
fn walk(src: &Canvas, dst: &mut Canvas, swap: bool, index: impl Fn(isize, isize) -> (isize, isize, isize)) -> bool {
    let (rows, cols) = (src.rows, src.cols);
    let (h, w) = if swap { (cols, rows) } else { (rows, cols) };
    if !sized(dst, h, w) {
        return false;
    }
    let (start, dr, dc) = index(rows as isize, cols as isize);
    for r in 0..h {
        let row_start = start + r as isize * dr;
        for c in 0..w {
            dst.cells[r * w + c] = src.cells[(row_start + c as isize * dc) as usize];
        }
    }
    true
}

pub fn identity(_: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    if !sized(dst, src.rows, src.cols) {
        return false;
    }
    dst.cells[..src.len()].copy_from_slice(src.filled());
    true
}

pub fn rot90(_: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    walk(src, dst, true, |h, w| ((h - 1) * w, 1, -w))
}

pub fn rot180(_: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    walk(src, dst, false, |h, w| ((h - 1) * w + w - 1, -w, -1))
}

pub fn rot270(_: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    walk(src, dst, true, |_, w| (w - 1, -1, w))
}

pub fn flip_updown(_: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    walk(src, dst, false, |h, w| ((h - 1) * w, -w, 1))
}

pub fn flip_leftright(_: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    walk(src, dst, false, |_, w| (w - 1, w, -1))
}

pub fn transpose(_: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    walk(src, dst, true, |_, w| (0, 1, w))
}

pub fn antitranspose(_: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    walk(src, dst, true, |h, w| ((h - 1) * w + w - 1, -1, -w))
}

pub fn identity_reference(_: &Step, g: &Grid) -> Option<Grid> {
    Some(g.clone())
}

pub fn rot90_reference(_: &Step, g: &Grid) -> Option<Grid> {
    Some(Symmetry::Rot90.apply(g))
}

pub fn rot180_reference(_: &Step, g: &Grid) -> Option<Grid> {
    Some(Symmetry::Rot180.apply(g))
}

pub fn rot270_reference(_: &Step, g: &Grid) -> Option<Grid> {
    Some(Symmetry::Rot270.apply(g))
}

pub fn flip_updown_reference(_: &Step, g: &Grid) -> Option<Grid> {
    Some(Symmetry::FlipUpDown.apply(g))
}

pub fn flip_leftright_reference(_: &Step, g: &Grid) -> Option<Grid> {
    Some(Symmetry::FlipLeftRight.apply(g))
}

pub fn transpose_reference(_: &Step, g: &Grid) -> Option<Grid> {
    Some(Symmetry::Transpose.apply(g))
}

pub fn antitranspose_reference(_: &Step, g: &Grid) -> Option<Grid> {
    Some(Symmetry::AntiTranspose.apply(g))
}
