//! The CPU's side of a search level (the twin of `shaders/search/main.glsl`): every
//! candidate of a segment on all cores, each state's input grids loaded once into a
//! worker's canvases and every step of the alphabet applied to them through the ops' CPU
//! kernels, with no allocation per candidate; the same score words and prints as the GPU.
//! Kept states are re-applied by `materialise` into owned grids (the next frontier).

use rayon::prelude::*;

use super::print::StatePrint;
use crate::engine::level::{Chosen, LevelExecutor, SearchJob, Segment, EXACT, VALID};
use crate::engine::ops::{apply_cpu, Canvas, Scratch};
use crate::engine::program::Step;
use crate::engine::score::CellMatch;
use crate::gpu::GpuError;
use crate::grid::Grid;

/// Candidates per `expand` at most (about 20 bytes of results each).
const MAX_CANDIDATES: usize = 1 << 24;

pub struct CpuLevels<'a> {
    jobs: Vec<&'a SearchJob>,
    /// Per job: its frontier's grids, state-major (state s, input i at s * inputs + i).
    frontier: Vec<Vec<Grid>>,
}

impl<'a> CpuLevels<'a> {
    pub fn new() -> CpuLevels<'a> {
        CpuLevels { jobs: Vec::new(), frontier: Vec::new() }
    }
}

/// A rayon worker's canvases: one per input (train, then test) of the state being
/// expanded, and the output.
struct Worker {
    sources: Vec<Canvas>,
    out: Canvas,
    /// The output painted by the free finishing step, when the job has one.
    painted: Canvas,
    scratch: Scratch,
}

fn new_worker() -> Box<Worker> {
    Box::new(Worker { sources: Vec::new(), out: Canvas::empty(), painted: Canvas::empty(), scratch: Scratch::new() })
}

/// One candidate: `step` on the state whose inputs are loaded in `w.sources`.
fn score_candidate(w: &mut Worker, job: &SearchJob, step: &Step, scale: u32) -> (u32, [u32; 4]) {
    let mut print = StatePrint::new();
    let (mut key, mut exact) = (0u32, true);
    for (i, src) in w.sources.iter().enumerate() {
        if !apply_cpu(step, src, &mut w.out, &mut w.scratch) {
            return (0, [0; 4]);
        }
        let out = &w.out;
        print.grid(out.rows, out.cols, out.filled());
        // train inputs are scored; test inputs only need an output
        if let Some(expected) = job.outputs.get(i) {
            // with the free finishing step, the output it makes is compared
            let compared = match job.paint_finish {
                Some(colour) if out.rows == expected.rows() && out.cols == expected.cols() => {
                    apply_cpu(&SearchJob::finishing_step(colour), out, &mut w.painted, &mut w.scratch);
                    &w.painted
                }
                _ => out,
            };
            let m = CellMatch::of_cells(compared.rows, compared.cols, compared.filled(), expected);
            key += m.cells_matched * scale / expected.cells().len() as u32;
            exact &= m.exact;
        }
    }
    (VALID | if exact { EXACT } else { 0 } | key, print.finish_lanes())
}

impl<'a> LevelExecutor<'a> for CpuLevels<'a> {
    fn max_candidates(&self) -> usize {
        MAX_CANDIDATES
    }

    fn begin(&mut self, jobs: &[&'a SearchJob]) -> Result<(), GpuError> {
        self.jobs = jobs.to_vec();
        self.frontier = jobs.iter().map(|j| j.inputs.clone()).collect();
        Ok(())
    }

    fn expand(&mut self, segments: &[Segment], _will_materialise: bool, consume: &mut dyn FnMut(&[u32], &[[u32; 4]])) -> Result<(), GpuError> {
        let total: usize = segments.iter().map(|s| s.states as usize * self.jobs[s.job as usize].steps.len()).sum();
        let mut scores = vec![0u32; total];
        let mut prints = vec![[0u32; 4]; total];
        // One unit per state: its results are `steps` consecutive words.
        let mut units = Vec::new();
        let (mut rest_scores, mut rest_prints) = (&mut scores[..], &mut prints[..]);
        for seg in segments {
            let n = self.jobs[seg.job as usize].steps.len();
            for state in seg.first_state..seg.first_state + seg.states {
                let (s, more_s) = std::mem::take(&mut rest_scores).split_at_mut(n);
                let (p, more_p) = std::mem::take(&mut rest_prints).split_at_mut(n);
                (rest_scores, rest_prints) = (more_s, more_p);
                units.push((seg.job as usize, state as usize, s, p));
            }
        }
        let (jobs, frontier) = (&self.jobs, &self.frontier);
        units.into_par_iter().with_min_len(4).for_each_init(new_worker, |w, (job, state, scores, prints)| {
            let j = jobs[job];
            let n = j.inputs.len();
            w.sources.resize_with(n, Canvas::empty);
            for ((src, g), &target) in w.sources.iter_mut().zip(&frontier[job][state * n..(state + 1) * n]).zip(&j.targets) {
                src.load_at(g, target);
            }
            let scale = j.key_scale();
            for ((step, score), print) in j.steps.iter().zip(scores.iter_mut()).zip(prints.iter_mut()) {
                (*score, *print) = score_candidate(w, j, step, scale);
            }
        });
        consume(&scores, &prints);
        Ok(())
    }

    fn materialise(&mut self, chosen: &[Chosen]) -> Result<(), GpuError> {
        let (jobs, frontier) = (&self.jobs, &self.frontier);
        let made: Vec<Vec<Grid>> = chosen
            .par_iter()
            .with_min_len(16)
            .map_init(new_worker, |w, c| {
                let j = jobs[c.job as usize];
                let n = j.inputs.len();
                let step = &j.steps[c.step as usize];
                w.sources.resize_with(1, Canvas::empty);
                frontier[c.job as usize][c.state as usize * n..(c.state as usize + 1) * n]
                    .iter()
                    .zip(&j.targets)
                    .map(|(g, &target)| {
                        w.sources[0].load_at(g, target);
                        let applied = apply_cpu(step, &w.sources[0], &mut w.out, &mut w.scratch);
                        debug_assert!(applied, "only candidates with outputs are chosen");
                        w.out.to_grid()
                    })
                    .collect()
            })
            .collect();
        let mut next: Vec<Vec<Grid>> = vec![Vec::new(); self.jobs.len()];
        for (c, grids) in chosen.iter().zip(made) {
            next[c.job as usize].extend(grids);
        }
        self.frontier = next;
        Ok(())
    }
}
