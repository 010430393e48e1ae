//! The regions family: ops that move or fill cells by their surroundings (gravity, fill
//! enclosed background, outline, symmetry completion, combining two halves, denoise), as
//! CPU kernels beside their reference meanings. GLSL: `shaders/ops/regions.glsl`.

use super::{background, reach_border, sized, touches_foreground, Canvas, Scratch, Step};
use crate::dsl::{self, Direction, Logic, Mirror};
use crate::grid::Grid;

pub fn gravity(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let (rows, cols, a) = (src.rows, src.cols, step.a);
    let bg = background(src);
    if !sized(dst, rows, cols) {
        return false;
    }
    let vertical = a < 2;
    let toward_start = a == 0 || a == 2;
    let (lines, len) = if vertical { (cols, rows) } else { (rows, cols) };
    let index = |t: usize, k: usize| if vertical { k * cols + t } else { t * cols + k };
    for t in 0..lines {
        for k in 0..len {
            dst.cells[index(t, k)] = bg;
        }
        let mut count = 0;
        for step_k in 0..len {
            let k = if toward_start { step_k } else { len - 1 - step_k };
            let v = src.cells[index(t, k)];
            if v != bg {
                let to = if toward_start { count } else { len - 1 - count };
                dst.cells[index(t, to)] = v;
                count += 1;
            }
        }
    }
    true
}

pub fn fill_enclosed(step: &Step, src: &Canvas, dst: &mut Canvas, s: &mut Scratch) -> bool {
    let bg = background(src);
    reach_border(src, bg, s);
    if !sized(dst, src.rows, src.cols) {
        return false;
    }
    for i in 0..src.len() {
        let v = src.cells[i];
        dst.cells[i] = if v == bg && s.label[i] == 0 { step.a as u8 } else { v };
    }
    true
}

/// Outline (`Some(colour)`: background cells next to the foreground take it) or denoise
/// (`None`: foreground cells with no foreground neighbour become background).
fn by_neighbourhood(src: &Canvas, dst: &mut Canvas, outline_color: Option<u8>) -> bool {
    let bg = background(src);
    if !sized(dst, src.rows, src.cols) {
        return false;
    }
    for r in 0..src.rows {
        for c in 0..src.cols {
            let v = src.at(r, c);
            dst.cells[r * src.cols + c] = match outline_color {
                Some(color) if v == bg && touches_foreground(src, bg, r, c) => color,
                None if v != bg && !touches_foreground(src, bg, r, c) => bg,
                _ => v,
            };
        }
    }
    true
}

pub fn outline(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    by_neighbourhood(src, dst, Some(step.a as u8))
}

pub fn denoise(_: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    by_neighbourhood(src, dst, None)
}

pub fn symmetrize(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let (rows, cols, a) = (src.rows, src.cols, step.a);
    let bg = background(src);
    if !sized(dst, rows, cols) {
        return false;
    }
    for r in 0..rows {
        for c in 0..cols {
            let mut v = src.at(r, c);
            if v == bg {
                let lr = src.at(r, cols - 1 - c);
                let ud = src.at(rows - 1 - r, c);
                let both = src.at(rows - 1 - r, cols - 1 - c);
                if a == 0 {
                    if lr != bg {
                        v = lr;
                    }
                } else if a == 1 {
                    if ud != bg {
                        v = ud;
                    }
                } else if lr != bg {
                    v = lr;
                } else if ud != bg {
                    v = ud;
                } else if both != bg {
                    v = both;
                }
            }
            dst.cells[r * cols + c] = v;
        }
    }
    true
}

fn logic(op: u32, x: bool, y: bool) -> bool {
    match op {
        0 => x && y,
        1 => x || y,
        2 => x != y,
        _ => !(x || y),
    }
}

pub fn split_combine(step: &Step, src: &Canvas, dst: &mut Canvas, _: &mut Scratch) -> bool {
    let (rows, cols, a) = (src.rows, src.cols, step.a);
    let (mut h, mut w) = (rows, cols);
    if a == 0 {
        w = cols / 2;
        if w > 0 && cols % 2 == 1 && (0..rows).any(|r| src.at(r, w) != src.at(0, w)) {
            h = 0;
        }
    } else {
        h = rows / 2;
        if h > 0 && rows % 2 == 1 && (0..cols).any(|c| src.at(h, c) != src.at(h, 0)) {
            w = 0;
        }
    }
    if !sized(dst, h, w) {
        return false;
    }
    for r in 0..h {
        for c in 0..w {
            let x = src.at(r, c) != 0;
            let y = if a == 0 { src.at(r, cols - w + c) != 0 } else { src.at(rows - h + r, c) != 0 };
            dst.cells[r * w + c] = if logic(step.b, x, y) { step.c as u8 } else { 0 };
        }
    }
    true
}

pub fn gravity_reference(step: &Step, g: &Grid) -> Option<Grid> {
    Some(dsl::gravity(g, [Direction::Up, Direction::Down, Direction::Left, Direction::Right][step.a as usize]))
}

pub fn fill_enclosed_reference(step: &Step, g: &Grid) -> Option<Grid> {
    dsl::fill_enclosed(g, step.a as u8).ok()
}

pub fn outline_reference(step: &Step, g: &Grid) -> Option<Grid> {
    dsl::outline(g, step.a as u8).ok()
}

pub fn denoise_reference(_: &Step, g: &Grid) -> Option<Grid> {
    Some(dsl::denoise(g))
}

pub fn symmetrize_reference(step: &Step, g: &Grid) -> Option<Grid> {
    Some(dsl::symmetrize(g, [Mirror::Horizontal, Mirror::Vertical, Mirror::Both][step.a as usize]))
}

pub fn split_combine_reference(step: &Step, g: &Grid) -> Option<Grid> {
    let logic = [Logic::And, Logic::Or, Logic::Xor, Logic::Nor][step.b as usize];
    dsl::split_combine(g, step.a == 1, logic, step.c as u8).ok()
}
