//! One engine shared by a run's Lua workers. `SharedEngine` is the engine behind a lock,
//! with the time it was busy (the run's Lua phase is the script's wall time with the engine
//! idle). Batches that workers hand in while the engine is busy wait in a queue, and the
//! next worker to get the engine evaluates all of them as one batch ("flat combining"), so
//! the device sees fewer, larger dispatches the more workers there are. `WorkerEngine` is
//! one worker's handle: what its own calls used is metered, so each task's engine stats
//! count its own work however the workers' batches met.

use std::cell::RefCell;
use std::ops::{Deref, DerefMut};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use anyhow::Result;

use super::batch::BatchBuilder;
use super::program::Program;
use super::{Backend, Engine, EngineStats, Item, ItemResult};
use crate::grid::Grid;

/// The engine of a run (or of a watch session), shared by every worker thread.
#[derive(Clone)]
pub struct SharedEngine {
    hub: Arc<Hub>,
}

struct Hub {
    engine: Mutex<Engine>,
    /// Batches waiting for the engine; the next holder evaluates them all.
    queue: Mutex<Vec<Arc<Request>>>,
    /// Nanoseconds the engine was held for work, all workers together (holds never overlap).
    busy_ns: AtomicU64,
    /// The engine's warnings (a GPU fallback), moved out at the end of every hold so that
    /// workers read them without waiting for the engine.
    warnings: Mutex<Vec<String>>,
}

/// A batch handed in by a worker, and the reply the evaluating worker leaves for it.
struct Request {
    programs: Vec<Program>,
    grids: Vec<Grid>,
    items: Vec<Item>,
    tag: Option<String>,
    backend: Option<Backend>,
    reply: Mutex<Option<Reply>>,
}

/// The results of a request and its share of the engine's stats; an error as its text.
type Reply = std::result::Result<(Vec<ItemResult>, EngineStats), String>;

/// The engine, held; the hold counts as busy time until it is dropped.
pub struct EngineGuard<'a> {
    engine: MutexGuard<'a, Engine>,
    since: Instant,
    hub: &'a Hub,
}

impl Deref for EngineGuard<'_> {
    type Target = Engine;
    fn deref(&self) -> &Engine {
        &self.engine
    }
}

impl DerefMut for EngineGuard<'_> {
    fn deref_mut(&mut self) -> &mut Engine {
        &mut self.engine
    }
}

impl Drop for EngineGuard<'_> {
    fn drop(&mut self) {
        if !self.engine.warnings.is_empty() {
            let warnings = std::mem::take(&mut self.engine.warnings);
            self.hub.warnings.lock().unwrap_or_else(|p| p.into_inner()).extend(warnings);
        }
        self.hub.busy_ns.fetch_add(self.since.elapsed().as_nanos() as u64, Ordering::Relaxed);
    }
}

impl SharedEngine {
    pub fn new(engine: Engine) -> SharedEngine {
        SharedEngine { hub: Arc::new(Hub {
                engine: Mutex::new(engine),
                queue: Mutex::new(Vec::new()),
                busy_ns: AtomicU64::new(0),
                warnings: Mutex::new(Vec::new()),
            }) }
    }

    /// The engine, for as long as the guard lives (other workers wait). A worker that
    /// panicked while holding it leaves it usable: the engine's state is whole between calls.
    pub fn lock(&self) -> EngineGuard<'_> {
        let engine = self.hub.engine.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        EngineGuard { engine, since: Instant::now(), hub: &self.hub }
    }

    /// How long the engine has been held for work since it was made.
    pub fn busy(&self) -> Duration {
        Duration::from_nanos(self.hub.busy_ns.load(Ordering::Relaxed))
    }

    /// Evaluates a batch, together with every batch other workers handed in meanwhile
    /// (see the module comment). Returns the results and this batch's share of the stats:
    /// its own items, per-op and per-tag counts, one batch, and of the evaluated items,
    /// cache hits and times the part in proportion to its items.
    pub fn evaluate(
        &self,
        programs: &[Program],
        grids: &[Grid],
        items: &[Item],
        tag: Option<&str>,
        backend: Option<Backend>,
    ) -> Result<(Vec<ItemResult>, EngineStats)> {
        let request = Arc::new(Request {
            programs: programs.to_vec(),
            grids: grids.to_vec(),
            items: items.to_vec(),
            tag: tag.map(str::to_string),
            backend,
            reply: Mutex::new(None),
        });
        self.hub.queue.lock().unwrap_or_else(|p| p.into_inner()).push(request.clone());
        let mut engine = self.lock();
        // Another worker may have evaluated this batch with its own while this one waited.
        if let Some(reply) = take_reply(&request) {
            return reply.map_err(anyhow::Error::msg);
        }
        let waiting = std::mem::take(&mut *self.hub.queue.lock().unwrap_or_else(|p| p.into_inner()));
        evaluate_together(&mut engine, &waiting);
        drop(engine);
        take_reply(&request).expect("the evaluating worker replies to every batch it took").map_err(anyhow::Error::msg)
    }

    /// The warnings to show the user since the last call (a GPU fallback).
    pub fn take_warnings(&self) -> Vec<String> {
        std::mem::take(&mut *self.hub.warnings.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// How many batches are waiting for the engine (for tests of the combining).
    pub fn waiting(&self) -> usize {
        self.hub.queue.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

fn take_reply(request: &Request) -> Option<Reply> {
    request.reply.lock().unwrap_or_else(|p| p.into_inner()).take()
}

/// Evaluates `requests` as one batch per backend asked for, and leaves each its reply.
fn evaluate_together(engine: &mut Engine, requests: &[Arc<Request>]) {
    let mut backends: Vec<Option<Backend>> = Vec::new();
    for r in requests {
        if !backends.contains(&r.backend) {
            backends.push(r.backend);
        }
    }
    for backend in backends {
        let group: Vec<&Arc<Request>> = requests.iter().filter(|r| r.backend == backend).collect();
        // one batch: programs and grids deduplicated across the requests, items renumbered
        let mut merged = BatchBuilder::default();
        let mut ranges = Vec::with_capacity(group.len());
        for r in &group {
            let programs: Vec<u32> = r.programs.iter().map(|p| merged.program(p.clone())).collect();
            let grids: Vec<u32> = r.grids.iter().map(|g| merged.grid(g.clone())).collect();
            let start = merged.items.len();
            for it in &r.items {
                merged.push_indices(
                    programs[it.program as usize],
                    grids[it.input as usize],
                    it.expected.map(|e| grids[e as usize]),
                    it.want_output,
                );
            }
            ranges.push(start..merged.items.len());
        }
        let before = engine.stats.clone();
        let outcome = engine.evaluate(&merged.programs, &merged.grids, &merged.items, None, backend);
        let delta = engine.stats.since(&before);
        let total = merged.items.len().max(1) as f64;
        match outcome {
            Ok(results) => {
                for (r, range) in group.iter().zip(ranges) {
                    let share = share_of(&delta, r, range.len() as f64 / total);
                    if let Some(tag) = &r.tag {
                        *engine.stats.per_tag.entry(tag.clone()).or_default() += r.items.len() as u64;
                    }
                    *r.reply.lock().unwrap_or_else(|p| p.into_inner()) = Some(Ok((results[range].to_vec(), share)));
                }
            }
            Err(e) => {
                let message = format!("{e:#}");
                for r in &group {
                    *r.reply.lock().unwrap_or_else(|p| p.into_inner()) = Some(Err(message.clone()));
                }
            }
        }
    }
}

/// A request's part of a shared batch's stats: exact for what is its own (items, ops,
/// tag), `fraction` of the rest.
fn share_of(delta: &EngineStats, r: &Request, fraction: f64) -> EngineStats {
    let n = r.items.len() as u64;
    let mut per_program = vec![0u64; r.programs.len()];
    for it in &r.items {
        per_program[it.program as usize] += 1;
    }
    let mut per_op = std::collections::HashMap::new();
    for (p, count) in r.programs.iter().zip(per_program) {
        if count > 0 {
            for step in p.steps() {
                *per_op.entry(step.op.name().to_string()).or_default() += count;
            }
        }
    }
    let part = |v: u64| (v as f64 * fraction).round() as u64;
    EngineStats {
        items_added: n,
        items_evaluated: part(delta.items_evaluated).min(n),
        batches: u64::from(n > 0),
        cache_hits: part(delta.cache_hits).min(n),
        per_op,
        per_tag: r.tag.iter().map(|t| (t.clone(), n)).collect(),
        upload: delta.upload.mul_f64(fraction),
        compute: delta.compute.mul_f64(fraction),
        readback: delta.readback.mul_f64(fraction),
        cpu: delta.cpu.mul_f64(fraction),
    }
}

/// One worker's handle on the shared engine, metering what the worker's own calls used.
pub struct WorkerEngine {
    shared: SharedEngine,
    used: RefCell<EngineStats>,
}

/// A worker's engine handle as its Lua functions share it (one thread).
pub type EngineHandle = Rc<WorkerEngine>;

/// The engine held by a worker: on drop, what the hold changed in the engine's stats is
/// added to the worker's own.
pub struct MeteredGuard<'a> {
    guard: EngineGuard<'a>,
    before: EngineStats,
    used: &'a RefCell<EngineStats>,
}

impl Deref for MeteredGuard<'_> {
    type Target = Engine;
    fn deref(&self) -> &Engine {
        &self.guard
    }
}

impl DerefMut for MeteredGuard<'_> {
    fn deref_mut(&mut self) -> &mut Engine {
        &mut self.guard
    }
}

impl Drop for MeteredGuard<'_> {
    fn drop(&mut self) {
        let delta = self.guard.stats.since(&self.before);
        let mut used = self.used.borrow_mut();
        *used = used.plus(&delta);
    }
}

impl WorkerEngine {
    pub fn new(shared: SharedEngine) -> EngineHandle {
        Rc::new(WorkerEngine { shared, used: RefCell::new(EngineStats::default()) })
    }

    /// The engine, held (see `SharedEngine::lock`), its use counted as this worker's.
    pub fn lock(&self) -> MeteredGuard<'_> {
        let guard = self.shared.lock();
        let before = guard.stats.clone();
        MeteredGuard { guard, before, used: &self.used }
    }

    /// Evaluates a batch, possibly together with other workers' (see
    /// `SharedEngine::evaluate`); returns the results and the batch's share of the stats.
    pub fn evaluate(&self, batch: &BatchBuilder, tag: Option<&str>, backend: Option<Backend>) -> Result<(Vec<ItemResult>, EngineStats)> {
        let (results, share) = self.shared.evaluate(&batch.programs, &batch.grids, &batch.items, tag, backend)?;
        let mut used = self.used.borrow_mut();
        *used = used.plus(&share);
        Ok((results, share))
    }

    /// What this worker's calls used so far.
    pub fn used(&self) -> EngineStats {
        self.used.borrow().clone()
    }

    pub fn shared(&self) -> &SharedEngine {
        &self.shared
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::program::Program;

    /// Batches handed in while the engine is held are evaluated as one batch by the next
    /// worker to get it, and each worker gets its own results and its own share of stats.
    #[test]
    fn batches_waiting_for_the_engine_are_evaluated_together() {
        let shared = SharedEngine::new(Engine::new(Backend::Cpu));
        let input = crate::grid!["12", "34"];
        let programs: Vec<Program> = ["rot90", "flip_leftright", "transpose", "rot180"].iter().map(|p| Program::parse(p).unwrap()).collect();
        let held = shared.lock();
        let batches_before = held.stats.batches;
        std::thread::scope(|s| {
            let workers: Vec<_> = programs
                .iter()
                .map(|p| {
                    let shared = shared.clone();
                    let input = input.clone();
                    s.spawn(move || {
                        let items = [Item { program: 0, input: 0, expected: None, want_output: true }];
                        shared.evaluate(std::slice::from_ref(p), &[input], &items, Some("t"), None).unwrap()
                    })
                })
                .collect();
            // every worker's batch is waiting before the engine is let go
            while shared.waiting() < programs.len() {
                std::thread::yield_now();
            }
            drop(held);
            for (worker, p) in workers.into_iter().zip(&programs) {
                let (results, share) = worker.join().unwrap();
                let expected = crate::engine::reference::run_program(p, &input);
                assert_eq!(results[0].output.as_deref(), expected.as_ref(), "{p}");
                assert_eq!((share.items_added, share.batches, share.per_tag.get("t").copied()), (1, 1, Some(1)));
            }
        });
        let engine = shared.lock();
        assert_eq!(engine.stats.batches - batches_before, 1, "the four batches were evaluated as one");
        assert_eq!(engine.stats.items_added, 4);
        assert_eq!(engine.stats.per_tag.get("t").copied(), Some(4));
    }
}
