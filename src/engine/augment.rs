//! Search variants of a task: the same task with its colours renamed by a heuristic
//! (`Normalised`), or with every grid flipped over its main diagonal (`Transposed`). A
//! search on a variant finds programs the original's alphabet cannot state (a colour that
//! differs from pair to pair becomes one colour); its answers on the test inputs are
//! mapped back exactly (`Variant::restore`), so they join the original's candidates.

use crate::grid::Grid;
use crate::task::{Pair, Task, TestCase};

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
    /// Every grid transposed (rows become columns).
    Transposed,
}

impl VariantKind {
    pub const ALL: [VariantKind; 2] = [VariantKind::Normalised, VariantKind::Transposed];

    pub fn name(self) -> &'static str {
        match self {
            VariantKind::Normalised => "normalised",
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
            VariantKind::Normalised => {
                let fixed = fixed_colours(task);
                let train = task
                    .train
                    .iter()
                    .map(|p| {
                        let forward = renaming(&p.input, fixed);
                        Pair { input: rename(&p.input, &forward), output: rename(&p.output, &forward) }
                    })
                    .collect();
                let (mut test, mut back) = (Vec::new(), Vec::new());
                for c in &task.test {
                    let forward = renaming(&c.input, fixed);
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
            VariantKind::Normalised => renamed,
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

/// The renaming of `input`'s pair: `forward[c]` is colour c's new name.
fn renaming(input: &Grid, fixed: u16) -> [u8; 10] {
    let counts = input.histogram();
    let mut order: Vec<u8> = (0..10).filter(|&c| fixed >> c & 1 == 1).collect();
    let mut present: Vec<u8> = (0..10).filter(|&c| fixed >> c & 1 == 0 && counts[c as usize] > 0).collect();
    present.sort_by(|&a, &b| counts[b as usize].cmp(&counts[a as usize]).then(a.cmp(&b)));
    order.extend(present);
    order.extend((0..10).filter(|&c| fixed >> c & 1 == 0 && counts[c as usize] == 0));
    let mut forward = [0u8; 10];
    for (rank, &c) in order.iter().enumerate() {
        forward[c as usize] = rank as u8;
    }
    forward
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
    fn a_task_of_diagonal_symmetric_grids_has_no_transposed_variant() {
        let t = task(&[(grid!["12", "23"], grid!["1"])], &[grid!["4"]]);
        assert!(Variant::of(&t, VariantKind::Transposed).is_none());
    }
}
