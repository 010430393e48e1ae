//! The host's side of the breadth-first levels: each task's frontier, its kept programs
//! ranked, the duplicates it drops (by print, first wins), the next frontier it chooses and,
//! on the last level, each segment's best candidates with distinct new prints (chosen in
//! `distinct`). `run_group` drives a batch of tasks through a `LevelExecutor`, level by
//! level, chunk by chunk.

use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::distinct::{best_distinct_par, by_rank, PrehashedSet};
use super::print;
use super::SearchStats;
use crate::engine::level::{ChunkFeed, Chosen, LevelExecutor, Prints, SearchJob, Segment, EXACT, KEY_MASK};
use crate::engine::program::{Op, Step, MAX_STEPS};
use crate::engine::vulkan::GpuError;

use super::{SearchLimits, MAX_SEARCH_DEPTH};

/// A kept program before the final ranking: its steps inline, so keeping millions of them
/// allocates nothing; only the best `keep` become `Program`s.
#[derive(Clone, Copy)]
pub(super) struct Ranked {
    pub(super) steps: [Step; MAX_STEPS],
    pub(super) len: usize,
    pub(super) exact: bool,
    /// The cell-accuracy key of its score word.
    pub(super) key: u32,
    /// Level, then candidate index: the order in which it was found (the last tie-break).
    pub(super) order: (usize, u64),
}

/// A frontier state: its program.
#[derive(Clone, Copy)]
pub(super) struct State {
    pub(super) steps: [Step; MAX_STEPS],
    pub(super) len: usize,
}

/// A last-level candidate that may be returned: its score word, index and print.
#[derive(Clone, Copy)]
pub(super) struct LastCandidate {
    pub(super) score: u32,
    pub(super) index: u64,
    pub(super) print: u128,
}

/// The host side of one task's search.
pub(super) struct JobSearch {
    /// Prints of every state kept so far (the inputs first).
    seen: PrehashedSet,
    frontier: Vec<State>,
    /// This level's distinct candidates (state, step, key), in order.
    next: Vec<(u32, u32, u32)>,
    found: Vec<Ranked>,
    /// The best programs by cell accuracy (whatever their length): the overlays' pieces.
    pool: Vec<Ranked>,
    last: Vec<LastCandidate>,
    /// The last level's duplicates met by its passes (score word, index), counted when the
    /// level ends.
    last_duplicates: Vec<(u32, u64)>,
    stats: SearchStats,
}

impl JobSearch {
    fn new(job: &SearchJob) -> JobSearch {
        let mut seen = PrehashedSet::default();
        seen.insert(print::of_grids(&job.inputs));
        let empty = State { steps: [Step::new(Op::Identity); MAX_STEPS], len: 0 };
        JobSearch { seen, frontier: vec![empty], next: Vec::new(), found: Vec::new(), pool: Vec::new(), last: Vec::new(), last_duplicates: Vec::new(), stats: SearchStats::default() }
    }

    fn ranked(&self, job: &SearchJob, index: u64, score: u32, level: usize) -> Ranked {
        let a = job.steps.len() as u64;
        let from = self.frontier[(index / a) as usize];
        let mut steps = from.steps;
        steps[from.len] = job.steps[(index % a) as usize];
        Ranked { steps, len: from.len + 1, exact: score & EXACT != 0, key: score & KEY_MASK, order: (level, index) }
    }

    /// Takes in one segment's results (candidate `k` is state `first_state + k / steps`,
    /// step `k % steps`): at a level that is expanded, every distinct candidate is kept, in
    /// order; on the last level, only the best candidates that can still be returned.
    fn absorb(&mut self, job: &SearchJob, seg: &Segment, scores: &[u32], prints: Prints, level: usize, last: bool, limits: &SearchLimits) {
        let keep_pool = limits.pieces > 0;
        // the last level's best distinct candidates serve both the returned programs and the pool
        let keep = limits.keep.max(limits.pieces);
        let a = job.steps.len() as u64;
        let first = seg.first_state as u64 * a;
        if !last {
            for (k, &score) in scores.iter().enumerate() {
                if score == 0 {
                    continue;
                }
                if !self.seen.insert(print::lanes_to_u128(prints.get(k))) {
                    self.stats.duplicates += 1;
                    continue;
                }
                self.stats.kept += 1;
                let index = first + k as u64;
                let r = self.ranked(job, index, score, level);
                self.found.push(r);
                if keep_pool {
                    self.pool.push(r);
                }
                self.next.push(((index / a) as u32, (index % a) as u32, score & KEY_MASK));
            }
            return;
        }
        self.stats.kept += scores.iter().filter(|&&s| s != 0).count();
        if keep == 0 {
            return;
        }
        // The best `keep` candidates with distinct new prints: nothing ranked below them
        // can be among the `keep` returned (finish_level merges the segments' lists).
        let found = best_distinct_par(scores, prints, &self.seen, keep);
        self.last.extend(found.best.into_iter().map(|(score, k, print)| LastCandidate { score, index: first + k as u64, print }));
        self.last_duplicates.extend(found.duplicates.into_iter().map(|(score, k)| (score, first + k as u64)));
    }

    /// Ends a level: the last level's best distinct candidates join the found programs;
    /// otherwise the next frontier is chosen (every distinct state while programs are
    /// short, the best `max_states` by key beyond). Returns the chosen (state, step) pairs.
    fn finish_level(&mut self, job: &SearchJob, level: usize, last: bool, limits: &SearchLimits) -> Vec<(u32, u32)> {
        if last {
            let mut pool = std::mem::take(&mut self.last);
            pool.sort_unstable_by(|x, y| by_rank((x.score, x.index), (y.score, y.index)));
            let mut taken = PrehashedSet::default();
            // the last candidate taken, once `keep` are
            let mut cut = None;
            for c in pool {
                if taken.len() == limits.keep.max(limits.pieces) {
                    break;
                }
                if self.seen.contains(&c.print) || !taken.insert(c.print) {
                    self.stats.duplicates += 1;
                    self.stats.kept -= 1;
                    continue;
                }
                if taken.len() == limits.keep.max(limits.pieces) {
                    cut = Some(c);
                }
                let r = self.ranked(job, c.index, c.score, level);
                self.found.push(r);
                if limits.pieces > 0 {
                    self.pool.push(r);
                }
            }
            // the duplicates the segments' passes met, counted as a walk of the whole level
            // in rank order would: those ranked above the last candidate it takes
            let above_cut = |&(score, index): &(u32, u64)| cut.is_none_or(|c| by_rank((score, index), (c.score, c.index)).is_lt());
            let met = std::mem::take(&mut self.last_duplicates).iter().filter(|d| above_cut(d)).count();
            self.stats.duplicates += met;
            self.stats.kept -= met;
        }
        keep_first(&mut self.found, limits.keep, better);
        keep_first(&mut self.pool, limits.pieces, more_accurate);
        let mut next = std::mem::take(&mut self.next);
        // beyond the exhaustive lengths, the best `max_states`; and at every level no more
        // than one storage buffer of any conforming device holds (`max_frontier_states`)
        let room = max_frontier_states(job);
        let keep = if level + 1 > limits.exhaustive { limits.max_states.min(room) } else { room };
        if next.len() > keep {
            // the most promising states (stable: earlier first on ties)
            next.sort_by_key(|y| std::cmp::Reverse(y.2));
            next.truncate(keep);
        }
        let frontier: Vec<State> = next
            .iter()
            .map(|&(state, step, _)| {
                let from = self.frontier[state as usize];
                let mut steps = from.steps;
                steps[from.len] = job.steps[step as usize];
                State { steps, len: from.len + 1 }
            })
            .collect();
        self.frontier = if last { Vec::new() } else { frontier };
        next.into_iter().map(|(s, p, _)| (s, p)).collect()
    }
}

/// The least storage buffer every conforming Vulkan device allows (the specification's
/// minimum `maxStorageBufferRange`, 2^27 bytes).
pub(super) const LEAST_STORAGE_BUFFER_BYTES: usize = 1 << 27;

/// The largest record of one state on one input: a header word, a list's element headers
/// and 900 cells packed 4 to a word.
pub(super) const MAX_RECORD_BYTES: usize = 4 * (1 + crate::engine::ops::table::MAX_PARTS + crate::engine::ops::CELLS / 4);

/// How many states a job's next frontier keeps at most (the best by key), on every
/// executor alike: as many as one least storage buffer holds at the largest record size,
/// so one job's frontier fits any conforming device (on 5 inputs: 26,214 states; depth 3's
/// exhaustive second level meets it only on tasks with very many distinct states).
pub(super) fn max_frontier_states(job: &SearchJob) -> usize {
    (LEAST_STORAGE_BUFFER_BYTES / (job.inputs.len().max(1) * MAX_RECORD_BYTES)).max(1)
}

/// Best first: exact on every train pair, then shorter, then a higher cell-accuracy key,
/// then found earlier (a total order, since `order` is unique).
pub(super) fn better(a: &Ranked, b: &Ranked) -> std::cmp::Ordering {
    b.exact.cmp(&a.exact).then(a.len.cmp(&b.len)).then(b.key.cmp(&a.key)).then(a.order.cmp(&b.order))
}

/// Best first by cell-accuracy key alone, then found earlier (a total order).
pub(super) fn more_accurate(a: &Ranked, b: &Ranked) -> std::cmp::Ordering {
    b.key.cmp(&a.key).then(a.order.cmp(&b.order))
}

/// Keeps the first `keep` of `list` by the total order `order`, sorted: a selection, then
/// a sort of the few kept (the same result as sorting everything, in linear time).
pub(super) fn keep_first(list: &mut Vec<Ranked>, keep: usize, order: fn(&Ranked, &Ranked) -> std::cmp::Ordering) {
    if list.len() > keep {
        if keep == 0 {
            list.clear();
            return;
        }
        list.select_nth_unstable_by(keep - 1, order);
        list.truncate(keep);
    }
    list.sort_by(order);
}

/// One job's search before its programs are made: its ranked programs, its pieces, its stats.
#[derive(Default)]
pub(super) struct Searched {
    pub(super) found: Vec<Ranked>,
    pub(super) pool: Vec<Ranked>,
    pub(super) stats: SearchStats,
    /// Its share of the expands' time (see `Budgets`).
    pub(super) share: Duration,
}

/// `BATT_SEARCH_HOST_PROFILE=1`: where a batch's search time went on the host's side of the
/// levels, written to stderr when the batch ends (a measurement knob, docs/performance.md):
/// planning the chunks, the executor's expands (device dispatches included) apart from
/// absorbing their results, absorbing, ending the levels, materialising.
#[derive(Default)]
struct HostProfile {
    expands: usize,
    plan: Duration,
    expand: Duration,
    absorb: Duration,
    finish: Duration,
    materialise: Duration,
}

impl HostProfile {
    fn report(&self, jobs: usize) {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        eprintln!(
            "search host profile: {jobs} jobs, {} expands; plan {:.1} ms, expand {:.1} ms (device dispatches included), absorb {:.1} ms, finish levels {:.1} ms, materialise {:.1} ms",
            self.expands,
            ms(self.plan),
            ms(self.expand),
            ms(self.absorb),
            ms(self.finish),
            ms(self.materialise)
        );
    }
}

/// One level's chunks as `run_group` gives them to the executor: a search out of its
/// owner's time, or past its deadline, is left out of the chunks asked for after that (only
/// a search that loses work is cut: one already done is not); each chunk's results are
/// absorbed by its jobs in parallel, and the time since the last chunk's results is charged
/// to the jobs of this one. The GPU asks for a chunk before the last one's results are
/// absorbed (and charged), so a job past its budget or deadline runs one chunk more there
/// than on the CPU; answers do not depend on it (budgets and deadlines are times).
struct LevelFeed<'f, 'a> {
    jobs: &'f [&'a SearchJob],
    searches: &'f mut [JobSearch],
    budgets: &'f mut Budgets,
    chunks: std::vec::IntoIter<Vec<Segment>>,
    level: usize,
    last: bool,
    limits: &'f SearchLimits,
    /// Time spent absorbing results.
    consumed: Duration,
    /// When the last chunk's results were absorbed (or the level began).
    since: Instant,
    expands: usize,
}

impl ChunkFeed for LevelFeed<'_, '_> {
    fn next_chunk(&mut self) -> Option<Vec<Segment>> {
        loop {
            let chunk = self.chunks.next()?;
            let now = Instant::now();
            for seg in &chunk {
                if self.jobs[seg.job as usize].deadline.is_some_and(|d| now >= d) {
                    self.budgets.cut[seg.job as usize] = true;
                }
            }
            let cut = &self.budgets.cut;
            let kept: Vec<Segment> = chunk.into_iter().filter(|seg| !cut[seg.job as usize]).collect();
            if !kept.is_empty() {
                self.expands += 1;
                return Some(kept);
            }
        }
    }

    fn consume(&mut self, chunk: &[Segment], scores: &[u32], prints: Prints) {
        let started = Instant::now();
        let jobs = self.jobs;
        // each job's segments in this chunk, and where their results start
        let mut per_job: Vec<Vec<(usize, usize)>> = vec![Vec::new(); jobs.len()];
        let mut offset = 0;
        for (si, seg) in chunk.iter().enumerate() {
            per_job[seg.job as usize].push((si, offset));
            offset += seg.states as usize * jobs[seg.job as usize].steps.len();
        }
        let (level, last, limits) = (self.level, self.last, self.limits);
        self.searches.par_iter_mut().zip(&per_job).enumerate().filter(|(_, (_, segs))| !segs.is_empty()).for_each(|(j, (s, segs))| {
            for &(si, offset) in segs {
                let seg = &chunk[si];
                let n = seg.states as usize * jobs[j].steps.len();
                s.absorb(jobs[j], seg, &scores[offset..offset + n], prints.from(offset), level, last, limits);
            }
        });
        let now = Instant::now();
        self.consumed += now - started;
        self.budgets.charge(jobs, chunk, now - self.since);
        self.since = now;
    }
}

/// Runs the searches of `jobs` together, level by level, on `exec`. Returns each job's
/// ranked programs and stats, and the time spent in the executor.
pub(super) fn run_group<'a, E: LevelExecutor<'a>>(exec: &mut E, jobs: &[&'a SearchJob], limits: &SearchLimits) -> Result<(Vec<Searched>, Duration), GpuError> {
    let mut in_executor = Duration::ZERO;
    let started = Instant::now();
    exec.begin(jobs)?;
    in_executor += started.elapsed();
    let mut searches: Vec<JobSearch> = jobs.iter().map(|j| JobSearch::new(j)).collect();
    let mut budgets = Budgets::new(jobs);
    let mut profile = std::env::var_os("BATT_SEARCH_HOST_PROFILE").map(|_| HostProfile::default());
    let depth = limits.depth.clamp(1, MAX_SEARCH_DEPTH);
    let max = exec.max_candidates().max(1);
    for level in 0..depth {
        // expands small enough for the budgets and the deadlines (the time left to a
        // deadline shrinks level by level, and so do they)
        let max_items = exec.max_items().min(budget_grain(jobs)).max(1);
        let last = level + 1 == depth;
        let planned = Instant::now();
        // Each job's frontier as segments, packed into expands of at most `max` candidates
        // and `max_items` items (a large frontier is split by states). Chunking changes no
        // answer: each job absorbs its states in order, whatever the chunks.
        let mut chunks: Vec<Vec<Segment>> = Vec::new();
        let (mut chunk, mut room, mut room_items) = (Vec::new(), max, max_items);
        for (j, (job, s)) in jobs.iter().zip(&mut searches).enumerate() {
            let a = job.steps.len();
            if a == 0 || s.frontier.is_empty() || job.inputs.is_empty() {
                continue;
            }
            let per_state_items = a * job.inputs.len();
            s.stats.levels += 1;
            s.stats.evaluated += s.frontier.len() * per_state_items;
            let mut first = 0;
            while first < s.frontier.len() {
                if (room < a || room_items < per_state_items) && !chunk.is_empty() {
                    chunks.push(std::mem::take(&mut chunk));
                    room = max;
                    room_items = max_items;
                }
                let states = (room / a).min(room_items / per_state_items).max(1).min(s.frontier.len() - first);
                chunk.push(Segment { job: j as u32, first_state: first as u32, states: states as u32 });
                room = room.saturating_sub(states * a);
                room_items = room_items.saturating_sub(states * per_state_items);
                first += states;
            }
        }
        if !chunk.is_empty() {
            chunks.push(chunk);
        }
        if chunks.is_empty() {
            break;
        }
        if let Some(p) = profile.as_mut() {
            p.plan += planned.elapsed();
        }
        let started = Instant::now();
        let mut feed = LevelFeed {
            jobs,
            searches: &mut searches,
            budgets: &mut budgets,
            chunks: chunks.into_iter(),
            level,
            last,
            limits,
            consumed: Duration::ZERO,
            since: started,
            expands: 0,
        };
        exec.expand_chunks(!last, &mut feed)?;
        let (consumed, expands) = (feed.consumed, feed.expands);
        in_executor += started.elapsed().saturating_sub(consumed);
        if let Some(p) = profile.as_mut() {
            p.expands += expands;
            p.expand += started.elapsed().saturating_sub(consumed);
            p.absorb += consumed;
        }
        let finishing = Instant::now();
        let cut = &budgets.cut;
        let now = Instant::now();
        let chosen: Vec<Chosen> = searches
            .par_iter_mut()
            .enumerate()
            .map(|(j, s)| {
                let next = s.finish_level(jobs[j], level, last, limits);
                // past its deadline with levels still to go
                let late = !last && !next.is_empty() && jobs[j].deadline.is_some_and(|d| now >= d);
                if cut[j] || late {
                    // what it found stays; it goes no further
                    s.stats.cut = true;
                    s.frontier.clear();
                    return Vec::new();
                }
                next.into_iter().map(move |(state, step)| Chosen { job: j as u32, state, step }).collect::<Vec<_>>()
            })
            .flatten()
            .collect();
        if let Some(p) = profile.as_mut() {
            p.finish += finishing.elapsed();
        }
        if last || chosen.is_empty() {
            break;
        }
        let started = Instant::now();
        exec.materialise(&chosen)?;
        in_executor += started.elapsed();
        if let Some(p) = profile.as_mut() {
            p.materialise += started.elapsed();
        }
    }
    if let Some(p) = &profile {
        p.report(jobs.len());
    }
    Ok((searches.into_iter().zip(budgets.job_spent).map(|(s, share)| Searched { found: s.found, pool: s.pool, stats: s.stats, share }).collect(), in_executor))
}

/// Step applications per second of the smallest time budget that one expand may take:
/// budgets are checked between expands, so a tight `-t` makes them small (a search stops
/// within about one of them past its budget, two on the GPU, whose next expand runs while
/// the last one's results are absorbed); the default limit leaves them as the
/// executor makes them. The answers are the same whatever the chunks.
const ITEMS_PER_BUDGET_SECOND: f64 = 2e6;

/// How many times at least a deadline is looked at before it comes: an expand takes at most
/// this fraction of the time left to the nearest deadline (at `ITEMS_PER_BUDGET_SECOND`).
const DEADLINE_CHECKS: f64 = 16.0;

fn budget_grain(jobs: &[&SearchJob]) -> usize {
    let by_budget = jobs.iter().filter_map(|j| j.budget).min().map_or(usize::MAX, |b| (b.as_secs_f64() * ITEMS_PER_BUDGET_SECOND) as usize);
    let now = Instant::now();
    let by_deadline = jobs.iter().filter_map(|j| j.deadline).min().map_or(usize::MAX, |d| (d.saturating_duration_since(now).as_secs_f64() * ITEMS_PER_BUDGET_SECOND / DEADLINE_CHECKS) as usize);
    by_budget.min(by_deadline)
}

/// The time each owner's searches have taken (`SearchJob::budget`): an expand's time is
/// shared among the jobs in it by their items; an owner past its budget has its jobs cut
/// (a job past its deadline, `SearchJob::deadline`, is cut where it would lose work:
/// `run_group`).
struct Budgets {
    spent: std::collections::HashMap<usize, Duration>,
    job_spent: Vec<Duration>,
    cut: Vec<bool>,
}

impl Budgets {
    fn new(jobs: &[&SearchJob]) -> Budgets {
        Budgets { spent: Default::default(), job_spent: vec![Duration::ZERO; jobs.len()], cut: vec![false; jobs.len()] }
    }

    fn charge(&mut self, jobs: &[&SearchJob], chunk: &[Segment], took: Duration) {
        let items = |seg: &Segment| seg.states as u64 * (jobs[seg.job as usize].steps.len() * jobs[seg.job as usize].inputs.len()) as u64;
        let total: u64 = chunk.iter().map(items).sum::<u64>().max(1);
        for seg in chunk {
            let share = took.mul_f64(items(seg) as f64 / total as f64);
            self.job_spent[seg.job as usize] += share;
            *self.spent.entry(jobs[seg.job as usize].owner).or_default() += share;
        }
        for (j, job) in jobs.iter().enumerate() {
            if let Some(budget) = job.budget {
                if self.spent.get(&job.owner).is_some_and(|&spent| spent >= budget) {
                    self.cut[j] = true;
                }
            }
        }
    }
}

/// `run_group`, splitting the batch in halves when it does not fit in device memory (tasks
/// are independent, so the answers are the same).
pub(super) fn run_jobs<'a, E: LevelExecutor<'a>>(exec: &mut E, jobs: &[&'a SearchJob], limits: &SearchLimits) -> Result<(Vec<Searched>, Duration), GpuError> {
    match run_group(exec, jobs, limits) {
        Err(GpuError::OutOfMemory(_)) if jobs.len() > 1 => {
            let (a, b) = jobs.split_at(jobs.len() / 2);
            let (mut first, t1) = run_jobs(exec, a, limits)?;
            let (second, t2) = run_jobs(exec, b, limits)?;
            first.extend(second);
            Ok((first, t1 + t2))
        }
        other => other,
    }
}

