//! Partial solutions composed: when no single program reproduces the train outputs, an
//! answer may be an overlay of several ("layers"), each right on part of the cells. A
//! layer is a candidate's outputs (train and test) with a mask mode: its non-zero cells,
//! its zero cells, or all of its cells. Layers are laid greedily, first laid wins a cell:
//! each step takes the layer that is right on every still-uncovered train cell it would
//! paint and paints the most uncovered cells of the cells cared about, until every train
//! cell is covered. The same layers laid on the test outputs give the prediction. With
//! `fill`, after each layer of a pass over every pair, the cells no layer covers yet may
//! be filled from the 3x3 patches each laid grid shows itself (icecuber's greedyFillBlack,
//! `dsl::completion::complete_hidden_from_patches`): when that reproduces every train
//! output, the overlay ends there, filled the same way on the test inputs.
//! Deterministic, integer-only, on the host: both backends feed it the same candidates.

use fixedbitset::FixedBitSet;

use crate::grid::Grid;

/// Which cells of a candidate's outputs a layer paints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LayerMode {
    /// Its non-zero cells (zero is transparent).
    Foreground,
    /// Its zero cells.
    Background,
    /// Every cell.
    Whole,
}

impl LayerMode {
    pub const ALL: [LayerMode; 3] = [LayerMode::Foreground, LayerMode::Background, LayerMode::Whole];

    pub fn name(self) -> &'static str {
        match self {
            LayerMode::Foreground => "foreground",
            LayerMode::Background => "background",
            LayerMode::Whole => "whole",
        }
    }
}

/// A candidate that may become a layer: its outputs on the train inputs and on the test
/// inputs, and its program length (shorter layers win ties).
#[derive(Debug, Clone, Copy)]
pub struct Piece<'a> {
    pub train: &'a [Grid],
    pub test: &'a [Grid],
    pub length: usize,
}

/// An overlay that reproduces every train output: its layers (piece index, mode) in the
/// order laid, and its outputs on the test inputs (cells no layer covers are 0).
#[derive(Debug, Clone, PartialEq)]
pub struct Overlay {
    pub layers: Vec<(usize, LayerMode)>,
    pub test_outputs: Vec<Grid>,
    /// The sum of the layers' program lengths.
    pub length: usize,
    /// Every layer decides cells of at least two train pairs (of one when there is one):
    /// no layer is there for one example alone.
    pub supported: bool,
    /// Train outputs it reproduces: all of them, or (a partial overlay, composed with one
    /// pair left out) fewer.
    pub pairs_exact: usize,
    /// Mean over train pairs of the fraction of cells right.
    pub cell_accuracy: f64,
    /// The cells no layer covers were filled from 3x3 patches.
    pub filled: bool,
}

/// A piece in bit form: over all train cells (pairs concatenated), where it differs from
/// the train outputs (`bad`) and where it is non-zero (`foreground`).
struct Bits {
    piece: usize,
    bad: FixedBitSet,
    foreground: FixedBitSet,
}

/// The cells a layer paints, over the train cells, as words (`valid` masks the tail).
fn active_word(bits: &Bits, mode: LayerMode, w: usize, valid: &[usize]) -> usize {
    match mode {
        LayerMode::Foreground => bits.foreground.as_slice()[w],
        LayerMode::Background => !bits.foreground.as_slice()[w] & valid[w],
        LayerMode::Whole => valid[w],
    }
}

fn paints(grid: &Grid, cell: usize, mode: LayerMode) -> bool {
    match mode {
        LayerMode::Foreground => grid.cells()[cell] != 0,
        LayerMode::Background => grid.cells()[cell] == 0,
        LayerMode::Whole => true,
    }
}

/// The test output shapes the overlay paints: per test input, the shape most pieces give
/// (the first piece's among equals); pieces with another test shape are left out.
fn most_common_test_shapes(pieces: &[Piece]) -> Vec<(usize, usize)> {
    let tests = pieces.first().map_or(0, |p| p.test.len());
    (0..tests)
        .map(|t| {
            let mut counts: Vec<((usize, usize), usize)> = Vec::new();
            for p in pieces {
                let shape = (p.test[t].rows(), p.test[t].cols());
                match counts.iter_mut().find(|(s, _)| *s == shape) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((shape, 1)),
                }
            }
            // max_by_key keeps the last of equals: walk in reverse to keep the first
            counts.iter().rev().max_by_key(|(_, n)| *n).map(|(s, _)| *s).expect("at least one piece")
        })
        .collect()
}

/// Overlays of up to `max_layers` of `pieces` (each with the train outputs' shapes on the
/// train inputs, and `test_shapes` on the test inputs: the predicted sizes when some piece
/// has them, else the shapes most pieces give) that reproduce every train output in
/// `targets`, simplest first (fewer layers, then shorter programs), distinct in their test
/// outputs, at most `max_results`.
/// One greedy pass cares about all train cells, then one per train pair cares about that
/// pair's cells only (the others must still come out right). With `partial` and 3 pairs
/// or more, one pass per pair leaves that pair out (nothing laid is checked against it):
/// overlays that reproduce all pairs but one, at most `max_results` more, after the exact
/// ones. Overlays of one layer are not returned: that piece alone is exact.
pub fn compose(targets: &[Grid], pieces: &[Piece], test_shapes: Option<&[(usize, usize)]>, max_layers: usize, max_results: usize, partial: bool, fill: bool) -> Vec<Overlay> {
    let fits = |p: &&Piece| p.train.len() == targets.len() && p.train.iter().zip(targets).all(|(g, t)| g.same_shape(t));
    let fitting: Vec<(usize, &Piece)> = pieces.iter().enumerate().filter(|(_, p)| fits(p)).collect();
    if fitting.is_empty() || targets.is_empty() || max_layers < 2 {
        return Vec::new();
    }
    let with_shapes = |shapes: &[(usize, usize)]| -> Vec<(usize, &Piece)> {
        fitting.iter().copied().filter(|(_, p)| p.test.iter().zip(shapes).all(|(g, &(r, c))| g.rows() == r && g.cols() == c)).collect()
    };
    // the predicted shapes, unless no piece has them
    let mut shapes = test_shapes.map(<[_]>::to_vec).unwrap_or_default();
    let mut usable = if test_shapes.is_some() { with_shapes(&shapes) } else { Vec::new() };
    if usable.is_empty() {
        shapes = most_common_test_shapes(&fitting.iter().map(|(_, p)| **p).collect::<Vec<_>>());
        usable = with_shapes(&shapes);
    }

    let train_cells: usize = targets.iter().map(|t| t.cells().len()).sum();
    let pair_ranges: Vec<std::ops::Range<usize>> = targets
        .iter()
        .scan(0, |start, t| {
            let r = *start..*start + t.cells().len();
            *start = r.end;
            Some(r)
        })
        .collect();
    let bits: Vec<Bits> = usable
        .iter()
        .map(|&(index, p)| {
            let (mut bad, mut foreground) = (FixedBitSet::with_capacity(train_cells), FixedBitSet::with_capacity(train_cells));
            let mut k = 0;
            for (g, t) in p.train.iter().zip(targets) {
                for (&a, &b) in g.cells().iter().zip(t.cells()) {
                    bad.set(k, a != b);
                    foreground.set(k, a != 0);
                    k += 1;
                }
            }
            Bits { piece: index, bad, foreground }
        })
        .collect();
    let mut valid = FixedBitSet::with_capacity(train_cells);
    valid.insert_range(..);
    let valid = valid.as_slice().to_vec();
    let words = valid.len();

    // the passes: (pairs left out, cells cared about): all pairs with all cells cared
    // about, then each pair's cells alone; with 3 pairs or more, each pair left out
    let all_cells = || {
        let mut all = FixedBitSet::with_capacity(train_cells);
        all.insert_range(..);
        all
    };
    let mut passes: Vec<(Option<usize>, FixedBitSet)> = vec![(None, all_cells())];
    if targets.len() > 1 {
        for r in &pair_ranges {
            let mut one = FixedBitSet::with_capacity(train_cells);
            one.insert_range(r.clone());
            passes.push((None, one));
        }
    }
    if targets.len() > 2 && partial {
        for (j, r) in pair_ranges.iter().enumerate() {
            let mut rest = all_cells();
            rest.remove_range(r.clone());
            passes.push((Some(j), rest));
        }
    }

    let mut overlays: Vec<Overlay> = Vec::new();
    for (left_out, care) in &passes {
        let care = care.as_slice();
        // a pair left out counts as covered: nothing laid is checked against it
        let mut covered = FixedBitSet::with_capacity(train_cells);
        if let Some(j) = left_out {
            covered.insert_range(pair_ranges[*j].clone());
        }
        let mut layers: Vec<(usize, LayerMode)> = Vec::new();
        let mut supported = true;
        // Each (piece, mode) candidate, numbered piece * 3 + mode, with an upper bound of
        // its gain: the cared-for cells it paints that are still uncovered only shrink as
        // layers are laid, so a gain computed once bounds it from then on. Walking the
        // candidates by bound (highest first, lower number on ties) and stopping where no
        // bound can beat the best found gives the same choice as trying every one.
        let gain_of = |c: usize, cov: &[usize]| -> (bool, usize) {
            let (piece_bits, mode) = (&bits[c / 3], LayerMode::ALL[c % 3]);
            let bad = piece_bits.bad.as_slice();
            let wrong = (0..words).any(|w| active_word(piece_bits, mode, w, &valid) & bad[w] & !cov[w] != 0);
            let gain: usize = (0..words).map(|w| (active_word(piece_bits, mode, w, &valid) & !cov[w] & care[w]).count_ones() as usize).sum();
            (wrong, gain)
        };
        let mut bounds: Vec<(usize, usize)> = (0..bits.len() * 3).map(|c| (usize::MAX, c)).collect();
        while layers.len() < max_layers {
            // the layer right on every uncovered cell it paints that paints the most
            // cared-for ones (the lowest-numbered on ties)
            let cov = covered.as_slice();
            bounds.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut best: Option<(usize, usize)> = None;
            for entry in bounds.iter_mut() {
                if let Some((g, c)) = best {
                    if entry.0 < g || (entry.0 == g && entry.1 > c) {
                        break;
                    }
                }
                let (wrong, gain) = gain_of(entry.1, cov);
                entry.0 = gain;
                if !wrong && gain > 0 && best.is_none_or(|(g, c)| gain > g || (gain == g && entry.1 < c)) {
                    best = Some((gain, entry.1));
                }
            }
            let Some((_, chosen)) = best else { break };
            let (b, mode) = (chosen / 3, LayerMode::ALL[chosen % 3]);
            let next: Vec<usize> = (0..words).map(|w| cov[w] | active_word(&bits[b], mode, w, &valid)).collect();
            let before = std::mem::replace(&mut covered, FixedBitSet::with_capacity_and_blocks(train_cells, next));
            // the pairs where this layer decides cells
            let pairs = pair_ranges.iter().filter(|r| covered.count_ones((*r).clone()) > before.count_ones((*r).clone())).count();
            supported &= pairs >= targets.len().min(2);
            layers.push((b, mode));
            let covered_cells = covered.count_ones(..);
            // the rest filled from 3x3 patches, when a quarter of the cells or fewer are left
            if fill && left_out.is_none() && covered_cells < train_cells && 4 * covered_cells >= 3 * train_cells {
                if let Some(mut overlay) = lay_filled(&layers, &bits, &usable, &shapes, targets) {
                    overlay.supported = supported;
                    overlays.push(overlay);
                    break;
                }
            }
            if covered_cells == train_cells {
                if layers.len() >= 2 {
                    let mut overlay = lay(&layers, &bits, &usable, &shapes, targets);
                    overlay.supported = supported;
                    // a pass that left a pair out may still have got it right
                    if left_out.is_none() || overlay.pairs_exact < targets.len() {
                        overlays.push(overlay);
                    }
                }
                break;
            }
        }
    }
    // exact ones first, simplest first; then the partial ones by pairs right
    overlays.sort_by_key(|o| (std::cmp::Reverse(o.pairs_exact), o.filled, o.layers.len(), o.length));
    let mut distinct: Vec<Overlay> = Vec::new();
    let (mut exact, mut inexact) = (0, 0);
    for o in overlays {
        let room = if o.pairs_exact == targets.len() { &mut exact } else { &mut inexact };
        if *room < max_results && !distinct.iter().any(|d| d.test_outputs == o.test_outputs) {
            *room += 1;
            distinct.push(o);
        }
    }
    distinct
}

/// `layers` (indices into `bits`) laid on one input's outputs (`grids(piece)`) of `rows` x
/// `cols`: first laid wins a cell, cells no layer paints are 0.
fn lay_one<'p>(layers: &[(usize, LayerMode)], usable: &[(usize, &'p Piece)], rows: usize, cols: usize, grid_of: impl Fn(&'p Piece) -> &'p Grid) -> Grid {
    lay_covering(layers, usable, rows, cols, grid_of).0
}

/// `lay_one`, and which cells no layer paints.
fn lay_covering<'p>(layers: &[(usize, LayerMode)], usable: &[(usize, &'p Piece)], rows: usize, cols: usize, grid_of: impl Fn(&'p Piece) -> &'p Grid) -> (Grid, Vec<bool>) {
    let mut cells: Vec<Option<u8>> = vec![None; rows * cols];
    for &(b, mode) in layers {
        let grid = grid_of(usable[b].1);
        for (k, cell) in cells.iter_mut().enumerate() {
            if cell.is_none() && paints(grid, k, mode) {
                *cell = Some(grid.cells()[k]);
            }
        }
    }
    let uncovered = cells.iter().map(Option::is_none).collect();
    (Grid::from_cells(rows, cols, cells.into_iter().map(|c| c.unwrap_or(0)).collect()).expect("a piece's shape is a grid's"), uncovered)
}

/// `layers` laid, the cells they leave uncovered filled from the laid grid's own 3x3
/// patches: the overlay when that reproduces every train output and fills every test
/// output too, else None.
fn lay_filled(layers: &[(usize, LayerMode)], bits: &[Bits], usable: &[(usize, &Piece)], shapes: &[(usize, usize)], targets: &[Grid]) -> Option<Overlay> {
    let filled = |(grid, uncovered): (Grid, Vec<bool>)| {
        if uncovered.contains(&true) {
            crate::dsl::completion::complete_hidden_from_patches(&grid, &uncovered)
        } else {
            Some(grid)
        }
    };
    for (i, target) in targets.iter().enumerate() {
        if filled(lay_covering(layers, usable, target.rows(), target.cols(), |p| &p.train[i]))? != *target {
            return None;
        }
    }
    let test_outputs = shapes.iter().enumerate().map(|(t, &(rows, cols))| filled(lay_covering(layers, usable, rows, cols, |p| &p.test[t]))).collect::<Option<Vec<Grid>>>()?;
    Some(Overlay {
        layers: layers.iter().map(|&(b, mode)| (bits[b].piece, mode)).collect(),
        test_outputs,
        length: layers.iter().map(|&(b, _)| usable[b].1.length).sum(),
        supported: true,
        pairs_exact: targets.len(),
        cell_accuracy: 1.0,
        filled: true,
    })
}

/// The overlay of `layers` on the test inputs, and how many train outputs it reproduces.
fn lay(layers: &[(usize, LayerMode)], bits: &[Bits], usable: &[(usize, &Piece)], shapes: &[(usize, usize)], targets: &[Grid]) -> Overlay {
    let test_outputs = shapes.iter().enumerate().map(|(t, &(rows, cols))| lay_one(layers, usable, rows, cols, |p| &p.test[t])).collect();
    let (mut pairs_exact, mut accuracy) = (0, 0.0);
    for (i, target) in targets.iter().enumerate() {
        let laid = lay_one(layers, usable, target.rows(), target.cols(), |p| &p.train[i]);
        let m = laid.matching_cells(target);
        pairs_exact += (m == target.cells().len()) as usize;
        accuracy += m as f64 / target.cells().len() as f64;
    }
    Overlay {
        layers: layers.iter().map(|&(b, mode)| (bits[b].piece, mode)).collect(),
        test_outputs,
        length: layers.iter().map(|&(b, _)| usable[b].1.length).sum(),
        supported: true,
        pairs_exact,
        cell_accuracy: accuracy / targets.len() as f64,
        filled: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid;

    #[test]
    fn with_fill_the_cells_no_layer_covers_come_from_3x3_patches() {
        // a periodic pattern with a blacked-out block: the input's foreground is right where
        // it paints, and its own patches complete the rest (two pairs, one test)
        let targets = [grid!["121212", "343434", "121212", "343434", "121212", "343434"], grid!["565656", "787878", "565656", "787878", "565656"]];
        let inputs = [grid!["121212", "343434", "121212", "343434", "121200", "343400"], grid!["565656", "787878", "565656", "787800", "565600"]];
        let tests = [grid!["121212", "303434", "101212", "343434"]];
        let pieces = [Piece { train: &inputs, test: &tests, length: 0 }];
        assert!(compose(&targets, &pieces, None, 10, 4, false, false).is_empty(), "without fill one layer cannot cover the 0s");
        let overlays = compose(&targets, &pieces, None, 10, 4, false, true);
        assert_eq!(overlays.len(), 1, "{overlays:?}");
        let filled = &overlays[0];
        assert!(filled.filled && filled.pairs_exact == 2);
        assert_eq!(filled.layers, vec![(0, LayerMode::Foreground)]);
        assert_eq!(filled.test_outputs, vec![grid!["121212", "343434", "121212", "343434"]]);
        // a hole the patches cannot fill right: no overlay
        let wrong_targets = [grid!["121212", "343434", "121212", "343434", "121299", "343434"], targets[1].clone()];
        assert!(compose(&wrong_targets, &pieces, None, 10, 4, false, true).is_empty());
    }

    /// Bands of colours `colors` (each two rows of `cols` cells), the bands of `shown` kept,
    /// the others 0, and the cell `hole` (row, column) 0 too.
    fn bands(colors: [u8; 3], cols: usize, shown: [bool; 3], hole: Option<(usize, usize)>) -> Grid {
        let rows: Vec<Vec<u8>> = (0..6)
            .map(|r| (0..cols).map(|c| if shown[r / 2] && hole != Some((r, c)) { colors[r / 2] } else { 0 }).collect())
            .collect();
        Grid::from_rows(&rows).unwrap()
    }

    #[test]
    fn three_layers_and_one_filled_blank_make_the_answer() {
        // three bands of colour, each right in one piece only, and one cell of the last band
        // no piece paints: two layers leave a third of the cells uncovered (too many to
        // fill), three leave the one cell, which the 3x3 patches of its own band complete
        let targets = [bands([1, 2, 3], 6, [true; 3], None), bands([4, 5, 6], 7, [true; 3], None)];
        let piece = |band: usize, hole: Option<(usize, usize)>, test_hole: Option<(usize, usize)>| {
            let mut shown = [false; 3];
            shown[band] = true;
            let train = vec![bands([1, 2, 3], 6, shown, hole), bands([4, 5, 6], 7, shown, hole)];
            let test = vec![bands([7, 8, 9], 8, shown, test_hole)];
            (train, test)
        };
        let (top, middle) = (piece(0, None, None), piece(1, None, None));
        let bottom = piece(2, Some((4, 2)), Some((5, 7)));
        let pieces = [&top, &middle, &bottom].map(|(train, test)| Piece { train, test, length: 1 });
        assert!(compose(&targets, &pieces, None, 10, 4, false, false).is_empty(), "without fill no layer paints the hole");
        let overlays = compose(&targets, &pieces, None, 10, 4, false, true);
        assert_eq!(overlays.len(), 1, "{overlays:?}");
        let o = &overlays[0];
        assert!(o.filled && o.pairs_exact == 2 && o.supported, "{o:?}");
        assert_eq!(o.layers, vec![(0, LayerMode::Foreground), (1, LayerMode::Foreground), (2, LayerMode::Foreground)]);
        assert_eq!(o.test_outputs, vec![bands([7, 8, 9], 8, [true; 3], None)], "the test's hole filled from its own band");
        // two layers alone never fill: with the bottom band missing, nothing is composed
        assert!(compose(&targets, &pieces[..2], None, 10, 4, false, true).is_empty());
    }

    #[test]
    fn two_pieces_right_on_different_cells_make_the_answer() {
        // output = the input's non-zero cells, with its zero cells recoloured 5: no single
        // piece below is right, the foreground of one and the background of the other are
        let inputs = [grid!["102", "003"], grid!["04", "60"]];
        let targets = [grid!["152", "553"], grid!["54", "65"]];
        let tests = [grid!["70", "08"]];
        let all_five = [grid!["555", "555"], grid!["55", "55"]];
        let five_test = [grid!["55", "55"]];
        let wrong = [grid!["111", "111"], grid!["11", "11"]];
        let wrong_test = [grid!["11", "11"]];
        let pieces = [
            Piece { train: &wrong, test: &wrong_test, length: 1 },
            Piece { train: &inputs, test: &tests, length: 0 },
            Piece { train: &all_five, test: &five_test, length: 1 },
        ];
        let overlays = compose(&targets, &pieces, None, 10, 4, false, false);
        assert!(!overlays.is_empty());
        let best = &overlays[0];
        assert_eq!(best.layers, vec![(1, LayerMode::Foreground), (2, LayerMode::Foreground)]);
        assert_eq!(best.test_outputs, vec![grid!["75", "58"]]);
        assert!(best.supported, "both layers decide cells of both pairs");
        // one layer never makes an overlay, and a lone wrong piece makes nothing
        assert!(compose(&targets, &pieces[..1], None, 10, 4, false, false).is_empty());
    }

    #[test]
    fn an_overlay_with_a_layer_only_one_pair_asks_for_is_not_supported() {
        let targets = [grid!["12"], grid!["34"]];
        let (left, a_right, b_right) = ([grid!["10"], grid!["30"]], [grid!["02"], grid!["00"]], [grid!["00"], grid!["04"]]);
        let t = [grid!["55"]];
        let pieces = [
            Piece { train: &left, test: &t, length: 1 },
            Piece { train: &a_right, test: &t, length: 1 },
            Piece { train: &b_right, test: &t, length: 1 },
        ];
        let overlays = compose(&targets, &pieces, None, 10, 4, false, false);
        assert_eq!(overlays[0].layers.len(), 3);
        assert!(!overlays[0].supported, "the second and third layers each decide cells of one pair");
    }

    #[test]
    fn with_partial_an_overlay_may_leave_one_pair_out() {
        let targets = [grid!["12"], grid!["34"], grid!["56"]];
        let (left, right) = ([grid!["10"], grid!["30"], grid!["50"]], [grid!["02"], grid!["04"], grid!["00"]]);
        let t = [grid!["78"]];
        let pieces = [Piece { train: &left, test: &t, length: 1 }, Piece { train: &right, test: &t, length: 1 }];
        assert!(compose(&targets, &pieces, None, 10, 4, false, false).is_empty(), "the third pair's 6 is never right");
        let partial = compose(&targets, &pieces, None, 10, 4, true, false);
        assert_eq!(partial.len(), 1);
        assert_eq!((partial[0].pairs_exact, partial[0].layers.len()), (2, 2));
        assert_eq!(partial[0].test_outputs, vec![grid!["78"]]);
        assert!((partial[0].cell_accuracy - 5.0 / 6.0).abs() < 1e-9);
    }

    #[test]
    fn a_piece_wrong_on_an_uncovered_cell_is_never_laid() {
        let targets = [grid!["12"]];
        let a = [grid!["10"]];
        let b = [grid!["33"]];
        let t = [grid!["1"]];
        let pieces = [Piece { train: &a, test: &t, length: 1 }, Piece { train: &b, test: &t, length: 1 }];
        assert!(compose(&targets, &pieces, None, 10, 4, false, false).is_empty(), "cell 2 is never right");
    }
}
