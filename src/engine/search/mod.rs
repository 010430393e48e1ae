//! Breadth-first enumeration of programs on tasks' train inputs (their test inputs riding
//! along: a state is its outputs on both, so a candidate that fails on a test input is
//! dropped at once), many tasks at once, with duplicate-state pruning. Level k+1 applies every step of each task's alphabet to every
//! state kept at level k (`level::LevelExecutor`: the CPU on all cores, or the GPU, where
//! the states' grids stay in device memory); each candidate comes back as an integer score
//! word and a 128-bit print of its outputs (`print`). The host deduplicates in a fixed
//! order (state-major, first wins), ranks (exact on every pair, then shorter, then the
//! cell-accuracy key, then order) and chooses the next frontier: every distinct state for
//! programs of up to 2 steps (so depth 3 is exhaustive), the best `max_states` by key
//! beyond. The last level is not expanded, so it is deduplicated only among the programs
//! it could return. Tasks are independent: a batch that does not fit in device memory is
//! split, with the same answers.
//!
//! Here: the options, results and entry points; `alphabet` a task's one-step programs from
//! the op table's rules; `levels` the host's side of the levels,
//! `results` the found programs and overlays made whole, `cpu` the CPU level executor, `print`
//! the 128-bit prints both executors compute.

pub mod alphabet;
mod cpu;
pub mod print;

use std::time::{Duration, Instant};

use anyhow::Result;
use rayon::prelude::*;

use super::compose::LayerMode;
use super::fingerprint::fingerprint;
use super::program::{Program, Step, MAX_STEPS};
use super::{Backend, Engine};
use crate::grid::Grid;

pub use super::level::SearchJob;

/// Program length a search reaches at most: three steps short of `MAX_STEPS`, leaving room
/// for the free compose of a list, the free placing and finishing steps
/// (`SearchJob::place_finish`, `paint_finish`).
pub const MAX_SEARCH_DEPTH: usize = MAX_STEPS - 3;

/// Program lengths whose states are all kept (no beam) by default: level 3 expands every
/// distinct 2-step state, so depth 3 is exhaustive.
pub const EXHAUSTIVE_STATE_LEN: usize = 2;

/// What to search.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// The steps each level may append.
    pub steps: Vec<Step>,
    /// Program length at most (1..=MAX_SEARCH_DEPTH).
    pub depth: usize,
    /// States longer than `exhaustive` steps kept per level at most (the best by cell
    /// accuracy, then order); shorter states are all kept.
    pub max_states: usize,
    pub exhaustive: usize,
    /// How many ranked programs to return.
    pub keep: usize,
    /// How many programs (the best by cell accuracy) may be layers of overlays (0: no
    /// overlays are composed).
    pub pieces: usize,
    /// Layers of an overlay at most.
    pub max_layers: usize,
    /// The free finishing step (`SearchJob::paint_finish`) where the train outputs allow it.
    pub finishing: bool,
    /// The free placing step (`SearchJob::place_finish`).
    pub placing: bool,
    /// Overlays may end by filling the cells no layer covers from 3x3 patches
    /// (`compose::compose`'s `fill`).
    pub filling: bool,
    pub backend: Option<Backend>,
}

impl SearchOptions {
    pub fn new(steps: Vec<Step>, limits: &SearchLimits, backend: Option<Backend>) -> SearchOptions {
        SearchOptions {
            steps,
            depth: limits.depth,
            max_states: limits.max_states,
            exhaustive: limits.exhaustive,
            keep: limits.keep,
            pieces: limits.pieces,
            max_layers: limits.max_layers,
            finishing: limits.finishing,
            placing: limits.placing,
            filling: limits.filling,
            backend,
        }
    }

    pub fn limits(&self) -> SearchLimits {
        SearchLimits { depth: self.depth, max_states: self.max_states, exhaustive: self.exhaustive, keep: self.keep, pieces: self.pieces, max_layers: self.max_layers, finishing: self.finishing, placing: self.placing, filling: self.filling }
    }
}

/// The settings a batch of searches shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchLimits {
    pub depth: usize,
    pub max_states: usize,
    /// Program lengths whose states are all expanded; longer ones are beamed to `max_states`.
    pub exhaustive: usize,
    pub keep: usize,
    pub pieces: usize,
    pub max_layers: usize,
    /// Whether jobs keep their free finishing step (`SearchJob::paint_finish`).
    pub finishing: bool,
    /// Whether jobs keep their free placing step (`SearchJob::place_finish`).
    pub placing: bool,
    /// Whether overlays may fill the cells no layer covers from 3x3 patches.
    pub filling: bool,
}

impl SearchLimits {
    /// The limits of a search that names none (`task:search`, `batt.enumerate`,
    /// `batt.search_all` in Lua, where `batt.search_defaults` shows them): the one place
    /// they are written.
    pub const DEFAULT: SearchLimits = SearchLimits { depth: 2, max_states: 5000, exhaustive: EXHAUSTIVE_STATE_LEN, keep: 20, pieces: 0, max_layers: 10, finishing: true, placing: true, filling: true };

    /// `job` as these limits search it: without its finishing step when `finishing` is
    /// off, without its placing step when `placing` is off.
    pub fn applied_to(&self, job: SearchJob) -> SearchJob {
        let job = if self.finishing { job } else { job.without_finishing() };
        if self.placing { job } else { job.without_placing() }
    }
}

impl Default for SearchLimits {
    fn default() -> SearchLimits {
        SearchLimits::DEFAULT
    }
}

/// Overlays returned per search at most.
const MAX_OVERLAYS: usize = 4;

/// What a search gives: its ranked programs, the overlays composed from its best pieces
/// (when no single program needs to be exact for them: see `compose`), and its stats.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchResult {
    pub found: Vec<Found>,
    pub overlays: Vec<Composed>,
    /// Each test output's predicted size (`size::predict`), None when no rule fits.
    pub test_sizes: Vec<Option<(usize, usize)>>,
    pub stats: SearchStats,
}

/// An overlay of found programs that reproduces every train output, or all but one (a
/// partial overlay): its layers in the order laid (first laid wins a cell), and its
/// outputs on the test inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Composed {
    pub layers: Vec<(Program, LayerMode)>,
    pub pairs: usize,
    /// Train outputs it reproduces (fewer than `pairs` for a partial overlay).
    pub pairs_exact: usize,
    pub cell_accuracy: f64,
    /// The sum of the layers' program lengths.
    pub length: usize,
    /// Every layer decides cells of two train pairs or more (`compose::Overlay::supported`).
    pub supported: bool,
    /// The cells no layer covers were filled from 3x3 patches (`compose::Overlay::filled`).
    pub filled: bool,
    pub test_outputs: Vec<Grid>,
}

impl Composed {
    /// E.g. `overlay(crop_largest as foreground; identity as whole)`, or with the uncovered
    /// cells filled, `overlay(identity as foreground; the rest from 3x3 patches)`.
    pub fn name(&self) -> String {
        let mut layers: Vec<String> = self.layers.iter().map(|(p, m)| format!("{p} as {}", m.name())).collect();
        if self.filled {
            layers.push("the rest from 3x3 patches".to_string());
        }
        format!("overlay({})", layers.join("; "))
    }
}

/// A program found, with its score on the train pairs and its outputs on the test inputs
/// (it has one for every test input: a candidate without one is never kept).
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub program: Program,
    pub pairs_exact: usize,
    pub pairs: usize,
    pub cell_accuracy: f64,
    pub test_outputs: Vec<Grid>,
}

impl Found {
    pub fn exact(&self) -> bool {
        self.pairs > 0 && self.pairs_exact == self.pairs
    }
}

/// What the search did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchStats {
    /// Step applications (candidates times inputs, train and test).
    pub evaluated: usize,
    /// Distinct programs kept (on the last level: every candidate with an output, as the
    /// last level is deduplicated only among the programs it returns).
    pub kept: usize,
    /// Candidates dropped because an earlier program gave the same outputs.
    pub duplicates: usize,
    pub levels: usize,
    /// It ran out of its owner's time budget (`SearchJob::budget`) and stopped early: its
    /// results are what it found by then (they depend on timing; cached as any result, so
    /// the task's own `task:search` and a watch re-run find the same).
    pub cut: bool,
    /// Where its time went (zero for a search answered from the cache or by a batch).
    pub timing: SearchTiming,
}

/// Where a search's wall time went: the device's compute (dispatch to fence), transfers to
/// and from it (upload, readback), evaluation on the CPU (rayon), and host work
/// (de-duplication, ranking, choosing the next frontier, then the results made whole).
/// The four add up to the wall time; `results` is the part of `host` that made the found
/// programs' outputs and composed the overlays (`results::to_found`, `sizes_and_overlays`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SearchTiming {
    pub device: Duration,
    pub transfers: Duration,
    pub cpu: Duration,
    pub host: Duration,
    pub results: Duration,
}

impl std::ops::AddAssign for SearchTiming {
    fn add_assign(&mut self, o: SearchTiming) {
        self.device += o.device;
        self.transfers += o.transfers;
        self.cpu += o.cpu;
        self.host += o.host;
        self.results += o.results;
    }
}

mod distinct;
mod levels;
mod results;

use levels::{run_jobs, Ranked, Searched};
use results::{sizes_and_overlays, to_found};

/// The key of a search in the caches: its alphabet, limits, train pairs and test inputs.
fn search_key(job: &SearchJob, limits: &SearchLimits) -> u128 {
    fingerprint(&(&job.steps, job.paint_finish, job.place_finish, (limits.depth, limits.max_states, limits.exhaustive, limits.keep, limits.pieces, limits.max_layers, limits.finishing, limits.placing, limits.filling), &job.inputs, &job.outputs))
}

/// Searches many tasks together (one level of all of them is one expand, or a few), on
/// `backend` (default: the engine's). Each result is what `enumerate` gives for that job;
/// the returned timing is the whole batch's. Results are cached whole (by their alphabet,
/// limits and train pairs): a re-run in watch mode repeats only the searches whose inputs
/// changed.
pub fn search_many(engine: &mut Engine, jobs: &[SearchJob], limits: &SearchLimits, backend: Option<Backend>) -> Result<(Vec<SearchResult>, SearchTiming)> {
    let keys: Vec<u128> = jobs.iter().map(|j| search_key(j, limits)).collect();
    let mut results: Vec<Option<SearchResult>> = vec![None; jobs.len()];
    if engine.use_cache {
        for (r, key) in results.iter_mut().zip(&keys) {
            if let Some(cached) = engine.search_cache.get(key) {
                engine.stats.cache_hits += cached.stats.evaluated as u64;
                engine.stats.items_added += cached.stats.evaluated as u64;
                let mut result = cached.clone();
                result.stats.timing = SearchTiming::default();
                *r = Some(result);
            }
        }
    }
    let todo: Vec<usize> = (0..jobs.len()).filter(|&i| results[i].is_none()).collect();
    engine.search_shares = vec![Duration::ZERO; jobs.len()];
    if todo.is_empty() {
        return Ok((results.into_iter().map(|r| r.expect("every search is cached")).collect(), SearchTiming::default()));
    }
    let todo_jobs: Vec<&SearchJob> = todo.iter().map(|&i| &jobs[i]).collect();
    let (started, before) = (Instant::now(), engine.stats.clone());
    let backend = backend.unwrap_or(engine.choice());
    let (ranked, in_executor) = engine.on_backend(
        backend,
        |gpu| run_jobs(&mut gpu.search_levels(), &todo_jobs, limits),
        // the CPU executor has no failure: its errors are only the device's
        || run_jobs(&mut cpu::CpuLevels::new(), &todo_jobs, limits).unwrap_or_default(),
    )?;
    let results_started = Instant::now();
    let made: Vec<(Vec<Found>, Vec<Option<(usize, usize)>>, Vec<Composed>, bool)> = todo_jobs
        .par_iter()
        .zip(&ranked)
        .map(|(job, r)| {
            let (found, found_sizes) = to_found(job, &r.found);
            // a search out of time composes no overlays, nor one whose results are made
            // past its deadline (composing is most of the results' time): it is cut there
            let late = job.deadline.is_some_and(|d| Instant::now() >= d) && !r.pool.is_empty();
            let pool: &[Ranked] = if r.stats.cut || late { &[] } else { &r.pool };
            let (sizes, overlays) = sizes_and_overlays(job, found_sizes, pool, limits);
            (found, sizes, overlays, late)
        })
        .collect();
    let results_made = results_started.elapsed();
    let d = engine.stats.since(&before);
    let (device, transfers) = (d.compute, d.upload + d.readback);
    let on_gpu = device + transfers > Duration::ZERO;
    let cpu = if on_gpu { Duration::ZERO } else { in_executor };
    let wall = started.elapsed();
    let timing = SearchTiming { device, transfers, cpu, host: wall.saturating_sub(device + transfers + cpu), results: results_made };
    let mut evaluated = 0u64;
    for ((&i, Searched { mut stats, share, .. }), (found, test_sizes, overlays, late)) in todo.iter().zip(ranked).zip(made) {
        stats.cut |= late;
        engine.search_shares[i] = share;
        evaluated += stats.evaluated as u64;
        let job = &jobs[i];
        // every step of the alphabet is applied to every state on every input
        let per_step = (stats.evaluated / job.steps.len().max(1)) as u64;
        for step in &job.steps {
            *engine.stats.per_op.entry(step.op.name().to_string()).or_default() += per_step;
        }
        let result = SearchResult { found, overlays, test_sizes, stats };
        // a search cut short by a time limit is not what the same search gives unhurried
        if engine.use_cache && !result.stats.cut {
            engine.search_cache.insert(keys[i], result.clone());
        }
        results[i] = Some(result);
    }
    engine.stats.items_added += evaluated;
    engine.stats.items_evaluated += evaluated;
    engine.stats.batches += 1;
    *engine.stats.per_tag.entry("enumerate".to_string()).or_default() += evaluated;
    Ok((results.into_iter().map(|r| r.expect("every search has a result")).collect(), timing))
}

/// Searches programs mapping `inputs` to `outputs` (the train pairs), with `tests` (test
/// inputs) riding along: `search_many` with one task, or the result a batch
/// (`Engine::ready_searches`) already made for it.
pub fn enumerate(engine: &mut Engine, inputs: &[Grid], outputs: &[Grid], tests: &[Grid], opts: &SearchOptions) -> Result<SearchResult> {
    enumerate_until(engine, inputs, outputs, tests, opts, None)
}

/// `enumerate`, stopping where it is at `deadline` (`SearchJob::deadline`; its result is
/// then marked `cut` and not cached). A result a batch left ready is returned whatever
/// the deadline.
pub fn enumerate_until(engine: &mut Engine, inputs: &[Grid], outputs: &[Grid], tests: &[Grid], opts: &SearchOptions, deadline: Option<std::time::Instant>) -> Result<SearchResult> {
    let limits = opts.limits();
    let job = limits.applied_to(SearchJob::new(inputs, outputs, tests, opts.steps.clone())).until(deadline);
    if let Some(ready) = engine.ready_searches.remove(&search_key(&job, &limits)) {
        return Ok(ready);
    }
    let (mut results, timing) = search_many(engine, std::slice::from_ref(&job), &limits, opts.backend)?;
    let mut result = results.pop().expect("one search, one result");
    result.stats.timing = timing;
    Ok(result)
}

/// What a batch of searches did.
#[derive(Debug, Clone, Default)]
pub struct BatchSummary {
    pub timing: SearchTiming,
    /// Step applications (candidates times inputs, train and test).
    pub evaluated: usize,
    /// (state, step) candidates, each evaluated on all of its task's inputs.
    pub candidates: usize,
    /// Each job's share of the batch's expand time, in job order (`Engine::search_shares`).
    pub shares: Vec<Duration>,
}

/// Runs `jobs` as one batch and leaves each result where `enumerate` (and so
/// `task:search`) finds it (until taken, or the next run clears them).
pub fn prepare(engine: &mut Engine, jobs: Vec<SearchJob>, limits: &SearchLimits, backend: Option<Backend>) -> Result<BatchSummary> {
    let jobs: Vec<SearchJob> = jobs.into_iter().map(|j| limits.applied_to(j)).collect();
    let (results, timing) = search_many(engine, &jobs, limits, backend)?;
    let mut summary = BatchSummary { timing, shares: std::mem::take(&mut engine.search_shares), ..BatchSummary::default() };
    for (job, result) in jobs.iter().zip(results) {
        summary.evaluated += result.stats.evaluated;
        summary.candidates += result.stats.evaluated / job.inputs.len().max(1);
        engine.ready_searches.insert(search_key(job, limits), result);
    }
    Ok(summary)
}

#[cfg(test)]
mod tests;
