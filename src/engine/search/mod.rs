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

mod cpu;
pub mod print;

use std::collections::HashSet;
use std::hash::Hasher;
use std::time::{Duration, Instant};

use anyhow::Result;
use rayon::prelude::*;

use super::compose::{compose, LayerMode, Piece};
use super::fingerprint::fingerprint;
use super::size;
use super::level::{Chosen, LevelExecutor, Segment, EXACT, KEY_MASK};
use super::program::{Op, Program, Step, MAX_STEPS};
use super::score::PairScore;
use super::{Backend, Engine};
use crate::engine::vulkan::GpuError;
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
    /// Where its time went (zero for a search answered from the cache or by a batch).
    pub timing: SearchTiming,
}

/// Where a search's wall time went: the device's compute (dispatch to fence), transfers to
/// and from it (upload, readback), evaluation on the CPU (rayon), and host work
/// (de-duplication, ranking, choosing the next frontier). The four add up to the wall time.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SearchTiming {
    pub device: Duration,
    pub transfers: Duration,
    pub cpu: Duration,
    pub host: Duration,
}

impl std::ops::AddAssign for SearchTiming {
    fn add_assign(&mut self, o: SearchTiming) {
        self.device += o.device;
        self.transfers += o.transfers;
        self.cpu += o.cpu;
        self.host += o.host;
    }
}

/// A kept program before the final ranking: its steps inline, so keeping millions of them
/// allocates nothing; only the best `keep` become `Program`s.
#[derive(Clone, Copy)]
struct Ranked {
    steps: [Step; MAX_STEPS],
    len: usize,
    exact: bool,
    /// The cell-accuracy key of its score word.
    key: u32,
    /// Level, then candidate index: the order in which it was found (the last tie-break).
    order: (usize, u64),
}

/// A frontier state: its program.
#[derive(Clone, Copy)]
struct State {
    steps: [Step; MAX_STEPS],
    len: usize,
}

/// A last-level candidate that may be returned: its score word, index and print.
#[derive(Clone, Copy)]
struct LastCandidate {
    score: u32,
    index: u64,
    print: u128,
}

/// Hashes an already-hashed u128 key by taking its low half (no second hashing).
#[derive(Default)]
struct PrehashedKey(u64);

impl Hasher for PrehashedKey {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u128(&mut self, v: u128) {
        self.0 = v as u64;
    }
}

type PrehashedSet = HashSet<u128, std::hash::BuildHasherDefault<PrehashedKey>>;

/// Best first by score word (exact, then key), then by index.
fn by_rank(a: (u32, u64), b: (u32, u64)) -> std::cmp::Ordering {
    b.0.cmp(&a.0).then(a.1.cmp(&b.1))
}

/// The best `wanted` candidates with an output (score word, index), best first by
/// `by_rank`: a bounded heap whose top is the worst kept, so almost every candidate costs
/// one comparison.
fn best_candidates(scores: &[u32], wanted: usize) -> Vec<(u32, u32)> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    // Reverse((score, Reverse(index))): the heap's top is the lowest score, latest index.
    let mut heap: BinaryHeap<Reverse<(u32, Reverse<u32>)>> = BinaryHeap::with_capacity(wanted.min(scores.len()) + 1);
    for (k, &score) in scores.iter().enumerate() {
        if score == 0 {
            continue;
        }
        if heap.len() < wanted {
            heap.push(Reverse((score, Reverse(k as u32))));
        } else if heap.peek().is_some_and(|top| score > top.0 .0) {
            // a later index never beats an equal score: only a higher one enters
            heap.pop();
            heap.push(Reverse((score, Reverse(k as u32))));
        }
    }
    heap.into_sorted_vec().into_iter().map(|Reverse((score, Reverse(k)))| (score, k)).collect()
}

/// `best_candidates` of a long run of scores, its parts scanned in parallel: the best
/// `wanted` of every part, merged (the same list, as the order is total).
fn best_candidates_par(scores: &[u32], wanted: usize) -> Vec<(u32, u32)> {
    const PART: usize = 1 << 18;
    if scores.len() <= PART {
        return best_candidates(scores, wanted);
    }
    let mut all: Vec<(u32, u32)> = scores.par_chunks(PART).enumerate().flat_map_iter(|(p, part)| best_candidates(part, wanted).into_iter().map(move |(score, k)| (score, k + (p * PART) as u32))).collect();
    all.sort_unstable_by(|a, b| by_rank((a.0, a.1 as u64), (b.0, b.1 as u64)));
    all.truncate(wanted);
    all
}

/// A segment of the last level still being walked (`JobSearch::walk_last`): where its
/// scores lie in the expand's, how many of its best candidates are wanted, those found
/// (best first) and the prints of the first of them, asked for so far.
struct OpenSegment {
    si: usize,
    offset: usize,
    len: usize,
    wanted: usize,
    best: Vec<(u32, u32)>,
    prints: Vec<[u32; 4]>,
}

/// The host side of one task's search.
struct JobSearch {
    /// Prints of every state kept so far (the inputs first).
    seen: PrehashedSet,
    frontier: Vec<State>,
    /// This level's distinct candidates (state, step, key), in order.
    next: Vec<(u32, u32, u32)>,
    found: Vec<Ranked>,
    /// The best programs by cell accuracy (whatever their length): the overlays' pieces.
    pool: Vec<Ranked>,
    last: Vec<LastCandidate>,
    stats: SearchStats,
}

impl JobSearch {
    fn new(job: &SearchJob) -> JobSearch {
        let mut seen = PrehashedSet::default();
        seen.insert(print::of_grids(&job.inputs));
        let empty = State { steps: [Step::new(Op::Identity); MAX_STEPS], len: 0 };
        JobSearch { seen, frontier: vec![empty], next: Vec::new(), found: Vec::new(), pool: Vec::new(), last: Vec::new(), stats: SearchStats::default() }
    }

    fn ranked(&self, job: &SearchJob, index: u64, score: u32, level: usize) -> Ranked {
        let a = job.steps.len() as u64;
        let from = self.frontier[(index / a) as usize];
        let mut steps = from.steps;
        steps[from.len] = job.steps[(index % a) as usize];
        Ranked { steps, len: from.len + 1, exact: score & EXACT != 0, key: score & KEY_MASK, order: (level, index) }
    }

    /// Takes in one segment's results at a level that is expanded (candidate `k` is state
    /// `first_state + k / steps`, step `k % steps`): every distinct candidate is kept, in order.
    fn absorb(&mut self, job: &SearchJob, seg: &Segment, scores: &[u32], prints: &[[u32; 4]], level: usize, limits: &SearchLimits) {
        let keep_pool = limits.pieces > 0;
        let a = job.steps.len() as u64;
        let first = seg.first_state as u64 * a;
        for (k, (&score, lanes)) in scores.iter().zip(prints).enumerate() {
            if score == 0 {
                continue;
            }
            if !self.seen.insert(print::lanes_to_u128(*lanes)) {
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
    }

    /// On the last level, one segment's best candidates (`best`, by `best_candidates` from
    /// `wanted`, with their prints) walked in rank order until `keep` distinct new prints
    /// are met: nothing ranked below them can be among the `keep` returned, so they are
    /// kept for `finish_level`. False when too few were distinct and more are ranked
    /// below: the walk must be widened.
    fn walk_last(&mut self, first: u64, best: &[(u32, u32)], prints: &[[u32; 4]], keep: usize, wanted: usize) -> bool {
        let mut distinct = PrehashedSet::default();
        let mut walked = best.len();
        for (w, lanes) in prints.iter().enumerate() {
            let p = print::lanes_to_u128(*lanes);
            if !self.seen.contains(&p) && distinct.insert(p) && distinct.len() == keep {
                walked = w + 1;
                break;
            }
        }
        if distinct.len() < keep && best.len() == wanted {
            return false;
        }
        for (&(score, k), lanes) in best[..walked].iter().zip(prints) {
            self.last.push(LastCandidate { score, index: first + k as u64, print: print::lanes_to_u128(*lanes) });
        }
        true
    }

    /// Ends a level: the last level's best distinct candidates join the found programs;
    /// otherwise the next frontier is chosen (every distinct state while programs are
    /// short, the best `max_states` by key beyond). Returns the chosen (state, step) pairs.
    fn finish_level(&mut self, job: &SearchJob, level: usize, last: bool, limits: &SearchLimits) -> Vec<(u32, u32)> {
        if last {
            let mut pool = std::mem::take(&mut self.last);
            pool.sort_unstable_by(|x, y| by_rank((x.score, x.index), (y.score, y.index)));
            let mut taken = PrehashedSet::default();
            for c in pool {
                if taken.len() == limits.keep.max(limits.pieces) {
                    break;
                }
                if self.seen.contains(&c.print) || !taken.insert(c.print) {
                    self.stats.duplicates += 1;
                    self.stats.kept -= 1;
                    continue;
                }
                let r = self.ranked(job, c.index, c.score, level);
                self.found.push(r);
                if limits.pieces > 0 {
                    self.pool.push(r);
                }
            }
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
const LEAST_STORAGE_BUFFER_BYTES: usize = 1 << 27;

/// The largest record of one state on one input: a header word, a list's element headers
/// and 900 cells packed 4 to a word.
const MAX_RECORD_BYTES: usize = 4 * (1 + super::ops::table::MAX_PARTS + super::ops::CELLS / 4);

/// How many states a job's next frontier keeps at most (the best by key), on every
/// executor alike: as many as one least storage buffer holds at the largest record size,
/// so one job's frontier fits any conforming device (on 5 inputs: 26,214 states; depth 3's
/// exhaustive second level meets it only on tasks with very many distinct states).
fn max_frontier_states(job: &SearchJob) -> usize {
    (LEAST_STORAGE_BUFFER_BYTES / (job.inputs.len().max(1) * MAX_RECORD_BYTES)).max(1)
}

/// Best first: exact on every train pair, then shorter, then a higher cell-accuracy key,
/// then found earlier (a total order, since `order` is unique).
fn better(a: &Ranked, b: &Ranked) -> std::cmp::Ordering {
    b.exact.cmp(&a.exact).then(a.len.cmp(&b.len)).then(b.key.cmp(&a.key)).then(a.order.cmp(&b.order))
}

/// Best first by cell-accuracy key alone, then found earlier (a total order).
fn more_accurate(a: &Ranked, b: &Ranked) -> std::cmp::Ordering {
    b.key.cmp(&a.key).then(a.order.cmp(&b.order))
}

/// Keeps the first `keep` of `list` by the total order `order`, sorted: a selection, then
/// a sort of the few kept (the same result as sorting everything, in linear time).
fn keep_first(list: &mut Vec<Ranked>, keep: usize, order: fn(&Ranked, &Ranked) -> std::cmp::Ordering) {
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
struct Searched {
    found: Vec<Ranked>,
    pool: Vec<Ranked>,
    stats: SearchStats,
}

/// Runs the searches of `jobs` together, level by level, on `exec`. Returns each job's
/// ranked programs and stats, and the time spent in the executor.
fn run_group<'a, E: LevelExecutor<'a>>(exec: &mut E, jobs: &[&'a SearchJob], limits: &SearchLimits) -> Result<(Vec<Searched>, Duration), GpuError> {
    let mut in_executor = Duration::ZERO;
    let started = Instant::now();
    exec.begin(jobs)?;
    in_executor += started.elapsed();
    let mut searches: Vec<JobSearch> = jobs.iter().map(|j| JobSearch::new(j)).collect();
    let depth = limits.depth.clamp(1, MAX_SEARCH_DEPTH);
    let (max, max_items) = (exec.max_candidates().max(1), exec.max_items().max(1));
    for level in 0..depth {
        let last = level + 1 == depth;
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
        for chunk in &chunks {
            // each job's segments in this chunk, and where their results start
            let mut per_job: Vec<Vec<(usize, usize)>> = vec![Vec::new(); jobs.len()];
            let mut offset = 0;
            for (si, seg) in chunk.iter().enumerate() {
                per_job[seg.job as usize].push((si, offset));
                offset += seg.states as usize * jobs[seg.job as usize].steps.len();
            }
            let started = Instant::now();
            let mut consumed = Duration::ZERO;
            if !last {
                exec.expand(chunk, true, &mut |scores, prints| {
                    let consume_started = Instant::now();
                    searches.par_iter_mut().zip(&per_job).enumerate().filter(|(_, (_, segs))| !segs.is_empty()).for_each(|(j, (s, segs))| {
                        for &(si, offset) in segs {
                            let n = chunk[si].states as usize * jobs[j].steps.len();
                            s.absorb(jobs[j], &chunk[si], &scores[offset..offset + n], &prints[offset..offset + n], level, limits);
                        }
                    });
                    consumed += consume_started.elapsed();
                })?;
                in_executor += started.elapsed().saturating_sub(consumed);
                continue;
            }
            // The last level: score words only; each segment's best candidates are bounded
            // on the host and only theirs are printed (`prints_of`).
            let mut scores = Vec::new();
            exec.expand(chunk, false, &mut |words, _| scores = words.to_vec())?;
            in_executor += started.elapsed();
            let keep = limits.keep.max(limits.pieces);
            searches.par_iter_mut().zip(&per_job).enumerate().for_each(|(j, (s, segs))| {
                for &(si, offset) in segs {
                    let n = chunk[si].states as usize * jobs[j].steps.len();
                    s.stats.kept += scores[offset..offset + n].iter().filter(|&&w| w != 0).count();
                }
            });
            if keep == 0 {
                continue;
            }
            // per job, its segments still walking, each with the best candidates found and
            // the prints of those asked so far (a wider walk asks only for the new ones)
            let mut open: Vec<Vec<OpenSegment>> = per_job
                .iter()
                .enumerate()
                .map(|(j, segs)| segs.iter().map(|&(si, offset)| OpenSegment { si, offset, len: chunk[si].states as usize * jobs[j].steps.len(), wanted: keep.saturating_mul(2).max(16), best: Vec::new(), prints: Vec::new() }).collect())
                .collect();
            while open.iter().any(|segs| !segs.is_empty()) {
                open.par_iter_mut().flatten().for_each(|o| o.best = best_candidates_par(&scores[o.offset..o.offset + o.len], o.wanted));
                let request: Vec<u32> = open.iter().flatten().flat_map(|o| o.best[o.prints.len()..].iter().map(move |&(_, k)| (o.offset + k as usize) as u32)).collect();
                let started = Instant::now();
                let mut prints = exec.prints_of(&request)?.into_iter();
                in_executor += started.elapsed();
                for o in open.iter_mut().flatten() {
                    let asked = o.best.len() - o.prints.len();
                    o.prints.extend(prints.by_ref().take(asked));
                }
                searches.par_iter_mut().zip(open.par_iter_mut()).enumerate().for_each(|(j, (s, segs))| {
                    segs.retain_mut(|o| {
                        let first = chunk[o.si].first_state as u64 * jobs[j].steps.len() as u64;
                        let done = s.walk_last(first, &o.best, &o.prints, keep, o.wanted);
                        o.wanted = o.wanted.saturating_mul(4);
                        !done
                    });
                });
            }
        }
        let chosen: Vec<Chosen> = searches
            .par_iter_mut()
            .enumerate()
            .map(|(j, s)| s.finish_level(jobs[j], level, last, limits).into_iter().map(move |(state, step)| Chosen { job: j as u32, state, step }).collect::<Vec<_>>())
            .flatten()
            .collect();
        if last || chosen.is_empty() {
            break;
        }
        let started = Instant::now();
        exec.materialise(&chosen)?;
        in_executor += started.elapsed();
    }
    Ok((searches.into_iter().map(|s| Searched { found: s.found, pool: s.pool, stats: s.stats }).collect(), in_executor))
}

/// `run_group`, splitting the batch in halves when it does not fit in device memory (tasks
/// are independent, so the answers are the same).
fn run_jobs<'a, E: LevelExecutor<'a>>(exec: &mut E, jobs: &[&'a SearchJob], limits: &SearchLimits) -> Result<(Vec<Searched>, Duration), GpuError> {
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

/// The ranked programs as `Found`, each scored exactly on the train pairs and holding its
/// test outputs (its grids made once on the CPU: only the returned programs' grids are
/// ever materialised on the host).
/// Also returns each program's output sizes on every input (seeds of `size::predict`).
/// A program whose finished outputs repeat a better-ranked one's (a placed crop that
/// equals an unplaced state, `crop_content | place` beside `identity`) is left out.
fn to_found(job: &SearchJob, ranked: &[Ranked]) -> (Vec<Found>, Vec<size::Seed>) {
    let train = job.train_count();
    let mut seen = HashSet::from([print::of_grids(&job.inputs)]);
    ranked
        .iter()
        .filter_map(|r| {
            // a kept candidate has an output on every input (its score word was not 0)
            let (program, outputs) = finished_outputs(job, r);
            seen.insert(print::of_grids(&outputs)).then_some((program, outputs))
        })
        .map(|(program, outputs)| {
            let score = PairScore::of_outputs(outputs[..train].iter().map(Some), &job.outputs);
            let sizes = outputs.iter().map(|g| (g.rows(), g.cols())).collect();
            let test_outputs = outputs[train..].to_vec();
            (Found { program, pairs_exact: score.pairs_exact, pairs: train, cell_accuracy: score.cell_accuracy, test_outputs }, sizes)
        })
        .unzip()
}

fn program_of(r: &Ranked) -> Program {
    Program::new(r.steps[..r.len].to_vec()).expect("depth is below MAX_STEPS")
}

/// `grid` after the finishing step for `colour` (`SearchJob::finishing_step`): every
/// non-zero cell `colour`.
fn painted(grid: &Grid, colour: u8) -> Grid {
    Grid::from_cells(grid.rows(), grid.cols(), grid.cells().iter().map(|&c| if c == 0 { 0 } else { colour }).collect()).expect("the same shape")
}

/// The non-background colours every one of `outputs` has, in increasing order.
fn shared_foreground_colours(outputs: &[Grid]) -> Vec<u8> {
    (1..10u8).filter(|&c| !outputs.is_empty() && outputs.iter().all(|g| g.cells().contains(&c))).collect()
}

/// A kept program's outputs on every input (train, then test), with `compose` appended
/// where its result is a list (the free compose), then the free placing step
/// (`SearchJob::place_finish`) appended where the scoring placed every train output of
/// another size than its pair's (each lies at a position other than row 0, column 0) and
/// the placed program has an output on every input, then the free finishing step
/// (`SearchJob::paint_finish`) where that changes an output: the program its score word
/// scored. (Where the placed program has no output on a test input, or only some train
/// outputs were placed, the program is returned unplaced with its own outputs; `Found`
/// scores those.)
fn finished_outputs(job: &SearchJob, r: &Ranked) -> (Program, Vec<Grid>) {
    let run = |program: &Program| -> Option<Vec<(Grid, (usize, usize))>> {
        job.inputs.iter().zip(&job.targets).map(|(g, &target)| crate::engine::cpu::run_program_positioned(program, g, target)).collect()
    };
    let mut program = program_of(r);
    let made = match run(&program) {
        Some(made) => made,
        None => {
            // a list state, scored as compose lays it out (the free compose)
            let mut steps = program.steps().to_vec();
            steps.push(Step::new(Op::Compose));
            program = Program::new(steps).expect("a search program leaves room for its compose step");
            run(&program).expect("a kept program has an output on every input")
        }
    };
    let train = job.train_count();
    let mut outputs: Vec<Grid> = made.iter().map(|(g, _)| g.clone()).collect();
    let misshapen: Vec<&(Grid, (usize, usize))> = made[..train].iter().zip(&job.outputs).filter(|((g, _), t)| !g.same_shape(t)).map(|(m, _)| m).collect();
    if job.place_finish && !misshapen.is_empty() && misshapen.iter().all(|(_, origin)| *origin != (0, 0)) {
        let mut steps = program.steps().to_vec();
        steps.push(Step::new(Op::Place));
        let placed_program = Program::new(steps).expect("a search program leaves room for its placing step");
        if let Some(placed) = run(&placed_program) {
            program = placed_program;
            outputs = placed.into_iter().map(|(g, _)| g).collect();
        }
    }
    let Some(colour) = job.paint_finish else { return (program, outputs) };
    let painted: Vec<Grid> = outputs.iter().map(|g| painted(g, colour)).collect();
    if painted == outputs {
        return (program, outputs);
    }
    let mut steps = program.steps().to_vec();
    steps.push(SearchJob::finishing_step(colour));
    (Program::new(steps).expect("a search program leaves room for its finishing step"), painted)
}

/// The predicted test output sizes (`size::predict`, seeded by the inputs' sizes, then
/// `found_sizes`, the returned programs' output sizes, then the pool's) and the overlays of `pool`'s
/// programs (and the inputs themselves, as `identity`) that reproduce every train output,
/// each program's outputs made once on the CPU.
fn sizes_and_overlays(job: &SearchJob, found_sizes: Vec<size::Seed>, pool: &[Ranked], limits: &SearchLimits) -> (Vec<Option<(usize, usize)>>, Vec<Composed>) {
    let train = job.train_count();
    let mut programs = vec![Program::new(vec![Step::new(Op::Identity)]).expect("one step")];
    let mut lengths = vec![0];
    let mut outputs: Vec<Vec<Grid>> = vec![job.inputs.clone()];
    // a piece whose outputs repeat an earlier one's (a placed crop equal to an unplaced
    // state) is left out
    let mut seen: HashSet<u128> = HashSet::from([print::of_grids(&job.inputs)]);
    for r in pool {
        let (program, made) = finished_outputs(job, r);
        if !seen.insert(print::of_grids(&made)) {
            continue;
        }
        outputs.push(made);
        programs.push(program);
        lengths.push(r.len);
    }
    if limits.finishing {
        // the free finishing paint for layers: each piece also in each colour every train
        // output has (where that changes it), at no depth
        let colours = shared_foreground_colours(&job.outputs);
        // painting merges colours: only a painted piece unlike every piece so far joins
        let mut distinct: std::collections::HashSet<u128> = outputs.iter().map(print::of_grids).collect();
        for k in 0..programs.len() {
            // only a piece of the train outputs' shapes can be a layer
            if programs[k].steps().len() >= MAX_STEPS || !outputs[k][..train].iter().zip(&job.outputs).all(|(g, t)| g.same_shape(t)) {
                continue;
            }
            for &colour in &colours {
                let painted: Vec<Grid> = outputs[k].iter().map(|g| painted(g, colour)).collect();
                if !distinct.insert(print::of_grids(&painted)) {
                    continue;
                }
                let mut steps = programs[k].steps().to_vec();
                steps.push(SearchJob::finishing_step(colour));
                programs.push(Program::new(steps).expect("room was checked"));
                outputs.push(painted);
                lengths.push(lengths[k]);
            }
        }
    }
    let size_of = |g: &Grid| (g.rows(), g.cols());
    let mut seeds: Vec<size::Seed> = vec![job.inputs.iter().map(size_of).collect()];
    seeds.extend(found_sizes);
    seeds.extend(outputs[1..].iter().map(|o| o.iter().map(size_of).collect()));
    let mut distinct = std::collections::HashSet::new();
    seeds.retain(|s| distinct.insert(s.clone()));
    let sizes = size::predict(&seeds, &job.outputs.iter().map(size_of).collect::<Vec<_>>());
    if pool.is_empty() || limits.max_layers < 2 {
        return (sizes, Vec::new());
    }
    let shapes: Option<Vec<(usize, usize)>> = sizes.iter().copied().collect();
    let pieces: Vec<Piece> = outputs.iter().zip(&lengths).map(|(o, &length)| Piece { train: &o[..train], test: &o[train..], length }).collect();
    let overlays = compose(&job.outputs, &pieces, shapes.as_deref(), limits.max_layers, MAX_OVERLAYS, true, limits.filling)
        .into_iter()
        .map(|o| Composed {
            layers: o.layers.iter().map(|&(p, mode)| (programs[p].clone(), mode)).collect(),
            pairs: train,
            pairs_exact: o.pairs_exact,
            cell_accuracy: o.cell_accuracy,
            length: o.length,
            supported: o.supported,
            filled: o.filled,
            test_outputs: o.test_outputs,
        })
        .collect();
    (sizes, overlays)
}

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
    let made: Vec<(Vec<Found>, Vec<Option<(usize, usize)>>, Vec<Composed>)> = todo_jobs
        .par_iter()
        .zip(&ranked)
        .map(|(job, r)| {
            let (found, found_sizes) = to_found(job, &r.found);
            let (sizes, overlays) = sizes_and_overlays(job, found_sizes, &r.pool, limits);
            (found, sizes, overlays)
        })
        .collect();
    let d = engine.stats.since(&before);
    let (device, transfers) = (d.compute, d.upload + d.readback);
    let on_gpu = device + transfers > Duration::ZERO;
    let cpu = if on_gpu { Duration::ZERO } else { in_executor };
    let wall = started.elapsed();
    let timing = SearchTiming { device, transfers, cpu, host: wall.saturating_sub(device + transfers + cpu) };
    let mut evaluated = 0u64;
    for ((&i, Searched { stats, .. }), (found, test_sizes, overlays)) in todo.iter().zip(ranked).zip(made) {
        evaluated += stats.evaluated as u64;
        let job = &jobs[i];
        // every step of the alphabet is applied to every state on every input
        let per_step = (stats.evaluated / job.steps.len().max(1)) as u64;
        for step in &job.steps {
            *engine.stats.per_op.entry(step.op.name().to_string()).or_default() += per_step;
        }
        let result = SearchResult { found, overlays, test_sizes, stats };
        if engine.use_cache {
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
    let limits = opts.limits();
    let job = limits.applied_to(SearchJob::new(inputs, outputs, tests, opts.steps.clone()));
    if let Some(ready) = engine.ready_searches.remove(&search_key(&job, &limits)) {
        return Ok(ready);
    }
    let (mut results, timing) = search_many(engine, std::slice::from_ref(&job), &limits, opts.backend)?;
    let mut result = results.pop().expect("one search, one result");
    result.stats.timing = timing;
    Ok(result)
}

/// What a batch of searches did.
#[derive(Debug, Clone, Copy, Default)]
pub struct BatchSummary {
    pub timing: SearchTiming,
    /// Step applications (candidates times inputs, train and test).
    pub evaluated: usize,
    /// (state, step) candidates, each evaluated on all of its task's inputs.
    pub candidates: usize,
}

/// Runs `jobs` as one batch and leaves each result where `enumerate` (and so
/// `task:search`) finds it (until taken, or the next run clears them).
pub fn prepare(engine: &mut Engine, jobs: Vec<SearchJob>, limits: &SearchLimits, backend: Option<Backend>) -> Result<BatchSummary> {
    let jobs: Vec<SearchJob> = jobs.into_iter().map(|j| limits.applied_to(j)).collect();
    let (results, timing) = search_many(engine, &jobs, limits, backend)?;
    let mut summary = BatchSummary { timing, ..BatchSummary::default() };
    for (job, result) in jobs.iter().zip(results) {
        summary.evaluated += result.stats.evaluated;
        summary.candidates += result.stats.evaluated / job.inputs.len().max(1);
        engine.ready_searches.insert(search_key(job, limits), result);
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::program::Op;
    use crate::grid;

    /// A started engine per backend, the CPU's then the GPU's; without a Vulkan device the
    /// GPU's is left out, unless BATT_REQUIRE_GPU=1, which fails instead.
    fn started_engines() -> Vec<(Backend, Engine)> {
        let mut engines = Vec::new();
        for backend in [Backend::Cpu, Backend::Gpu] {
            let mut engine = Engine::new(backend);
            if let Err(e) = engine.start() {
                assert!(std::env::var("BATT_REQUIRE_GPU").map_or(true, |v| v != "1"), "BATT_REQUIRE_GPU=1 but no Vulkan device: {e}");
                eprintln!("SKIPPED on the GPU: no Vulkan device ({e})");
                continue;
            }
            engines.push((backend, engine));
        }
        engines
    }

    #[test]
    fn finds_a_two_step_program_and_prunes_duplicates() {
        let inputs = vec![grid!["120", "300"], grid!["45", "60"]];
        // the answer: a quarter turn, then colour 0 becomes 7
        let outputs: Vec<Grid> = inputs.iter().map(|g| crate::dsl::replace(&crate::dsl::rot90(g), 0, 7).unwrap()).collect();
        let steps = vec![Step::new(Op::Rot90), Step::new(Op::FlipUpdown), Step::new(Op::FlipLeftright), Step::with(Op::Recolor, 0, 7)];
        let mut engine = Engine::new(Backend::Cpu);
        let opts = SearchOptions { steps, depth: 2, max_states: 1000, exhaustive: EXHAUSTIVE_STATE_LEN, keep: 10, pieces: 0, max_layers: 0, finishing: true, placing: true, filling: true, backend: None };
        let SearchResult { found, stats, .. } = enumerate(&mut engine, &inputs, &outputs, &[], &opts).unwrap();
        assert!(found[0].exact(), "{found:?}");
        assert_eq!(found[0].program.steps().len(), 2);
        assert_eq!(found[0].program.to_string(), "rot90 | recolor(0->7)");
        assert!(stats.duplicates > 0, "flip_updown | flip_leftright gives what rot90 | rot90 gave: {stats:?}");
    }

    /// A list state as large as a record gets (30 elements covering all 900 cells: 1 + 30 +
    /// 225 = 256 words) is expanded on the GPU as on the CPU: its record size once wrapped
    /// to 0 in a byte (the fuzz harness found it: `batt fuzz --seed 1 --replay search:388`).
    #[test]
    fn a_list_state_of_thirty_rows_is_expanded_alike_on_both_backends() {
        let input = Grid::from_fn(30, 30, |r, c| ((r * 7 + c * 3) % 10) as u8).unwrap();
        let output = Grid::from_fn(30, 30, |r, c| if (r + c) % 4 == 0 { 0 } else { ((r * 7 + c * 3) % 10) as u8 }).unwrap();
        let steps: Vec<Step> = ["split(rows)", "denoise", "identity"].iter().map(|t| Program::parse(t).unwrap().steps()[0]).collect();
        let mut results = Vec::new();
        for (backend, mut engine) in started_engines() {
            engine.use_cache = false;
            let opts = SearchOptions { steps: steps.clone(), depth: 2, max_states: 1000, exhaustive: EXHAUSTIVE_STATE_LEN, keep: 10, pieces: 0, max_layers: 0, finishing: false, placing: false, filling: false, backend: None };
            let r = enumerate(&mut engine, std::slice::from_ref(&input), std::slice::from_ref(&output), std::slice::from_ref(&input), &opts).unwrap();
            let names: Vec<String> = r.found.iter().map(|f| f.program.to_string()).collect();
            assert!(names.iter().any(|n| n == "split(rows) | denoise | compose"), "{backend:?}: {names:?}");
            results.push((r.found, r.stats.kept, r.stats.duplicates));
        }
        assert!(results.windows(2).all(|w| w[0] == w[1]), "the backends differ: {results:?}");
    }

    /// Eval tasks with a small alphabet of every op family, for the executors to agree on.
    fn eval_jobs(count: usize) -> Vec<SearchJob> {
        let texts = [
            "identity", "rot90", "transpose", "crop_content", "crop_largest", "keep_largest", "denoise", "half(top)",
            "upscale(2)", "downscale(2)", "tile(2x2)", "gravity(down)", "symmetrize(both)", "fill_enclosed(1)",
            "outline(2)", "recolor(0->3)", "erase(1)", "split_combine(side,xor,2)", "to_output_size(embed)",
            "to_output_size(resize)", "to_output_size(mirror)", "pick(objects,largest)", "unpad", "half(bottom)", "place", "repeat_around(plain)", "repeat_around(mirrored)",
            "to_origin", "split(objects)", "split(colors)", "compose", "keep_best(largest)", "drop_best(top)",
        ];
        let steps: Vec<Step> = texts.iter().map(|t| Program::parse(t).unwrap().steps()[0]).collect();
        let data = crate::data::dataset::Dataset::embedded().unwrap();
        data.entries
            .iter()
            .filter_map(|e| match e {
                crate::data::dataset::TaskEntry::Valid(t) if t.split == Some(crate::data::task::Split::Eval) => Some(t),
                _ => None,
            })
            .take(count)
            .map(|t| {
                let inputs: Vec<Grid> = t.train.iter().map(|p| p.input.clone()).collect();
                let outputs: Vec<Grid> = t.train.iter().map(|p| p.output.clone()).collect();
                let tests: Vec<Grid> = t.test.iter().map(|c| c.input.clone()).collect();
                SearchJob::new(&inputs, &outputs, &tests, steps.clone())
            })
            .collect()
    }

    /// Every candidate's (score word, print) of one expand over every job's whole frontier.
    fn expand_all<'a>(exec: &mut impl LevelExecutor<'a>, frontier_sizes: &[u32]) -> Vec<(u32, [u32; 4])> {
        let segments: Vec<Segment> = frontier_sizes
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(j, &n)| Segment { job: j as u32, first_state: 0, states: n })
            .collect();
        let mut words = Vec::new();
        exec.expand(&segments, true, &mut |scores, prints| words = scores.iter().copied().zip(prints.iter().copied()).collect()).unwrap();
        words
    }

    #[test]
    fn cpu_and_gpu_levels_write_the_same_score_words_and_prints() {
        let mut vk = match crate::engine::vulkan::VulkanExecutor::new(&crate::engine::vulkan::DeviceChoice::Any) {
            Ok(vk) => vk,
            Err(e) => {
                assert!(std::env::var("BATT_REQUIRE_GPU").map_or(true, |v| v != "1"), "BATT_REQUIRE_GPU=1 but no Vulkan device: {e}");
                eprintln!("SKIPPED: no Vulkan device ({e})");
                return;
            }
        };
        let mut jobs = eval_jobs(12);
        // every other job compares shapes (the free finishing paint), whatever its outputs
        for job in jobs.iter_mut().skip(1).step_by(2) {
            job.paint_finish = Some(1);
        }
        // every third job compares outputs of other shapes as they are (no free placing),
        // the others place them, whatever their sizes
        for (k, job) in jobs.iter_mut().enumerate() {
            job.place_finish = k % 3 != 0;
        }
        let refs: Vec<&SearchJob> = jobs.iter().collect();
        let mut cpu_levels = cpu::CpuLevels::new();
        let mut gpu_levels = vk.search_levels();
        cpu_levels.begin(&refs).unwrap();
        gpu_levels.begin(&refs).unwrap();
        let ones = vec![1u32; jobs.len()];
        let first = expand_all(&mut cpu_levels, &ones);
        assert_eq!(first, expand_all(&mut gpu_levels, &ones), "level 1");
        // the CPU's prints are those of the outputs (grids at their positions, or lists)
        let step_count = jobs[0].steps.len();
        let (mut positioned, mut lists) = (0, 0);
        let (mut src, mut out, mut scratch) = (crate::engine::ops::Canvas::empty(), crate::engine::ops::Canvas::empty(), crate::engine::ops::Scratch::new());
        for (k, &(score, lanes)) in first.iter().enumerate() {
            let (job, step) = (&jobs[k / step_count], jobs[k / step_count].steps[k % step_count]);
            let mut p = print::StatePrint::new();
            let mut produced = true;
            for (g, &t) in job.inputs.iter().zip(&job.targets) {
                src.load_at(g, t);
                if !crate::engine::ops::apply_cpu(&step, &src, &mut out, &mut scratch) {
                    produced = false;
                    break;
                }
                p.add_grid(print::canvas_print(&out));
                positioned += usize::from(out.origin != (0, 0));
                lists += usize::from(out.parts != 0);
            }
            match produced {
                false => assert_eq!(score, 0),
                true => assert_eq!(print::lanes_to_u128(lanes), print::lanes_to_u128(p.finish_lanes()), "{step}"),
            }
        }
        assert!(lists > 0, "split gives lists");
        assert!(positioned > 0, "crops give grids at other positions than 0, 0");
        // every candidate with an output becomes a state; level 2 agrees too
        let chosen: Vec<Chosen> = first
            .iter()
            .enumerate()
            .filter(|(_, w)| w.0 != 0)
            .map(|(k, _)| Chosen { job: (k / step_count) as u32, state: 0, step: (k % step_count) as u32 })
            .collect();
        let mut sizes = vec![0u32; jobs.len()];
        let mut chosen_states = chosen.clone();
        for c in &mut chosen_states {
            c.state = 0;
            sizes[c.job as usize] += 1;
        }
        cpu_levels.materialise(&chosen_states).unwrap();
        gpu_levels.materialise(&chosen_states).unwrap();
        let second = expand_all(&mut cpu_levels, &sizes);
        assert!(second.iter().filter(|w| w.0 != 0).count() > 1000, "a level worth comparing");
        assert_eq!(second, expand_all(&mut gpu_levels, &sizes), "level 2");
        // the last level's way: score words alone, then the prints of the candidates asked
        // for (every other one with an output, over segments of two states or fewer): the
        // same words and lanes on both executors as a printing expand gives
        let (cpu_words, cpu_asked) = last_level(&mut cpu_levels, &sizes);
        let (gpu_words, gpu_asked) = last_level(&mut gpu_levels, &sizes);
        assert_eq!(cpu_words, second.iter().map(|w| w.0).collect::<Vec<_>>(), "the last level's score words");
        assert_eq!(cpu_words, gpu_words);
        assert!(cpu_asked.len() > 500, "prints worth comparing");
        for (k, lanes) in &cpu_asked {
            assert_eq!(*lanes, second[*k as usize].1, "candidate {k}'s print asked for on the CPU");
        }
        assert_eq!(cpu_asked, gpu_asked, "prints asked for");
    }

    /// A last level over `frontier_sizes` in segments of two states or fewer: its score
    /// words, then the prints of every other candidate with an output, asked for in reverse.
    fn last_level<'a>(exec: &mut impl LevelExecutor<'a>, frontier_sizes: &[u32]) -> (Vec<u32>, Vec<(u32, [u32; 4])>) {
        let mut segments = Vec::new();
        for (j, &n) in frontier_sizes.iter().enumerate() {
            for first in (0..n).step_by(2) {
                segments.push(Segment { job: j as u32, first_state: first, states: (n - first).min(2) });
            }
        }
        let mut words = Vec::new();
        exec.expand(&segments, false, &mut |scores, prints| {
            assert!(prints.is_empty(), "the last level hands over no prints");
            words = scores.to_vec();
        })
        .unwrap();
        let mut asked: Vec<u32> = words.iter().enumerate().filter(|(_, &w)| w != 0).map(|(k, _)| k as u32).step_by(2).collect();
        asked.reverse();
        let prints = exec.prints_of(&asked).unwrap();
        (words, asked.into_iter().zip(prints).collect())
    }

    /// Each pair's output is its input's top-left corner, of a size that differs from pair
    /// to pair (half the rows, a third of the columns): one `to_output_size(embed)` step,
    /// with the test input's size predicted from the train pairs.
    #[test]
    fn to_output_size_brings_each_pair_to_its_own_output_size() {
        let input = |rows: usize, cols: usize| Grid::from_fn(rows, cols, |r, c| ((r * 7 + c * 3) % 10) as u8).unwrap();
        let corner = |g: &Grid, rows: usize, cols: usize| Grid::from_fn(rows, cols, |r, c| g.get(r, c)).unwrap();
        let inputs = vec![input(4, 6), input(6, 9), input(10, 3)];
        let outputs = vec![corner(&inputs[0], 2, 2), corner(&inputs[1], 3, 3), corner(&inputs[2], 5, 1)];
        let test = input(8, 12);
        let steps: Vec<Step> = ["identity", "rot90", "to_output_size(resize)", "to_output_size(embed)"]
            .iter()
            .map(|t| Program::parse(t).unwrap().steps()[0])
            .collect();
        let opts = SearchOptions { steps, depth: 2, max_states: 100, exhaustive: EXHAUSTIVE_STATE_LEN, keep: 10, pieces: 0, max_layers: 0, finishing: true, placing: true, filling: true, backend: None };
        for (backend, mut engine) in started_engines() {
            let found = enumerate(&mut engine, &inputs, &outputs, std::slice::from_ref(&test), &opts).unwrap().found;
            assert_eq!(found[0].program.to_string(), "to_output_size(embed)", "{backend:?}: {found:?}");
            assert!(found[0].exact());
            assert_eq!(found[0].test_outputs, vec![corner(&test, 4, 4)], "{backend:?}");
        }
        // outside a search no size is known
        assert_eq!(crate::engine::cpu::run_program(&Program::parse("to_output_size(embed)").unwrap(), &test), None);
        // each fit is its sized op at the target size
        for (fit, sized) in [("embed", "embed"), ("resize", "resize_to"), ("repeat", "repeat_to"), ("mirror", "mirror_to"), ("wrap", "wrap_to")] {
            for (g, target) in [(&inputs[0], (3, 9)), (&inputs[1], (2, 2)), (&test, (30, 1))] {
                let program = Program::parse(&format!("to_output_size({fit})")).unwrap();
                let expected = crate::engine::reference::run_program(&Program::parse(&format!("{sized}({}x{})", target.0, target.1)).unwrap(), g);
                assert!(expected.is_some());
                assert_eq!(crate::engine::cpu::run_program_at(&program, g, target), expected, "{fit} at {target:?}");
                assert_eq!(crate::engine::ops::to_output_size_reference_at(&program.steps()[0], g, target), expected, "{fit} at {target:?}");
            }
        }
    }

    /// Every output is its input turned a quarter and painted 3 (the inputs have several
    /// colours): with no paint step in the alphabet, the free finishing step finds
    /// `rot90 | permute(0333333333)` at depth 1, on both executors; without it nothing is exact.
    #[test]
    fn the_free_finishing_paint_makes_a_one_step_search_exact() {
        let inputs = vec![grid!["120", "304"], grid!["56", "07", "80"]];
        let paint3 = |g: &Grid| Grid::from_cells(g.rows(), g.cols(), g.cells().iter().map(|&c| if c == 0 { 0 } else { 3 }).collect()).unwrap();
        let outputs: Vec<Grid> = inputs.iter().map(|g| paint3(&crate::dsl::rot90(g))).collect();
        let test = grid!["90", "12"];
        let steps: Vec<Step> = ["identity", "rot90", "flip_updown", "transpose"].iter().map(|t| Program::parse(t).unwrap().steps()[0]).collect();
        let job = SearchJob::new(&inputs, &outputs, std::slice::from_ref(&test), steps.clone());
        assert_eq!(job.paint_finish, Some(3));
        assert_eq!(SearchJob::new(&inputs, &inputs, &[], steps.clone()).paint_finish, None, "inputs of several colours");
        let mut opts = SearchOptions { steps, depth: 1, max_states: 100, exhaustive: EXHAUSTIVE_STATE_LEN, keep: 10, pieces: 0, max_layers: 0, finishing: true, placing: true, filling: true, backend: None };
        for (backend, mut engine) in started_engines() {
            opts.finishing = true;
            let found = enumerate(&mut engine, &inputs, &outputs, std::slice::from_ref(&test), &opts).unwrap().found;
            assert_eq!(found[0].program.to_string(), "rot90 | permute(0333333333)", "{backend:?}: {found:?}");
            assert!(found[0].exact(), "{backend:?}");
            assert_eq!(found[0].test_outputs, vec![paint3(&crate::dsl::rot90(&test))], "{backend:?}");
            assert_eq!(found.iter().filter(|f| f.exact()).count(), 1, "only the quarter turn has the shapes");
            opts.finishing = false;
            let plain = enumerate(&mut engine, &inputs, &outputs, std::slice::from_ref(&test), &opts).unwrap().found;
            assert!(plain.iter().all(|f| !f.exact() && f.program.steps().len() == 1), "{backend:?}: {plain:?}");
        }
    }

    /// Each output keeps only the input's largest object, mirrored left-right inside its own
    /// bounding box where it lies: `crop_largest | flip_leftright` at depth 2, placed back by
    /// the free placing step (`... | place`), on both executors; without placing, no program
    /// of the alphabet is exact.
    #[test]
    fn the_free_placing_step_puts_a_cropped_object_back_where_it_was() {
        let inputs = vec![grid!["000000", "011000", "001000", "000003", "000000"], grid!["00000", "00000", "00220", "00020", "00020", "40000"]];
        let outputs = vec![grid!["000000", "011000", "010000", "000000", "000000"], grid!["00000", "00000", "00220", "00200", "00200", "00000"]];
        let test = grid!["0000000", "0000500", "0005500", "0000500", "0800000"];
        let expected = grid!["0000000", "0005000", "0005500", "0005000", "0000000"];
        let steps: Vec<Step> = ["identity", "crop_largest", "keep_largest", "flip_leftright", "rot90"].iter().map(|t| Program::parse(t).unwrap().steps()[0]).collect();
        let mut opts = SearchOptions { steps, depth: 2, max_states: 100, exhaustive: EXHAUSTIVE_STATE_LEN, keep: 10, pieces: 0, max_layers: 0, finishing: true, placing: true, filling: true, backend: None };
        for (backend, mut engine) in started_engines() {
            opts.placing = true;
            let found = enumerate(&mut engine, &inputs, &outputs, std::slice::from_ref(&test), &opts).unwrap().found;
            assert_eq!(found[0].program.to_string(), "crop_largest | flip_leftright | place", "{backend:?}: {found:?}");
            assert!(found[0].exact(), "{backend:?}");
            assert_eq!(found[0].test_outputs, vec![expected.clone()], "{backend:?}");
            opts.placing = false;
            let plain = enumerate(&mut engine, &inputs, &outputs, std::slice::from_ref(&test), &opts).unwrap().found;
            assert!(plain.iter().all(|f| !f.exact() && !f.program.to_string().contains("place")), "{backend:?}: {plain:?}");
        }
    }

    /// Each output is its input with every object mirrored left-right inside its own
    /// bounding box: only "split into objects, map a step, compose" states it. At depth 2,
    /// `split(objects) | flip_leftright` is scored composed (the free compose) and placed,
    /// on both executors; without the list ops in the alphabet nothing is exact.
    #[test]
    fn split_map_compose_flips_each_object_in_place() {
        let inputs = vec![grid!["000000", "011020", "001022", "000000", "300000"], grid!["02200", "00200", "00000", "00033"]];
        let outputs = vec![grid!["000000", "011002", "010022", "000000", "300000"], grid!["02200", "02000", "00000", "00033"]];
        let test = grid!["00000", "04400", "00400", "00000", "50000"];
        let expected = grid!["00000", "04400", "04000", "00000", "50000"];
        let alphabet = |lists: bool| -> Vec<Step> {
            let mut texts = vec!["identity", "flip_leftright", "crop_content", "rot90", "keep_largest"];
            if lists {
                texts.extend(["split(objects)", "compose", "keep_best(largest)"]);
            }
            texts.iter().map(|t| Program::parse(t).unwrap().steps()[0]).collect()
        };
        for (backend, mut engine) in started_engines() {
            let opts = SearchOptions { steps: alphabet(true), depth: 2, max_states: 100, exhaustive: EXHAUSTIVE_STATE_LEN, keep: 10, pieces: 0, max_layers: 0, finishing: true, placing: true, filling: true, backend: None };
            let found = enumerate(&mut engine, &inputs, &outputs, std::slice::from_ref(&test), &opts).unwrap().found;
            assert_eq!(found[0].program.to_string(), "split(objects) | flip_leftright | compose | place", "{backend:?}: {found:?}");
            assert!(found[0].exact(), "{backend:?}");
            assert_eq!(found[0].test_outputs, vec![expected.clone()], "{backend:?}");
            let plain = SearchOptions { steps: alphabet(false), ..opts };
            let found = enumerate(&mut engine, &inputs, &outputs, std::slice::from_ref(&test), &plain).unwrap().found;
            assert!(found.iter().all(|f| !f.exact()), "{backend:?}: {found:?}");
        }
    }

    /// Each output is its input with the mirror image of its cells, in 5, where the input
    /// is background: an overlay of the input and the mirror painted 5, a layer only the
    /// free finishing paint makes (5 is in every train output; no op of the alphabet paints).
    #[test]
    fn overlays_take_layers_in_each_colour_every_train_output_has() {
        let inputs = vec![grid!["1200", "0300", "0000"], grid!["0020", "1000"]];
        let mirrored_in_5 = |g: &Grid| {
            let m = crate::dsl::flip_leftright(g);
            Grid::from_fn(g.rows(), g.cols(), |r, c| if g.get(r, c) != 0 { g.get(r, c) } else if m.get(r, c) != 0 { 5 } else { 0 }).unwrap()
        };
        let outputs: Vec<Grid> = inputs.iter().map(mirrored_in_5).collect();
        let test = grid!["300", "000", "020"];
        let steps: Vec<Step> = ["identity", "flip_leftright", "rot180"].iter().map(|t| Program::parse(t).unwrap().steps()[0]).collect();
        let mut opts = SearchOptions { steps, depth: 1, max_states: 100, exhaustive: EXHAUSTIVE_STATE_LEN, keep: 10, pieces: 10, max_layers: 4, finishing: true, placing: true, filling: true, backend: None };
        let mut engine = Engine::new(Backend::Cpu);
        let result = enumerate(&mut engine, &inputs, &outputs, std::slice::from_ref(&test), &opts).unwrap();
        assert!(result.found.iter().all(|f| !f.exact()), "no single program is right");
        let exact: Vec<&Composed> = result.overlays.iter().filter(|o| o.pairs_exact == o.pairs).collect();
        assert!(!exact.is_empty(), "{:?}", result.overlays);
        assert!(exact[0].layers.iter().any(|(p, _)| p.to_string() == "flip_leftright | permute(0555555555)"), "{}", exact[0].name());
        assert_eq!(exact[0].test_outputs, vec![grid!["305", "000", "020"]]);
        assert_eq!(mirrored_in_5(&test), grid!["305", "000", "020"]);
        opts.finishing = false;
        let plain = enumerate(&mut engine, &inputs, &outputs, std::slice::from_ref(&test), &opts).unwrap();
        assert!(plain.overlays.iter().all(|o| o.pairs_exact < o.pairs), "{:?}", plain.overlays);
    }

    #[test]
    fn a_batch_of_searches_gives_what_each_search_alone_gives() {
        let jobs = eval_jobs(6);
        let limits = SearchLimits { depth: 3, max_states: 50, exhaustive: EXHAUSTIVE_STATE_LEN, keep: 12, pieces: 30, max_layers: 10, finishing: true, placing: true, filling: true };
        let mut engine = Engine::new(Backend::Cpu);
        engine.use_cache = false;
        let (together, _) = search_many(&mut engine, &jobs, &limits, None).unwrap();
        for (job, result) in jobs.iter().zip(&together) {
            let (alone, _) = search_many(&mut engine, std::slice::from_ref(job), &limits, None).unwrap();
            assert_eq!(alone[0].found, result.found);
            assert_eq!(alone[0].overlays, result.overlays);
            assert_eq!(alone[0].stats.kept, result.stats.kept);
            assert!(result.found.windows(2).all(|w| w[0].exact() >= w[1].exact()), "exact first");
        }
    }
}
