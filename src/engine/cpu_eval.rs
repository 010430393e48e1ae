//! The CPU executor: programs run on fixed 30×30 buffers with no allocation, one item per
//! rayon task over all cores, each step through its op's CPU kernel (`ops`). The shader
//! (one GPU thread per item) mirrors this loop in `shaders/eval/main.glsl`; both must
//! agree bit for bit with `reference` (the DSL meaning), which property tests check.

use rayon::prelude::*;

use super::ops::{apply_cpu, Canvas, Scratch};
use super::program::Program;
use super::score::CellMatch;
use super::{Item, ItemResult};
use crate::grid::Grid;

/// Runs a program; the result is in the returned canvas, None when a step cannot apply.
fn run(p: &Program, input: &Grid, bufs: &mut [Canvas; 2], s: &mut Scratch) -> Option<usize> {
    run_at(p, input, (0, 0), bufs, s)
}

/// `run` on the input of a pair whose output size is `target` (see `Canvas::target`).
fn run_at(p: &Program, input: &Grid, target: (usize, usize), bufs: &mut [Canvas; 2], s: &mut Scratch) -> Option<usize> {
    bufs[0].load_at(input, target);
    let mut cur = 0;
    for step in p.steps() {
        let (lo, hi) = bufs.split_at_mut(1);
        let (src, dst) = if cur == 0 { (&lo[0], &mut hi[0]) } else { (&hi[0], &mut lo[0]) };
        if !apply_cpu(step, src, dst, s) {
            return None;
        }
        cur = 1 - cur;
    }
    // a program's output is a grid: one whose result is a list has none
    (bufs[cur].parts == 0).then_some(cur)
}

/// Runs a program on one grid; None when a step cannot apply.
pub fn run_program(p: &Program, input: &Grid) -> Option<Grid> {
    run_program_at(p, input, (0, 0))
}

/// Runs a program on the input of a pair whose output size is `target` (a search's
/// `SearchJob::targets`); None when a step cannot apply.
pub fn run_program_at(p: &Program, input: &Grid, target: (usize, usize)) -> Option<Grid> {
    ProgramRunner::new().run_positioned(p, input, target).map(|(grid, _)| grid)
}

/// `run_program_at`, with the output's position (`Canvas::origin`).
pub fn run_program_positioned(p: &Program, input: &Grid, target: (usize, usize)) -> Option<(Grid, (usize, usize))> {
    ProgramRunner::new().run_positioned(p, input, target)
}

/// Buffers kept between program runs on the CPU (each rayon worker's, and a search's
/// results'): many programs run one after another allocate them once and find the splits
/// earlier runs made (`Scratch`'s split cache, keyed by the grid's cells: the same answers).
pub struct ProgramRunner {
    bufs: [Canvas; 2],
    scratch: Box<Scratch>,
}

impl ProgramRunner {
    pub fn new() -> ProgramRunner {
        ProgramRunner { bufs: [Canvas::empty(), Canvas::empty()], scratch: Box::new(Scratch::new()) }
    }

    /// `run_program_positioned` on these buffers.
    pub fn run_positioned(&mut self, p: &Program, input: &Grid, target: (usize, usize)) -> Option<(Grid, (usize, usize))> {
        run_at(p, input, target, &mut self.bufs, &mut self.scratch).map(|i| (self.bufs[i].to_grid(), self.bufs[i].origin))
    }
}

/// Runs many programs on one set of inputs (a search's train and test inputs), keeping on
/// each input the states after every step of the last program run there: a program that
/// begins with the same steps starts from where they left it. The search's results run
/// thousands of programs that share their first steps (each level extends the last one's
/// states), and the same program again with a finishing step appended. The outputs are
/// `run_program_positioned`'s: each step still runs through its CPU kernel.
pub struct PrefixRunner {
    scratch: Box<Scratch>,
    inputs: Vec<Prefixed>,
}

/// One input's states: `states[k]` after the first `k` of `steps` (`states[0]` the input).
struct Prefixed {
    steps: Vec<super::program::Step>,
    states: Vec<Canvas>,
}

impl PrefixRunner {
    /// A runner over `inputs`, each the input of a pair whose output size is its `targets`
    /// entry (see `Canvas::target`).
    pub fn new(inputs: &[Grid], targets: &[(usize, usize)]) -> PrefixRunner {
        let inputs = inputs
            .iter()
            .zip(targets)
            .map(|(g, &target)| {
                let mut first = Canvas::empty();
                first.load_at(g, target);
                Prefixed { steps: Vec::new(), states: vec![first] }
            })
            .collect();
        PrefixRunner { scratch: Box::new(Scratch::new()), inputs }
    }

    /// `run_program_positioned` of `p` on input `input`; None when a step cannot apply or
    /// the result is a list.
    pub fn run(&mut self, p: &Program, input: usize) -> Option<(Grid, (usize, usize))> {
        let at = &mut self.inputs[input];
        let steps = p.steps();
        let shared = at.steps.iter().zip(steps).take_while(|(a, b)| a == b).count();
        at.steps.truncate(shared);
        for (k, step) in steps.iter().enumerate().skip(shared) {
            if at.states.len() < k + 2 {
                at.states.push(Canvas::empty());
            }
            let (done, next) = at.states.split_at_mut(k + 1);
            if !apply_cpu(step, &done[k], &mut next[0], &mut self.scratch) {
                return None;
            }
            at.steps.push(*step);
        }
        let out = &at.states[steps.len()];
        (out.parts == 0).then(|| (out.to_grid(), out.origin))
    }
}

impl Default for ProgramRunner {
    fn default() -> Self {
        ProgramRunner::new()
    }
}

fn evaluate_with(w: &mut ProgramRunner, programs: &[Program], grids: &[Grid], item: &Item) -> ItemResult {
    let Some(i) = run(&programs[item.program as usize], &grids[item.input as usize], &mut w.bufs, &mut w.scratch) else {
        return ItemResult::NONE;
    };
    let out = &w.bufs[i];
    let m = item.expected.map(|e| CellMatch::of_cells(out.rows, out.cols, out.filled(), &grids[e as usize])).unwrap_or_default();
    ItemResult {
        produced: true,
        rows: out.rows as u8,
        cols: out.cols as u8,
        shape_matched: m.shape_matched,
        cells_matched: m.cells_matched,
        exact: m.exact,
        output: item.want_output.then(|| Box::new(out.to_grid())),
    }
}

/// Evaluates every item on all cores.
pub fn evaluate(programs: &[Program], grids: &[Grid], items: &[Item]) -> Vec<ItemResult> {
    items.par_iter().with_min_len(64).map_init(ProgramRunner::new, |w, item| evaluate_with(w, programs, grids, item)).collect()
}

/// Evaluates every program on every input (program-major: result `p * inputs + i`),
/// scoring against `expecteds[i]` when given; the same layout as the GPU's cross flush.
pub fn evaluate_cross(programs: &[Program], inputs: &[Grid], expecteds: Option<&[Grid]>, want_outputs: bool) -> Vec<ItemResult> {
    let n = inputs.len();
    let grids: Vec<Grid> = match expecteds {
        Some(ex) => inputs.iter().chain(ex).cloned().collect(),
        None => inputs.to_vec(),
    };
    (0..programs.len() * n)
        .into_par_iter()
        .with_min_len(64)
        .map_init(ProgramRunner::new, |w, k| {
            let i = (k % n) as u32;
            let item = Item { program: (k / n) as u32, input: i, expected: expecteds.map(|_| n as u32 + i), want_output: want_outputs };
            evaluate_with(w, programs, &grids, &item)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_runner_gives_each_programs_own_outputs_in_any_order() {
        // programs sharing first steps, steps with no output (upscale of a large grid), list
        // states (split) and their compose, run in an order that revisits prefixes
        let texts = [
            "rot90", "rot90 | flip_updown", "rot90 | flip_updown | crop_content", "rot90 | upscale(3)", "rot90 | upscale(2) | rot90", "rot90 | upscale(3) | rot90", "rot90 | upscale(2)",
            "split(objects)", "split(objects) | compose", "split(objects) | rot90 | compose", "crop_content | tile(2x2)", "crop_content | tile(3x1)", "rot90 | flip_updown",
            "pick(objects,largest) | place", "pick(objects,largest)", "identity", "split(objects) | compose",
        ];
        let programs: Vec<Program> = texts.iter().map(|t| Program::parse(t).unwrap()).collect();
        let inputs = [
            Grid::from_fn(12, 12, |r, c| if (r / 3 + c / 4) % 3 == 0 { 2 } else if r == c { 5 } else { 0 }).unwrap(),
            Grid::from_fn(5, 7, |r, c| ((r * 7 + c) % 4) as u8).unwrap(),
        ];
        let targets = [(24, 24), (0, 0)];
        let mut runner = PrefixRunner::new(&inputs, &targets);
        let mut some = 0;
        for p in programs.iter().chain(programs.iter().rev()) {
            for (i, (g, &t)) in inputs.iter().zip(&targets).enumerate() {
                let expected = run_program_positioned(p, g, t);
                some += usize::from(expected.is_some());
                assert_eq!(runner.run(p, i), expected, "{p} on input {i}");
            }
        }
        assert!(some > 20, "most programs have outputs: {some}");
    }
}
