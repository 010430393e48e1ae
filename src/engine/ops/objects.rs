//! The objects family: crops to the content or to one object (by size, bounding box or
//! colour count), and keeping one object, as CPU kernels beside their reference meanings.
//! GLSL: `shaders/ops/objects.glsl`.

use super::{background, crop, flood, pick_object, sized, Canvas, Scratch, Step, NO_LABEL};
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

/// How `crop_object`'s criterion ranks an object (higher is better): its cells, its
/// bounding box's area or its colours, counted up or down.
fn criterion_key(criterion: u32, cells: usize, area: usize, colors: usize) -> i64 {
    let (value, larger) = match criterion {
        0 | 1 => (cells, criterion == 0),
        2 | 3 => (area, criterion == 2),
        _ => (colors, criterion == 4),
    };
    if larger { value as i64 } else { -(value as i64) }
}

pub fn crop_object(step: &Step, src: &Canvas, dst: &mut Canvas, s: &mut Scratch) -> bool {
    let (h, w) = (src.rows, src.cols);
    let bg = background(src);
    s.label[..h * w].fill(NO_LABEL);
    let mut best: Option<(i64, [usize; 4])> = None;
    let mut next_label = 0u16;
    for r0 in 0..h {
        for c0 in 0..w {
            let start = r0 * w + c0;
            if s.label[start] != NO_LABEL || src.cells[start] == bg {
                continue;
            }
            let id = next_label;
            next_label += 1;
            s.label[start] = id;
            s.queue[0] = ((r0 << 5) | c0) as u16;
            let (size, bbox) = flood(src, s, 1, id, |s, j| s.label[j] == NO_LABEL && src.cells[j] != bg);
            let mut colors = 0u16;
            for &rc in &s.queue[..size] {
                let (r, c) = (rc as usize >> 5, rc as usize & 31);
                colors |= 1 << src.cells[r * w + c];
            }
            let area = (bbox[2] - bbox[0] + 1) * (bbox[3] - bbox[1] + 1);
            let key = criterion_key(step.a, size, area, colors.count_ones() as usize);
            if best.is_none_or(|(b, _)| key > b) {
                best = Some((key, bbox));
            }
        }
    }
    match best {
        Some((_, bbox)) => crop(src, dst, bbox),
        None => false,
    }
}

pub fn crop_object_reference(step: &Step, g: &Grid) -> Option<Grid> {
    let options = dsl::ObjectOptions { univalued: false, diagonal: false, without_bg: true };
    let mut best: Option<(i64, dsl::Object)> = None;
    for obj in dsl::objects(g, options) {
        let b = obj.bbox()?;
        let area = (b.bottom - b.top + 1) as usize * (b.right - b.left + 1) as usize;
        let key = criterion_key(step.a, obj.size(), area, obj.palette().len());
        if best.as_ref().is_none_or(|(k, _)| key > *k) {
            best = Some((key, obj));
        }
    }
    dsl::subgrid(g, &best?.1).ok()
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
