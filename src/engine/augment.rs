//! Search variants of a task: the same task with its colours renamed by a heuristic
//! (`Normalised`: the other colours by cell count; `Shaped`: by the shape feature that
//! tells them apart best), or with every grid flipped over its main diagonal
//! (`Transposed`). A
//! search on a variant finds programs the original's alphabet cannot state (a colour that
//! differs from pair to pair becomes one colour); its answers on the test inputs are
//! mapped back exactly (`Variant::restore`), so they join the original's candidates.

use crate::grid::Grid;
use crate::data::task::{Pair, Task, TestCase};

/// A way to present a task to the search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VariantKind {
    /// Each grid's colours renamed: colours with a fixed meaning across the task (0, colours
    /// only outputs have, colours every input has and no output has, the outputs' colours
    /// when every output has the same ones) keep ranks 0, 1, ... in colour order; the other
    /// colours of the pair's input follow by how many cells they cover (most first, then
    /// lower colour); colours the input lacks come last, in colour order. A pair's output
    /// is renamed with its input's renaming.
    Normalised,
    /// Like `Normalised`, the other colours ordered by shape instead of by count: features
    /// of each colour's cells in the input (cells, 8-connected components, interior cells,
    /// each also inverted; the colour itself; how far the cells reach toward each side and
    /// corner) are chosen greedily on the train inputs, each time the feature whose best
    /// colour stands out most in the input where it stands out least, and each input's
    /// colours take ranks in that order (`shape_order`).
    Shaped,
    /// Every grid transposed (rows become columns).
    Transposed,
}

impl VariantKind {
    pub const ALL: [VariantKind; 3] = [VariantKind::Normalised, VariantKind::Shaped, VariantKind::Transposed];

    pub fn name(self) -> &'static str {
        match self {
            VariantKind::Normalised => "normalised",
            VariantKind::Shaped => "shaped",
            VariantKind::Transposed => "transposed",
        }
    }

    pub fn parse(name: &str) -> Option<VariantKind> {
        VariantKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// A task as one variant presents it, and how to map its test answers back.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub kind: VariantKind,
    /// The task's train pairs and test inputs, transformed (test outputs are dropped: an
    /// answer is checked against the original's).
    pub task: Task,
    /// Per test input: the colour renaming of its answer back to the original colours
    /// (`back[c]` is the original of colour c).
    back: Vec<[u8; 10]>,
}

impl Variant {
    /// The variant of `task`, or None when it would be the task itself (no colour renamed,
    /// or every grid symmetric about its diagonal).
    pub fn of(task: &Task, kind: VariantKind) -> Option<Variant> {
        let (train, test, back): (Vec<Pair>, Vec<TestCase>, Vec<[u8; 10]>) = match kind {
            VariantKind::Transposed => {
                let t = crate::dsl::transpose;
                let train = task.train.iter().map(|p| Pair { input: t(&p.input), output: t(&p.output) }).collect();
                let test = task.test.iter().map(|c| TestCase { input: t(&c.input), output: None }).collect();
                (train, test, vec![IDENTITY; task.test.len()])
            }
            VariantKind::Normalised | VariantKind::Shaped => {
                let fixed = fixed_colours(task);
                let features = (kind == VariantKind::Shaped).then(|| chosen_features(task, fixed));
                let order_of = |g: &Grid| match &features {
                    Some(f) => shape_order(g, fixed, f),
                    None => count_order(g, fixed),
                };
                let train = task
                    .train
                    .iter()
                    .map(|p| {
                        let forward = renaming(&p.input, fixed, &order_of(&p.input));
                        Pair { input: rename(&p.input, &forward), output: rename(&p.output, &forward) }
                    })
                    .collect();
                let (mut test, mut back) = (Vec::new(), Vec::new());
                for c in &task.test {
                    let forward = renaming(&c.input, fixed, &order_of(&c.input));
                    test.push(TestCase { input: rename(&c.input, &forward), output: None });
                    back.push(inverse(&forward));
                }
                (train, test, back)
            }
        };
        let unchanged = train.iter().zip(&task.train).all(|(a, b)| a.input == b.input && a.output == b.output)
            && test.iter().zip(&task.test).all(|(a, b)| a.input == b.input);
        if unchanged {
            return None;
        }
        Some(Variant { kind, task: Task { id: task.id.clone(), split: task.split, train, test }, back })
    }

    /// An answer for test input `index` of the variant, as the original task's answer.
    pub fn restore(&self, index: usize, answer: &Grid) -> Grid {
        let renamed = rename(answer, &self.back[index]);
        match self.kind {
            VariantKind::Transposed => crate::dsl::transpose(&renamed),
            VariantKind::Normalised | VariantKind::Shaped => renamed,
        }
    }
}

const IDENTITY: [u8; 10] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/// A set of colours as bits.
fn colour_bits(g: &Grid) -> u16 {
    g.cells().iter().fold(0u16, |m, &c| m | 1 << c)
}

/// The colours whose meaning is fixed across `task` (see `VariantKind::Normalised`).
fn fixed_colours(task: &Task) -> u16 {
    let (mut or_in, mut or_out, mut and_in, mut and_out) = (0u16, 0u16, 0x3FFu16, 0x3FFu16);
    for p in &task.train {
        let (i, o) = (colour_bits(&p.input), colour_bits(&p.output));
        or_in |= i;
        or_out |= o;
        and_in &= i;
        and_out &= o;
    }
    let mut fixed = 1 | (or_out & !or_in) | (and_in & !or_out);
    if or_out == and_out {
        fixed |= and_out;
    }
    fixed
}

/// `input`'s colours that are present and not fixed, most cells first (ties: lower colour).
fn count_order(input: &Grid, fixed: u16) -> Vec<u8> {
    let counts = input.histogram();
    let mut present: Vec<u8> = (0..10).filter(|&c| fixed >> c & 1 == 0 && counts[c as usize] > 0).collect();
    present.sort_by(|&a, &b| counts[b as usize].cmp(&counts[a as usize]).then(a.cmp(&b)));
    present
}

/// The renaming of `input`'s pair: `forward[c]` is colour c's new name. The fixed colours
/// come first, in colour order, then `present` (the input's other colours, in the order
/// given), then the colours the input lacks, in colour order.
fn renaming(input: &Grid, fixed: u16, present: &[u8]) -> [u8; 10] {
    let counts = input.histogram();
    let mut order: Vec<u8> = (0..10).filter(|&c| fixed >> c & 1 == 1).collect();
    order.extend_from_slice(present);
    order.extend((0..10).filter(|&c| fixed >> c & 1 == 0 && counts[c as usize] == 0));
    let mut forward = [0u8; 10];
    for (rank, &c) in order.iter().enumerate() {
        forward[c as usize] = rank as u8;
    }
    forward
}

/// Shape features per colour: 0-5 cells, 8-connected components and interior cells (each
/// also as its inverse), 6-15 the colour itself, 16-23 how far the colour's cells reach
/// toward each side and each corner.
const FEATURES: usize = 24;

/// The features of every colour's cells in `g` (all zero for an absent colour). Larger
/// means more; a colour stands out on a feature when it is far above every other colour.
fn colour_features(g: &Grid) -> [[f64; FEATURES]; 10] {
    let (h, w) = (g.rows(), g.cols());
    let mut f = [[0.0; FEATURES]; 10];
    let mut cells = [0usize; 10];
    let mut interior = [0usize; 10];
    let mut reach = [[0i64; 8]; 10];
    let mut seen = [false; 10];
    for r in 0..h {
        for c in 0..w {
            let v = g.get(r, c) as usize;
            cells[v] += 1;
            let inside = r > 0 && c > 0 && r + 1 < h && c + 1 < w && [(r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)].iter().all(|&(a, b)| g.get(a, b) as usize == v);
            interior[v] += inside as usize;
            let (y, x) = (r as i64, c as i64);
            // toward up, down, left, right (x3), then the four corners (x2)
            let toward = [-3 * y, 3 * y, -3 * x, 3 * x, -2 * (y + x), 2 * (x - y), 2 * (y - x), 2 * (y + x)];
            for (k, t) in toward.into_iter().enumerate() {
                reach[v][k] = if seen[v] { reach[v][k].max(t) } else { t };
            }
            seen[v] = true;
        }
    }
    let components = components8(g);
    for v in 0..10 {
        if cells[v] == 0 {
            continue;
        }
        let row = &mut f[v];
        let (n, k, i) = (cells[v] as f64, components[v] as f64, interior[v] as f64);
        row[..6].copy_from_slice(&[n, 1.0 / n, k, 1.0 / k, i, 1.0 / (i + 1.0)]);
        for (col, slot) in row[6..16].iter_mut().enumerate() {
            *slot = if col == v { 3.0 } else { 2.0 };
        }
        for (slot, &t) in row[16..].iter_mut().zip(&reach[v]) {
            *slot = t as f64 + 1000.0;
        }
    }
    f
}

/// 8-connected components of each colour.
fn components8(g: &Grid) -> [usize; 10] {
    let (h, w) = (g.rows(), g.cols());
    let mut seen = vec![false; h * w];
    let mut counts = [0usize; 10];
    let mut stack = Vec::new();
    for start in 0..h * w {
        if seen[start] {
            continue;
        }
        let v = g.cells()[start];
        counts[v as usize] += 1;
        seen[start] = true;
        stack.push(start);
        while let Some(i) = stack.pop() {
            let (r, c) = ((i / w) as i64, (i % w) as i64);
            for dr in -1..=1 {
                for dc in -1..=1 {
                    let (nr, nc) = (r + dr, c + dc);
                    if nr < 0 || nc < 0 || nr >= h as i64 || nc >= w as i64 {
                        continue;
                    }
                    let j = nr as usize * w + nc as usize;
                    if !seen[j] && g.cells()[j] == v {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
    }
    counts
}

/// How far colour `c` stands out above the other colours of `left` on `feature`: the
/// smallest ratio of its value to another's (infinite when it is the only one left).
fn standing(features: &[[f64; FEATURES]; 10], left: &[u8], c: u8, feature: usize) -> f64 {
    left.iter().filter(|&&o| o != c).map(|&o| features[c as usize][feature] / (features[o as usize][feature] + 1e-5)).fold(f64::INFINITY, f64::min)
}

/// The colour of `left` that stands out most on `feature` (ties: the first) and by how much.
fn most_standing(features: &[[f64; FEATURES]; 10], left: &[u8], feature: usize) -> (u8, f64) {
    let mut best = (left[0], f64::NEG_INFINITY);
    for &c in left {
        let s = standing(features, left, c, feature);
        if s > best.1 {
            best = (c, s);
        }
    }
    best
}

/// The features that name the train inputs' non-fixed colours, in order: each time, the
/// feature whose best colour stands out most in the train input where it stands out
/// least (ties: the later feature); that colour then leaves every input.
fn chosen_features(task: &Task, fixed: u16) -> Vec<usize> {
    let inputs: Vec<([[f64; FEATURES]; 10], Vec<u8>)> = task.train.iter().map(|p| (colour_features(&p.input), count_order(&p.input, fixed))).collect();
    let mut left: Vec<Vec<u8>> = inputs.iter().map(|(_, l)| l.clone()).collect();
    let mut chosen = Vec::new();
    // (no train pairs: no features; the loader never makes such a task, but nothing here
    // may loop on one)
    while !left.is_empty() && left.iter().all(|l| !l.is_empty()) {
        let mut best: Option<(usize, f64)> = None;
        for feature in 0..FEATURES {
            let worst = inputs.iter().zip(&left).map(|((f, _), l)| most_standing(f, l, feature).1).fold(f64::INFINITY, f64::min);
            if best.is_none_or(|(_, b)| worst >= b) {
                best = Some((feature, worst));
            }
        }
        let (feature, _) = best.expect("FEATURES > 0");
        for ((f, _), l) in inputs.iter().zip(&mut left) {
            let (c, _) = most_standing(f, l, feature);
            l.retain(|&x| x != c);
        }
        chosen.push(feature);
    }
    chosen
}

/// `input`'s present non-fixed colours in the order `features` name them: the k-th colour
/// is the one standing out most on the k-th feature; past the list's end, on any feature.
fn shape_order(input: &Grid, fixed: u16, features: &[usize]) -> Vec<u8> {
    let f = colour_features(input);
    let mut left = count_order(input, fixed);
    let mut order = Vec::with_capacity(left.len());
    while !left.is_empty() {
        let c = match features.get(order.len()) {
            Some(&feature) => most_standing(&f, &left, feature).0,
            None => {
                let mut best = (left[0], f64::NEG_INFINITY);
                for feature in 0..FEATURES {
                    let (c, s) = most_standing(&f, &left, feature);
                    if s > best.1 {
                        best = (c, s);
                    }
                }
                best.0
            }
        };
        order.push(c);
        left.retain(|&x| x != c);
    }
    order
}

fn inverse(forward: &[u8; 10]) -> [u8; 10] {
    let mut back = [0u8; 10];
    for (c, &to) in forward.iter().enumerate() {
        back[to as usize] = c as u8;
    }
    back
}

fn rename(g: &Grid, map: &[u8; 10]) -> Grid {
    Grid::from_cells(g.rows(), g.cols(), g.cells().iter().map(|&c| map[c as usize]).collect()).expect("same shape")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid;

    fn task(train: &[(Grid, Grid)], tests: &[Grid]) -> Task {
        Task {
            id: "t".into(),
            split: None,
            train: train.iter().map(|(i, o)| Pair { input: i.clone(), output: o.clone() }).collect(),
            test: tests.iter().map(|g| TestCase { input: g.clone(), output: None }).collect(),
        }
    }

    #[test]
    fn each_variant_maps_its_test_inputs_back_exactly() {
        let t = task(&[(grid!["0120", "3300"], grid!["12", "33"]), (grid!["44", "05"], grid!["4"])], &[grid!["071", "770", "008"], grid!["9"]]);
        for kind in VariantKind::ALL {
            let v = Variant::of(&t, kind).unwrap();
            assert_eq!(v.task.train.len(), 2);
            for (i, case) in t.test.iter().enumerate() {
                // the variant's own test input, mapped back, is the original's
                assert_eq!(v.restore(i, &v.task.test[i].input), case.input, "{kind:?} test {i}");
            }
        }
    }

    #[test]
    fn normalising_gives_pairs_with_different_colours_the_same_names() {
        // each input has one colour on background 0, a different one per pair; the output
        // swaps nothing but adds 5 (a colour only outputs have: its name is fixed)
        let t = task(&[(grid!["0220", "2000"], grid!["5220"]), (grid!["3003", "0300"], grid!["5330"])], &[grid!["7007"]]);
        let v = Variant::of(&t, VariantKind::Normalised).unwrap();
        // 0 and 5 are fixed (ranks 0 and 1); each input's one colour becomes 2
        assert_eq!(v.task.train[0].input, grid!["0220", "2000"]);
        assert_eq!(v.task.train[1].input, grid!["2002", "0200"]);
        assert_eq!(v.task.train[0].output, grid!["1220"]);
        assert_eq!(v.task.train[1].output, v.task.train[0].output);
        assert_eq!(v.task.test[0].input, grid!["2002"]);
        assert_eq!(v.restore(0, &grid!["1220"]), grid!["5770"]);
        // a task whose colours already read that way has no normalised variant
        assert!(Variant::of(&v.task, VariantKind::Normalised).is_none());
    }

    #[test]
    fn shaped_normalising_names_colours_by_shape_where_counts_disagree() {
        // each input: scattered dots of one colour and a line of another; the dots have
        // more cells in the first pair and fewer in the second, so ordering by count
        // swaps their names between the pairs, and ordering by shape does not
        let t = task(
            &[(grid!["20202", "00000", "33000"], grid!["1"]), (grid!["40004", "00000", "66660"], grid!["1"])],
            &[grid!["07070", "00000", "88800"]],
        );
        let shaped = Variant::of(&t, VariantKind::Shaped).unwrap();
        let by_count = Variant::of(&t, VariantKind::Normalised).unwrap();
        let dots = |v: &Variant, pair: usize| v.task.train[pair].input.get(0, 0);
        let line = |v: &Variant, pair: usize| v.task.train[pair].input.get(2, 0);
        assert_ne!(dots(&by_count, 0), dots(&by_count, 1), "by count the dots' name changes");
        assert_eq!(dots(&shaped, 0), dots(&shaped, 1), "by shape the dots keep one name");
        assert_eq!(line(&shaped, 0), line(&shaped, 1), "and so does the line");
        assert_eq!(shaped.task.test[0].input.get(0, 1), dots(&shaped, 0), "the test input's dots too");
        assert_eq!(shaped.restore(0, &shaped.task.test[0].input), t.test[0].input);
    }

    #[test]
    fn a_task_of_diagonal_symmetric_grids_has_no_transposed_variant() {
        let t = task(&[(grid!["12", "23"], grid!["1"])], &[grid!["4"]]);
        assert!(Variant::of(&t, VariantKind::Transposed).is_none());
    }
}
