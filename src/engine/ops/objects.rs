//! The objects family: crops to the content or to one object, and keeping one object, as
//! CPU kernels beside their reference meanings. GLSL: `shaders/ops/objects.glsl`.

use super::{background, crop, pick_object, sized, Canvas, Scratch, Step};
use crate::dsl::{self, Extreme};
use crate::grid::{Grid, MAX_SIDE};

pub fn crop_content(_: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let bg = background(src);
    let mut bbox = [MAX_SIDE, MAX_SIDE, 0, 0];
    for r in 0..src.rows {
        for c in 0..src.cols {
            if src.at(r, c) != bg {
                bbox = [bbox[0].min(r), bbox[1].min(c), bbox[2].max(r), bbox[3].max(c)];
            }
        }
    }
    bbox[0] != MAX_SIDE && crop(src, dst, bbox)
}

pub fn crop_largest(_: &Step, src: &Canvas, dst: &mut Canvas, s: &mut Scratch) -> bool {
    let bg = background(src);
    pick_object(src, bg, true, s).is_some_and(|(_, bbox)| crop(src, dst, bbox))
}

pub fn crop_smallest(_: &Step, src: &Canvas, dst: &mut Canvas, s: &mut Scratch) -> bool {
    let bg = background(src);
    pick_object(src, bg, false, s).is_some_and(|(_, bbox)| crop(src, dst, bbox))
}

pub fn keep_largest(_: &Step, src: &Canvas, dst: &mut Canvas, s: &mut Scratch) -> bool {
    let bg = background(src);
    let Some((id, _)) = pick_object(src, bg, true, s) else { return false };
    if !sized(dst, src.rows, src.cols) {
        return false;
    }
    for i in 0..src.len() {
        dst.cells[i] = if s.label[i] == id { src.cells[i] } else { bg };
    }
    true
}

pub fn crop_content_reference(_: &Step, g: &Grid) -> Option<Grid> {
    dsl::crop_to_content(g).ok()
}

pub fn crop_largest_reference(_: &Step, g: &Grid) -> Option<Grid> {
    dsl::crop_to_object(g, Extreme::Largest).ok()
}

pub fn crop_smallest_reference(_: &Step, g: &Grid) -> Option<Grid> {
    dsl::crop_to_object(g, Extreme::Smallest).ok()
}

pub fn keep_largest_reference(_: &Step, g: &Grid) -> Option<Grid> {
    dsl::keep_largest_object(g).ok()
}
