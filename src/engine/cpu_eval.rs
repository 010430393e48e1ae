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
