//! The CPU's side of a search level (the twin of `shaders/search/main.glsl`): every
//! candidate of a segment on all cores, each state's input grids loaded once into a
//! worker's canvases and every step of the alphabet applied to them through the ops' CPU
//! kernels, with no allocation per candidate; the same score words and prints as the GPU
//! (on a large last level each print made only when the selection asks for it).
//! Kept states are re-applied by `materialise` into owned grids (the next frontier).

use rayon::prelude::*;

use super::print::{self, StatePrint};
use crate::engine::level::{Chosen, LevelExecutor, Prints, SearchJob, Segment, EXACT, VALID};
use crate::engine::ops::{apply_cpu, Canvas, Scratch};
use crate::engine::program::{Op, Step};
use crate::engine::score::CellMatch;
use crate::engine::vulkan::GpuError;
use crate::grid::Grid;

/// Candidates per job in an expand of the last level from which their prints are made only
/// when asked for (`CpuLevels::expand`).
const ON_REQUEST_FROM: usize = 1 << 18;

/// Candidates per `expand` at most (about 20 bytes of results each).
const MAX_CANDIDATES: usize = 1 << 24;

pub struct CpuLevels<'a> {
    jobs: Vec<&'a SearchJob>,
    /// Per job: its frontier's states, state-major (state s, input i at s * inputs + i).
    frontier: Vec<Vec<Stored>>,
    /// `ON_REQUEST_FROM`, or another threshold (tests: 0, every last level on request).
    on_request_from: usize,
}

/// A frontier state on one input, as a canvas holds it: a grid with its position, or a
/// list's element headers and cells (`Canvas::parts`).
#[derive(Clone)]
struct Stored {
    rows: u8,
    cols: u8,
    origin: (u8, u8),
    part: Vec<u32>,
    cells: Vec<u8>,
}

impl Stored {
    fn input(g: &Grid) -> Stored {
        Stored { rows: g.rows() as u8, cols: g.cols() as u8, origin: (0, 0), part: Vec::new(), cells: g.cells().to_vec() }
    }

    fn of(c: &Canvas) -> Stored {
        let cells = if c.parts == 0 { c.filled() } else { c.list_cells() };
        Stored { rows: c.rows as u8, cols: c.cols as u8, origin: (c.origin.0 as u8, c.origin.1 as u8), part: c.part[..c.parts].to_vec(), cells: cells.to_vec() }
    }

    /// Loads the state into `into`, as the input of a pair whose output size is `target`.
    fn load(&self, into: &mut Canvas, target: (usize, usize)) {
        into.rows = self.rows as usize;
        into.cols = self.cols as usize;
        into.origin = (self.origin.0 as usize, self.origin.1 as usize);
        into.target = target;
        into.parts = self.part.len();
        into.part[..self.part.len()].copy_from_slice(&self.part);
        into.cells[..self.cells.len()].copy_from_slice(&self.cells);
    }
}

impl<'a> CpuLevels<'a> {
    pub fn new() -> CpuLevels<'a> {
        CpuLevels { jobs: Vec::new(), frontier: Vec::new(), on_request_from: ON_REQUEST_FROM }
    }

    /// The same executor making the last level's prints on request from `candidates` per job.
    #[cfg(test)]
    pub(super) fn prints_on_request_from(mut self, candidates: usize) -> CpuLevels<'a> {
        self.on_request_from = candidates;
        self
    }
}

/// A rayon worker's canvases: one per input (train, then test) of the state being
/// expanded, and the output.
struct Worker {
    sources: Vec<Canvas>,
    out: Canvas,
    /// A list output composed (the free compose), when it is one.
    composed: Canvas,
    /// The output placed by the free placing step, when it applies.
    placed: Canvas,
    /// The output painted by the free finishing step, when the job has one.
    painted: Canvas,
    scratch: Scratch,
}

fn new_worker() -> Box<Worker> {
    Box::new(Worker { sources: Vec::new(), out: Canvas::empty(), composed: Canvas::empty(), placed: Canvas::empty(), painted: Canvas::empty(), scratch: Scratch::new() })
}

/// The place step the free placing step runs (`SearchJob::place_finish`).
const PLACE: Step = Step { op: Op::Place, a: 0, b: 0, c: 0 };
/// The compose step a list state is scored through.
const COMPOSE: Step = Step { op: Op::Compose, a: 0, b: 0, c: 0 };

/// One candidate: `step` on the state whose inputs are loaded in `w.sources`; its print
/// only `with_print` (else zeros: `candidate_print` makes it when asked).
fn score_candidate(w: &mut Worker, job: &SearchJob, step: &Step, scale: u32, with_print: bool) -> (u32, [u32; 4]) {
    let mut print = StatePrint::new();
    let (mut key, mut exact) = (0u32, true);
    for (i, src) in w.sources.iter().enumerate() {
        if !apply_cpu(step, src, &mut w.out, &mut w.scratch) {
            return (0, [0; 4]);
        }
        let out = &w.out;
        if with_print {
            print.add_grid(print::canvas_print(out));
        }
        // train inputs are scored; test inputs only need an output
        if let Some(expected) = job.outputs.get(i) {
            // a list is compared as compose lays it out (the free compose)
            let composed = out.parts != 0 && apply_cpu(&COMPOSE, out, &mut w.composed, &mut w.scratch);
            let out = if composed { &w.composed } else { out };
            let same_shape = |g: &Canvas| g.parts == 0 && g.rows == expected.rows() && g.cols == expected.cols();
            // with the free placing step, an output of another shape that lies at a position
            // other than row 0, column 0 (a crop's) is compared where `place` puts it (as it
            // is when it does not fit)
            let placed = job.place_finish && out.parts == 0 && !same_shape(out) && out.origin != (0, 0) && apply_cpu(&PLACE, out, &mut w.placed, &mut w.scratch);
            let out = if placed { &w.placed } else { out };
            // with the free finishing step, the output it makes is compared
            let compared = match job.paint_finish {
                Some(colour) if same_shape(out) => {
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
    (VALID | if exact { EXACT } else { 0 } | key, if with_print { print.finish_lanes() } else { [0; 4] })
}

/// The print `score_candidate` gives a candidate with an output: `step` on `state` (the
/// state's stored grids, one per input).
fn candidate_print(w: &mut Worker, job: &SearchJob, state: &[Stored], step: &Step) -> [u32; 4] {
    let mut print = StatePrint::new();
    w.sources.resize_with(1, Canvas::empty);
    for (stored, &target) in state.iter().zip(&job.targets) {
        stored.load(&mut w.sources[0], target);
        let applied = apply_cpu(step, &w.sources[0], &mut w.out, &mut w.scratch);
        debug_assert!(applied, "a print is asked only of a candidate with an output on every input");
        print.add_grid(print::canvas_print(&w.out));
    }
    print.finish_lanes()
}

thread_local! {
    /// Each thread's canvases for prints made on request (`Prints::OnRequest`).
    static PRINTER: std::cell::RefCell<Box<Worker>> = std::cell::RefCell::new(new_worker());
}

impl<'a> LevelExecutor<'a> for CpuLevels<'a> {
    fn max_candidates(&self) -> usize {
        MAX_CANDIDATES
    }

    fn begin(&mut self, jobs: &[&'a SearchJob]) -> Result<(), GpuError> {
        self.jobs = jobs.to_vec();
        self.frontier = jobs.iter().map(|j| j.inputs.iter().map(Stored::input).collect()).collect();
        Ok(())
    }

    fn expand(&mut self, segments: &[Segment], will_materialise: bool, consume: &mut dyn FnMut(&[u32], Prints)) -> Result<(), GpuError> {
        let total: usize = segments.iter().map(|s| s.states as usize * self.jobs[s.job as usize].steps.len()).sum();
        // On the last level only the candidates that would enter a task's best have their
        // print looked up (about keep times the log of a job's candidates): where a job has
        // many candidates, each of those prints is made when asked (the step applied again),
        // not every candidate's. Where it has few, most are asked for and making them all is
        // cheaper (the default run's depth 2: 5.2 s with every print made, 5.4 s on request,
        // against 38.2 s and 31.7 s at depth 3; first 40 and 4 eval tasks, 2 cores).
        let jobs_here = 1 + segments.windows(2).filter(|w| w[0].job != w[1].job).count();
        let with_prints = will_materialise || total / jobs_here < self.on_request_from;
        let mut scores = vec![0u32; total];
        let mut prints = vec![[0u32; 4]; if with_prints { total } else { 0 }];
        // One unit per state: its results are `steps` consecutive words (and prints).
        let mut units = Vec::new();
        let (mut rest_scores, mut rest_prints) = (&mut scores[..], &mut prints[..]);
        for seg in segments {
            let n = self.jobs[seg.job as usize].steps.len();
            for state in seg.first_state..seg.first_state + seg.states {
                let (s, more_s) = std::mem::take(&mut rest_scores).split_at_mut(n);
                let (p, more_p) = std::mem::take(&mut rest_prints).split_at_mut(if with_prints { n } else { 0 });
                (rest_scores, rest_prints) = (more_s, more_p);
                units.push((seg.job as usize, state as usize, s, p));
            }
        }
        let (jobs, frontier) = (&self.jobs, &self.frontier);
        units.into_par_iter().with_min_len(4).for_each_init(new_worker, |w, (job, state, scores, prints)| {
            let j = jobs[job];
            let n = j.inputs.len();
            w.sources.resize_with(n, Canvas::empty);
            for ((src, stored), &target) in w.sources.iter_mut().zip(&frontier[job][state * n..(state + 1) * n]).zip(&j.targets) {
                stored.load(src, target);
            }
            let scale = j.key_scale();
            for (i, (step, score)) in j.steps.iter().zip(scores.iter_mut()).enumerate() {
                let (word, print) = score_candidate(w, j, step, scale, with_prints);
                *score = word;
                if with_prints {
                    prints[i] = print;
                }
            }
        });
        if with_prints {
            consume(&scores, Prints::Made(&prints));
            return Ok(());
        }
        // candidate k: its segment (the last whose first candidate is <= k), state and step
        let mut firsts = Vec::with_capacity(segments.len());
        let mut candidates = 0usize;
        for seg in segments {
            firsts.push(candidates);
            candidates += seg.states as usize * self.jobs[seg.job as usize].steps.len();
        }
        let make = |k: usize| -> [u32; 4] {
            let si = firsts.partition_point(|&first| first <= k) - 1;
            let (seg, j) = (&segments[si], jobs[segments[si].job as usize]);
            let (n, a) = (j.inputs.len(), j.steps.len());
            let state = seg.first_state as usize + (k - firsts[si]) / a;
            let stored = &frontier[seg.job as usize][state * n..(state + 1) * n];
            PRINTER.with(|w| candidate_print(&mut w.borrow_mut(), j, stored, &j.steps[(k - firsts[si]) % a]))
        };
        consume(&scores, Prints::OnRequest { first: 0, make: &make });
        Ok(())
    }

    fn materialise(&mut self, chosen: &[Chosen]) -> Result<(), GpuError> {
        let (jobs, frontier) = (&self.jobs, &self.frontier);
        let made: Vec<Vec<Stored>> = chosen
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
                    .map(|(stored, &target)| {
                        stored.load(&mut w.sources[0], target);
                        let applied = apply_cpu(step, &w.sources[0], &mut w.out, &mut w.scratch);
                        debug_assert!(applied, "only candidates with outputs are chosen");
                        Stored::of(&w.out)
                    })
                    .collect()
            })
            .collect();
        let mut next: Vec<Vec<Stored>> = vec![Vec::new(); self.jobs.len()];
        for (c, grids) in chosen.iter().zip(made) {
            next[c.job as usize].extend(grids);
        }
        self.frontier = next;
        Ok(())
    }
}
