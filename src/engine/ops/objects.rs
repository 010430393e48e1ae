//! The objects family: crops to the content or to one object (by size, bounding box or
//! colour count), keeping one object, `pick` (a grid split into objects, colours, cut
//! cells, rows or columns, one part chosen by a criterion; the splits and the CPU's cache
//! of its last ones are `splits.rs`)
//! and `count`, as CPU kernels beside their reference meanings.
//! GLSL: `shaders/ops/objects.glsl`.

use super::color::majority_foreground_reference;
use super::{background, reference_background, crop, Op, majority_foreground, moved_by, pick_object, sized, Canvas, Scratch, Step};
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
    dsl::crop_to_content_on(g, reference_background(g)).ok()
}

/// crop_object: the object pick(objects, criterion) would choose, its whole bounding box.
pub fn crop_object(step: &Step, src: &Canvas, dst: &mut Canvas, s: &mut Scratch) -> bool {
    let Some(split) = s.splits.get(0, src, background(src), &mut s.queue) else { return false };
    match split.choose(step.a) {
        Some((bbox, _)) => crop(src, dst, bbox),
        None => false,
    }
}

/// The object crop_object chooses, written plainly (the first best on ties).
fn chosen_object_reference(step: &Step, g: &Grid) -> Option<dsl::Object> {
    let options = dsl::ObjectOptions { univalued: false, diagonal: false, without_bg: true };
    let mut best: Option<(i64, dsl::Object)> = None;
    for obj in dsl::objects_on(g, options, Some(reference_background(g))) {
        let b = obj.bbox()?;
        let key = pick_key(step.a, obj.size(), [b.top as usize, b.left as usize, b.bottom as usize, b.right as usize], obj.palette().len());
        if best.as_ref().is_none_or(|(k, _)| key > *k) {
            best = Some((key, obj));
        }
    }
    best.map(|(_, o)| o)
}

pub fn crop_object_reference(step: &Step, g: &Grid) -> Option<Grid> {
    dsl::subgrid(g, &chosen_object_reference(step, g)?).ok()
}

pub fn crop_largest_reference(_: &Step, g: &Grid) -> Option<Grid> {
    dsl::crop_to_object_on(g, reference_background(g), Extreme::Largest).ok()
}

pub fn crop_smallest_reference(_: &Step, g: &Grid) -> Option<Grid> {
    dsl::crop_to_object_on(g, reference_background(g), Extreme::Smallest).ok()
}

pub fn keep_largest_reference(_: &Step, g: &Grid) -> Option<Grid> {
    dsl::keep_largest_object_on(g, reference_background(g)).ok()
}

/// How `pick` ranks a part (higher is better) from its cells, bounding box (top, left,
/// bottom, right) and colour count; mirrors pick_key in objects.glsl.
pub(super) fn pick_key(criterion: u32, cells: usize, bbox: [usize; 4], colors: usize) -> i64 {
    let area = ((bbox[2] - bbox[0] + 1) * (bbox[3] - bbox[1] + 1)) as i64;
    let (cells, colors) = (cells as i64, colors as i64);
    match criterion {
        0 => cells,
        1 => -cells,
        2 => area,
        3 => -area,
        4 => colors,
        5 => -colors,
        6 => -(bbox[0] as i64),
        7 => bbox[2] as i64,
        8 => -(bbox[1] as i64),
        9 => bbox[3] as i64,
        10 => area - cells,
        _ => cells - area,
    }
}

/// pick's criterion that is not a maximum: the one part holding a colour no other part holds.
pub(super) const UNIQUE_COLOR: u32 = 12;
/// pick's `components` parts (table::PARTS): one colour, 4-connected.
pub(super) const COMPONENTS: u32 = 6;
/// pick's `framed` parts: the inside of each component that is exactly the border of its
/// box (at least 3x3), in the components' order.
pub(super) const FRAMED: u32 = 7;

/// Whether parts of `kind` are rectangles that keep all their cells (cut, rows, columns,
/// frames' insides).
pub(super) fn is_rectangle_kind(kind: u32) -> bool {
    (3..=5).contains(&kind) || kind == FRAMED
}

/// Whether the component labelled `mark`, of `cells` cells in the box `bbox`, is exactly
/// the box's one-cell border (a frame): at least 3x3, as many cells as the border has, and
/// every border cell its own. Mirrors is_frame in objects.glsl.
pub(super) fn is_frame(label: &[u16], w: usize, cells: usize, bbox: [usize; 4], mark: u16) -> bool {
    let [r0, c0, r1, c1] = bbox;
    let (h, bw) = (r1 - r0 + 1, c1 - c0 + 1);
    if h < 3 || bw < 3 || cells != 2 * (h + bw) - 4 {
        return false;
    }
    (c0..=c1).all(|c| label[r0 * w + c] == mark && label[r1 * w + c] == mark) && (r0..=r1).all(|r| label[r * w + c0] == mark && label[r * w + c1] == mark)
}

/// Chooses pick's part as the parts are met, in order (mirrors the choosing in objects.glsl):
/// the best by the criterion's key (the first on ties), or for `unique_color` the part that
/// holds every colour held by one part only (none when no colour is, or two parts hold such
/// colours). A part is given by its bounding box and what marks its cells (an object's
/// label, a colour, or the index of a cut part).
pub(super) struct Chooser {
    criterion: u32,
    best: Option<(i64, [usize; 4], u16)>,
    /// Colours seen in one part, and in two or more.
    once: u16,
    twice: u16,
    /// The last part (index, box, mark) that held each colour.
    owner: [(u32, [usize; 4], u16); 10],
    parts: u32,
}

impl Chooser {
    pub(super) fn new(criterion: u32) -> Chooser {
        Chooser { criterion, best: None, once: 0, twice: 0, owner: [(0, [0; 4], 0); 10], parts: 0 }
    }

    pub(super) fn offer(&mut self, cells: usize, bbox: [usize; 4], colors: u16, mark: u16) {
        if self.criterion == UNIQUE_COLOR {
            self.twice |= self.once & colors;
            self.once |= colors;
            for c in 0..10 {
                if colors & (1 << c) != 0 {
                    self.owner[c] = (self.parts, bbox, mark);
                }
            }
        } else {
            let key = pick_key(self.criterion, cells, bbox, colors.count_ones() as usize);
            if self.best.is_none_or(|(b, _, _)| key > b) {
                self.best = Some((key, bbox, mark));
            }
        }
        self.parts += 1;
    }

    pub(super) fn chosen(&self) -> Option<([usize; 4], u16)> {
        if self.criterion != UNIQUE_COLOR {
            return self.best.map(|(_, bbox, mark)| (bbox, mark));
        }
        let unique = self.once & !self.twice;
        let mut picked: Option<(u32, [usize; 4], u16)> = None;
        for c in 0..10 {
            if unique & (1 << c) != 0 {
                let owner = self.owner[c];
                match picked {
                    Some((part, _, _)) if part != owner.0 => return None,
                    _ => picked = Some(owner),
                }
            }
        }
        picked.map(|(_, bbox, mark)| (bbox, mark))
    }
}

pub fn pick(step: &Step, src: &Canvas, dst: &mut Canvas, s: &mut Scratch) -> bool {
    let w = src.cols;
    let bg = background(src);
    let Some(split) = s.splits.get(step.a, src, bg, &mut s.queue) else { return false };
    let Some((bbox, mark)) = split.choose(step.b) else { return false };
    let (oh, ow) = (bbox[2] - bbox[0] + 1, bbox[3] - bbox[1] + 1);
    if !sized(dst, oh, ow) {
        return false;
    }
    moved_by(src, dst, bbox[0], bbox[1]);
    for r in 0..oh {
        for c in 0..ow {
            let i = (r + bbox[0]) * w + c + bbox[1];
            let own = match step.a {
                0 | 1 | COMPONENTS => split.label[i] == mark,
                2 => u16::from(src.cells[i]) == mark,
                _ => true, // a rectangle part keeps all its cells
            };
            dst.cells[r * ow + c] = if own { src.cells[i] } else { bg };
        }
    }
    true
}

/// pick's part, kept in place: the grid's size, only the chosen part's own cells (a
/// rectangle part's all its cells), background elsewhere.
pub fn isolate(step: &Step, src: &Canvas, dst: &mut Canvas, s: &mut Scratch) -> bool {
    let w = src.cols;
    let bg = background(src);
    let Some(split) = s.splits.get(step.a, src, bg, &mut s.queue) else { return false };
    let Some((bbox, mark)) = split.choose(step.b) else { return false };
    if !sized(dst, src.rows, w) {
        return false;
    }
    for r in 0..src.rows {
        for c in 0..w {
            let i = r * w + c;
            let inside = (bbox[0]..=bbox[2]).contains(&r) && (bbox[1]..=bbox[3]).contains(&c);
            let own = inside
                && match step.a {
                    0 | 1 | COMPONENTS => split.label[i] == mark,
                    2 => u16::from(src.cells[i]) == mark,
                    _ => true,
                };
            dst.cells[i] = if own { src.cells[i] } else { bg };
        }
    }
    true
}

/// The rectangles of a rectangle part kind (cut cells, rows, columns, frames' insides), in
/// pick's order, written plainly; None where the grid has no separator lines (cut).
fn rects_reference(kind: u32, g: &Grid, bg: u8) -> Option<Vec<[usize; 4]>> {
    match kind {
        3 => cut_rects_reference(g, bg),
        4 => Some((0..g.rows()).map(|r| [r, 0, r, g.cols() - 1]).collect()),
        5 => Some((0..g.cols()).map(|c| [0, c, g.rows() - 1, c]).collect()),
        _ => Some(framed_rects_reference(g, bg)),
    }
}

/// The parts of an object kind (objects, 8-connected objects, colours, one-colour
/// components), in pick's order, written plainly.
fn object_parts_reference(kind: u32, g: &Grid, bg: u8) -> Vec<dsl::Object> {
    if kind == 2 {
        return (0..10u8)
            .filter(|&color| color != bg)
            .map(|color| {
                let cells = (0..g.rows())
                    .flat_map(|r| (0..g.cols()).map(move |c| (r, c)))
                    .filter(|&(r, c)| g.get(r, c) == color)
                    .map(|(r, c)| (r as i64, c as i64, color))
                    .collect();
                dsl::Object::from_cells(cells)
            })
            .filter(|part| !part.is_empty())
            .collect();
    }
    dsl::objects_on(g, dsl::ObjectOptions { univalued: kind == COMPONENTS, diagonal: kind == 1, without_bg: true }, Some(bg))
}

/// A part's cells (row, column, colour, in grid coordinates; a rectangle part's are all
/// its cells) and its bounding box (top, left, bottom, right).
pub(super) type ChosenPart = (Vec<(usize, usize, u8)>, [usize; 4]);

fn rect_part(g: &Grid, [r0, c0, r1, c1]: [usize; 4]) -> ChosenPart {
    ((r0..=r1).flat_map(|r| (c0..=c1).map(move |c| (r, c, g.get(r, c)))).collect(), [r0, c0, r1, c1])
}

fn object_part(o: &dsl::Object) -> Option<ChosenPart> {
    let b = o.bbox()?;
    let cells = o.cells().iter().map(|cell| (cell.row as usize, cell.col as usize, cell.color)).collect();
    Some((cells, [b.top as usize, b.left as usize, b.bottom as usize, b.right as usize]))
}

/// Every part of kind `kind` (table::PARTS) in pick's order, written plainly: what
/// `split` makes a list of. None where a cut grid has no separator lines.
pub(super) fn parts_reference(kind: u32, g: &Grid) -> Option<Vec<ChosenPart>> {
    let bg = reference_background(g);
    if is_rectangle_kind(kind) {
        return Some(rects_reference(kind, g, bg)?.into_iter().map(|rect| rect_part(g, rect)).collect());
    }
    object_parts_reference(kind, g, bg).iter().map(object_part).collect()
}

/// The part pick and isolate choose, written plainly: its cells and its bounding box.
fn chosen_part_reference(step: &Step, g: &Grid) -> Option<ChosenPart> {
    let bg = reference_background(g);
    if is_rectangle_kind(step.a) {
        let rects = rects_reference(step.a, g, bg)?;
        return Some(rect_part(g, pick_rect_reference(step, g, bg, &rects)?));
    }
    let parts = object_parts_reference(step.a, g, bg);
    let chosen = if step.b == UNIQUE_COLOR {
        let palettes: Vec<Vec<u8>> = parts.iter().map(|p| p.palette()).collect();
        &parts[unique_color_part(&palettes)?]
    } else {
        let mut best: Option<(i64, &dsl::Object)> = None;
        for part in &parts {
            let b = part.bbox()?;
            let bbox = [b.top as usize, b.left as usize, b.bottom as usize, b.right as usize];
            let key = pick_key(step.b, part.size(), bbox, part.palette().len());
            if best.is_none_or(|(k, _)| key > k) {
                best = Some((key, part));
            }
        }
        best?.1
    };
    object_part(chosen)
}

/// Where the part a crop keeps begins in `g` (its top-left), written plainly: how far the
/// crop moves a grid's position (`crop_content`, `crop_largest`, `crop_smallest`,
/// `crop_object`, `pick`); None for any other op or where the crop has no part.
pub(super) fn crop_offset_reference(step: &Step, g: &Grid) -> Option<(usize, usize)> {
    let bg = reference_background(g);
    let top_left = |o: &dsl::Object| o.bbox().map(|b| (b.top as usize, b.left as usize));
    match step.op {
        Op::CropContent => top_left(&dsl::foreground_on(g, bg)),
        Op::CropLargest => top_left(&dsl::extreme_object_on(g, bg, Extreme::Largest)?),
        Op::CropSmallest => top_left(&dsl::extreme_object_on(g, bg, Extreme::Smallest)?),
        Op::CropObject => top_left(&chosen_object_reference(step, g)?),
        Op::Pick => chosen_part_reference(step, g).map(|(_, b)| (b[0], b[1])),
        _ => None,
    }
}

pub fn pick_reference(step: &Step, g: &Grid) -> Option<Grid> {
    let bg = reference_background(g);
    let (cells, [r0, c0, r1, c1]) = chosen_part_reference(step, g)?;
    let mut out = Grid::filled(r1 - r0 + 1, c1 - c0 + 1, bg).ok()?;
    for (r, c, v) in cells {
        out.set(r - r0, c - c0, v);
    }
    Some(out)
}

pub fn isolate_reference(step: &Step, g: &Grid) -> Option<Grid> {
    let bg = reference_background(g);
    let (cells, _) = chosen_part_reference(step, g)?;
    let mut out = Grid::filled(g.rows(), g.cols(), bg).ok()?;
    for (r, c, v) in cells {
        out.set(r, c, v);
    }
    Some(out)
}

/// The count `count` draws: non-background cells, distinct non-background colours or
/// objects (4-connected non-background cells of any colours).
fn counted(what: u32, src: &Canvas, bg: u8, s: &mut Scratch) -> usize {
    match what {
        0 => src.filled().iter().filter(|&&v| v != bg).count(),
        1 => {
            let mut seen = 0u16;
            for &v in src.filled() {
                seen |= 1 << v;
            }
            (seen & !(1 << bg)).count_ones() as usize
        }
        _ => s.splits.get(0, src, bg, &mut s.queue).map_or(0, |split| split.parts.len()),
    }
}

/// A row, column or square of side `n` (rows, cols), per `count`'s shape parameter.
fn count_shape(shape: u32, n: usize) -> (usize, usize) {
    match shape {
        0 => (1, n),
        1 => (n, 1),
        _ => (n, n),
    }
}

pub fn count(step: &Step, src: &Canvas, dst: &mut Canvas, s: &mut Scratch) -> bool {
    let bg = background(src);
    let Some(color) = majority_foreground(src, bg) else { return false };
    let (h, w) = count_shape(step.b, counted(step.a, src, bg, s));
    if !sized(dst, h, w) {
        return false;
    }
    dst.cells[..h * w].fill(color);
    true
}

pub fn count_reference(step: &Step, g: &Grid) -> Option<Grid> {
    let color = majority_foreground_reference(g)?;
    let bg = reference_background(g);
    let n = match step.a {
        0 => g.cells().iter().filter(|&&v| v != bg).count(),
        1 => dsl::palette(g).into_iter().filter(|&c| c != bg).count(),
        _ => dsl::objects_on(g, dsl::ObjectOptions { univalued: false, diagonal: false, without_bg: true }, Some(reference_background(g))).len(),
    };
    let (h, w) = count_shape(step.b, n);
    dsl::canvas(color, h, w).ok()
}

/// The insides of a grid's frames, written plainly: each one-colour 4-connected component
/// (objects' order) whose cells are exactly the border of its box, at least 3x3.
fn framed_rects_reference(g: &Grid, bg: u8) -> Vec<[usize; 4]> {
    let components = dsl::objects_on(g, dsl::ObjectOptions { univalued: true, diagonal: false, without_bg: true }, Some(bg));
    components
        .iter()
        .filter_map(|part| {
            let b = part.bbox()?;
            let (r0, c0, r1, c1) = (b.top as usize, b.left as usize, b.bottom as usize, b.right as usize);
            let on_border = |r: usize, c: usize| r == r0 || r == r1 || c == c0 || c == c1;
            let border: std::collections::BTreeSet<(usize, usize)> = (r0..=r1).flat_map(|r| (c0..=c1).map(move |c| (r, c))).filter(|&(r, c)| on_border(r, c)).collect();
            let own: std::collections::BTreeSet<(usize, usize)> = part.cells().iter().map(|cell| (cell.row as usize, cell.col as usize)).collect();
            (r1 >= r0 + 2 && c1 >= c0 + 2 && own == border).then_some([r0 + 1, c0 + 1, r1 - 1, c1 - 1])
        })
        .collect()
}

/// The cells of a grid cut by separator lines, written plainly: the lines are the full
/// rows and columns of the colour of the first one-colour non-background row (else column).
fn cut_rects_reference(g: &Grid, bg: u8) -> Option<Vec<[usize; 4]>> {
    let (h, w) = (g.rows(), g.cols());
    let uniform_row = |r: usize| (0..w).all(|c| g.get(r, c) == g.get(r, 0)).then(|| g.get(r, 0));
    let uniform_col = |c: usize| (0..h).all(|r| g.get(r, c) == g.get(0, c)).then(|| g.get(0, c));
    let line = (0..h).filter_map(uniform_row).chain((0..w).filter_map(uniform_col)).find(|&v| v != bg)?;
    let row_kept: Vec<bool> = (0..h).map(|r| uniform_row(r) != Some(line)).collect();
    let col_kept: Vec<bool> = (0..w).map(|c| uniform_col(c) != Some(line)).collect();
    let runs = |kept: &[bool]| {
        let mut out = Vec::new();
        let mut k = 0;
        while k < kept.len() {
            if kept[k] {
                let first = k;
                while k < kept.len() && kept[k] {
                    k += 1;
                }
                out.push((first, k - 1));
            } else {
                k += 1;
            }
        }
        out
    };
    Some(runs(&row_kept).into_iter().flat_map(|(r0, r1)| runs(&col_kept).into_iter().map(move |(c0, c1)| [r0, c0, r1, c1])).collect())
}

/// pick over rectangle parts, written plainly: each cropped, ranked by its non-background
/// cells and colours.
fn pick_rect_reference(step: &Step, g: &Grid, bg: u8, rects: &[[usize; 4]]) -> Option<[usize; 4]> {
    let mut palettes: Vec<Vec<u8>> = Vec::new();
    let mut best: Option<(i64, [usize; 4])> = None;
    for &[r0, c0, r1, c1] in rects {
        let part = dsl::crop(g, r0, c0, r1 - r0 + 1, c1 - c0 + 1).ok()?;
        palettes.push(dsl::palette(&part).into_iter().filter(|&c| c != bg).collect());
        let cells = part.cells().iter().filter(|&&v| v != bg).count();
        let key = pick_key(step.b, cells, [r0, c0, r1, c1], palettes.last().map_or(0, Vec::len));
        if best.is_none_or(|(k, _)| key > k) {
            best = Some((key, [r0, c0, r1, c1]));
        }
    }
    if step.b == UNIQUE_COLOR {
        return unique_color_part(&palettes).map(|only| rects[only]);
    }
    best.map(|(_, rect)| rect)
}

/// unique_color written plainly: the one part (by index) with a colour no other part
/// holds, given each part's colours; None when no part or several parts have one.
pub(super) fn unique_color_part(palettes: &[Vec<u8>]) -> Option<usize> {
    let holders = |c: u8| palettes.iter().filter(|pal| pal.contains(&c)).count();
    let with_unique: Vec<usize> = (0..palettes.len()).filter(|&i| palettes[i].iter().any(|&c| holders(c) == 1)).collect();
    match with_unique[..] {
        [only] => Some(only),
        _ => None,
    }
}
