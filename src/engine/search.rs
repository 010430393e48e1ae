//! Breadth-first enumeration of programs on a task's train inputs, with duplicate-state
//! pruning: level k+1 applies every step to the kept outputs of level k (on the batch
//! engine, GPU or CPU), and a program whose outputs on all train inputs equal those of a
//! program already kept is dropped. Every kept program is scored against the train
//! outputs; the best come back ranked (exact first, then shorter, then cell accuracy).

use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use super::fingerprint::{fingerprint, Fingerprinter};
use super::score::PairScore;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use rayon::prelude::*;

use super::program::{Program, Step, MAX_STEPS};
use super::{Backend, Engine, Item};
use crate::grid::Grid;

/// What to search.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// The steps each level may append.
    pub steps: Vec<Step>,
    /// Program length at most (1..=MAX_STEPS).
    pub depth: usize,
    /// States kept per level at most (the best by cell accuracy, then order).
    pub max_states: usize,
    /// How many ranked programs to return.
    pub keep: usize,
    pub backend: Option<Backend>,
}

/// A program found, with its score on the train pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub program: Program,
    pub pairs_exact: usize,
    pub pairs: usize,
    pub cell_accuracy: f64,
}

impl Found {
    pub fn exact(&self) -> bool {
        self.pairs > 0 && self.pairs_exact == self.pairs
    }
}

/// What the search did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchStats {
    pub evaluated: usize,
    pub kept: usize,
    pub duplicates: usize,
    pub levels: usize,
    /// Where its time went (zero for a search answered from the cache).
    pub timing: SearchTiming,
}

/// Where a search's wall time went: the device's compute (dispatch to fence), transfers to
/// and from it (upload, readback and turning results into values), evaluation on the CPU
/// (rayon), and host work (gathering each level's grids, fingerprints, de-duplication,
/// scoring, ranking). The four add up to the search's wall time.
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

struct State {
    /// Its program's steps, inline (`len` of them): no allocation per state.
    steps: [Step; MAX_STEPS],
    len: usize,
    /// One grid per train input, shared with the engine's results (never copied).
    grids: Vec<Arc<Grid>>,
    accuracy: f64,
}

/// A state of the next level before the duplicate check: which state and step made it,
/// its grids (only when a later level expands it), their fingerprint and its score.
struct Candidate {
    state: usize,
    step: usize,
    grids: Vec<Arc<Grid>>,
    print: u128,
    pairs_exact: usize,
    accuracy: f64,
}

/// A kept program before the final ranking: its steps inline, so keeping millions of them
/// allocates nothing; only the best `keep` become `Program`s.
#[derive(Clone, Copy)]
struct Ranked {
    steps: [Step; MAX_STEPS],
    len: usize,
    pairs_exact: usize,
    accuracy: f64,
    /// Its position among the programs kept so far (the last tie-break).
    order: usize,
}

/// The fingerprint of a state: its grids on every input, in order.
fn state_print<'a>(grids: impl IntoIterator<Item = &'a Grid>) -> u128 {
    let mut f = Fingerprinter::new();
    for g in grids {
        g.hash(&mut f);
    }
    f.finish128()
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
type PrehashedMap<V> = std::collections::HashMap<u128, V, std::hash::BuildHasherDefault<PrehashedKey>>;

/// Searches programs mapping `inputs` to `outputs` (the train pairs).
/// Searches are cached whole (by their options and train pairs): a re-run in watch mode
/// repeats only the searches whose inputs changed. The items inside a search skip the
/// item cache: intermediate grids are rarely seen again and would only cost memory.
pub fn enumerate(engine: &mut Engine, inputs: &[Grid], outputs: &[Grid], opts: &SearchOptions) -> Result<(Vec<Found>, SearchStats)> {
    let key = fingerprint(&(&opts.steps, opts.depth, opts.max_states, opts.keep, inputs, outputs));
    if engine.use_cache {
        if let Some(hit) = engine.search_cache.get(&key) {
            engine.stats.cache_hits += hit.1.evaluated as u64;
            engine.stats.items_added += hit.1.evaluated as u64;
            let (found, mut stats) = hit.clone();
            stats.timing = SearchTiming::default();
            return Ok((found, stats));
        }
    }
    let use_cache = std::mem::replace(&mut engine.use_cache, false);
    let (started, before) = (Instant::now(), engine.stats.clone());
    let mut result = search(engine, inputs, outputs, opts);
    let wall = started.elapsed();
    engine.use_cache = use_cache;
    if let Ok((_, stats)) = &mut result {
        let d = engine.stats.since(&before);
        let (device, transfers, cpu) = (d.compute, d.upload + d.readback, d.cpu);
        stats.timing = SearchTiming { device, transfers, cpu, host: wall.saturating_sub(device + transfers + cpu) };
    }
    if let (true, Ok(r)) = (use_cache, &result) {
        engine.search_cache.insert(key, r.clone());
    }
    result
}

fn search(engine: &mut Engine, inputs: &[Grid], outputs: &[Grid], opts: &SearchOptions) -> Result<(Vec<Found>, SearchStats)> {
    let depth = opts.depth.clamp(1, MAX_STEPS);
    let step_programs: Vec<Program> = opts.steps.iter().map(|s| Program::new(vec![*s]).expect("valid step")).collect();
    let mut seen = PrehashedSet::default();
    seen.insert(state_print(inputs));
    let no_steps = [Step::new(super::program::Op::Identity); MAX_STEPS];
    let mut frontier = vec![State { steps: no_steps, len: 0, grids: inputs.iter().cloned().map(Arc::new).collect(), accuracy: 0.0 }];
    let mut found: Vec<Ranked> = Vec::new();
    let mut stats = SearchStats::default();
    let n = inputs.len();
    for level in 0..depth {
        if frontier.is_empty() || step_programs.is_empty() {
            break;
        }
        stats.levels += 1;
        // The last level's states are scored and counted but never expanded: they keep
        // no grids and make no next frontier.
        let last = level + 1 == depth;
        // Distinct grids of the frontier, then every step on every one of them.
        let mut grids: Vec<Grid> = Vec::new();
        let mut index: PrehashedMap<u32> = PrehashedMap::default();
        let prints: Vec<Vec<u128>> =
            frontier.par_iter().map(|s| s.grids.iter().map(|g| fingerprint(&**g)).collect()).collect();
        let state_grids: Vec<Vec<u32>> = frontier
            .iter()
            .zip(&prints)
            .map(|(s, ps)| {
                s.grids
                    .iter()
                    .zip(ps)
                    .map(|(g, &print)| {
                        *index.entry(print).or_insert_with(|| {
                            grids.push((**g).clone());
                            grids.len() as u32 - 1
                        })
                    })
                    .collect()
            })
            .collect();
        let items: Vec<Item> = (0..step_programs.len() as u32)
            .flat_map(|p| (0..grids.len() as u32).map(move |g| Item { program: p, input: g, expected: None, want_output: true }))
            .collect();
        let results = engine.evaluate(&step_programs, &grids, &items, Some("enumerate"), opts.backend)?;
        stats.evaluated += results.len();
        // The output grids move into shared handles: states hold them without copies.
        let results: Vec<Option<Arc<Grid>>> = results.into_par_iter().with_min_len(4096).map(|r| r.output.map(Arc::from)).collect();
        let result_of = |p: usize, g: u32| results[p * grids.len() + g as usize].as_deref();
        // Assemble and score every (state, step) candidate in parallel; keep them in a
        // fixed order. Only the duplicate check below is sequential.
        let candidates: Vec<Candidate> = frontier
            .par_iter()
            .zip(&state_grids)
            .enumerate()
            .flat_map_iter(|(si, (_, sg))| {
                let (result_of, results, grid_count) = (&result_of, &results, grids.len());
                (0..opts.steps.len()).filter_map(move |p| {
                    if sg.iter().any(|&g| result_of(p, g).is_none()) {
                        return None; // the step gives no output on some input
                    }
                    let out = || sg.iter().map(|&g| result_of(p, g).expect("checked above"));
                    let print = state_print(out());
                    let score = PairScore::of_outputs(out().map(Some), outputs);
                    let grids = if last {
                        Vec::new()
                    } else {
                        sg.iter().map(|&g| results[p * grid_count + g as usize].clone().expect("checked above")).collect()
                    };
                    Some(Candidate { state: si, step: p, grids, print, pairs_exact: score.pairs_exact, accuracy: score.cell_accuracy })
                })
            })
            .collect();
        let mut next = Vec::new();
        for Candidate { state: si, step: p, grids: out, print, pairs_exact, accuracy } in candidates {
            if !seen.insert(print) {
                stats.duplicates += 1;
                continue;
            }
            stats.kept += 1;
            let (mut steps, len) = (frontier[si].steps, frontier[si].len);
            steps[len] = opts.steps[p];
            found.push(Ranked { steps, len: len + 1, pairs_exact, accuracy, order: found.len() });
            if !last {
                next.push(State { steps, len: len + 1, grids: out, accuracy });
            }
        }
        if next.len() > opts.max_states {
            // keep the most promising states (stable: earlier first on ties)
            next.sort_by(|a, b| b.accuracy.partial_cmp(&a.accuracy).unwrap_or(std::cmp::Ordering::Equal));
            next.truncate(opts.max_states);
        }
        frontier = next;
        // Only the best `keep` can be returned: programs of later levels are longer, so
        // they never pass the ones kept now on length, only on exactness or accuracy.
        keep_best(&mut found, opts.keep, n);
        // The level's outputs are freed on all cores: millions of grids, whose sequential
        // drop was a quarter of the search's host work.
        results.into_par_iter().with_min_len(4096).for_each(drop);
    }
    keep_best(&mut found, opts.keep, n);
    let found = found
        .into_iter()
        .map(|r| Found {
            program: Program::new(r.steps[..r.len].to_vec()).expect("depth is at most MAX_STEPS"),
            pairs_exact: r.pairs_exact,
            pairs: n,
            cell_accuracy: r.accuracy,
        })
        .collect();
    Ok((found, stats))
}

/// Best first: exact on every train pair, then shorter, then more cells right, then found
/// earlier (a total order, since `order` is unique).
fn better(a: &Ranked, b: &Ranked, pairs: usize) -> std::cmp::Ordering {
    let exact = |r: &Ranked| pairs > 0 && r.pairs_exact == pairs;
    exact(b)
        .cmp(&exact(a))
        .then(a.len.cmp(&b.len))
        .then(b.accuracy.partial_cmp(&a.accuracy).unwrap_or(std::cmp::Ordering::Equal))
        .then(a.order.cmp(&b.order))
}

/// Keeps the best `keep` of `found`, ranked: a selection, then a sort of the few kept
/// (the same result as sorting everything, in linear time).
fn keep_best(found: &mut Vec<Ranked>, keep: usize, pairs: usize) {
    if found.len() > keep {
        if keep == 0 {
            found.clear();
            return;
        }
        found.select_nth_unstable_by(keep - 1, |a, b| better(a, b, pairs));
        found.truncate(keep);
    }
    found.sort_by(|a, b| better(a, b, pairs));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::program::Op;
    use crate::grid;

    #[test]
    fn finds_a_two_step_program_and_prunes_duplicates() {
        let inputs = vec![grid!["120", "300"], grid!["45", "60"]];
        // the answer: a quarter turn, then colour 0 becomes 7
        let outputs: Vec<Grid> = inputs.iter().map(|g| crate::dsl::replace(&crate::dsl::rot90(g), 0, 7).unwrap()).collect();
        let steps = vec![Step::new(Op::Rot90), Step::new(Op::FlipUpdown), Step::new(Op::FlipLeftright), Step::with(Op::Recolor, 0, 7)];
        let mut engine = Engine::new(Backend::Cpu);
        let opts = SearchOptions { steps, depth: 2, max_states: 1000, keep: 10, backend: None };
        let (found, stats) = enumerate(&mut engine, &inputs, &outputs, &opts).unwrap();
        assert!(found[0].exact(), "{found:?}");
        assert_eq!(found[0].program.steps().len(), 2);
        assert_eq!(found[0].program.to_string(), "rot90 | recolor(0->7)");
        assert!(stats.duplicates > 0, "flip_updown | flip_leftright gives what rot90 | rot90 gave: {stats:?}");
    }
}
