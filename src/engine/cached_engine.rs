//! The engine a run uses: the chosen backend (`auto` uses a hardware GPU when one works,
//! else rayon, never software Vulkan, which is slower than rayon on the same cores; `gpu`
//! insists on a Vulkan device, lavapipe included; `cpu` never touches Vulkan; `--device`
//! names the device), a result cache keyed by
//! (program, input grid, expected grid), and the statistics `b:stats()`, the per-task
//! stats and the summary report. A GPU failure at start or mid-run recomputes the batch on
//! the CPU with a one-line warning (under `auto`), or is an error (under `gpu`).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};

use super::fingerprint::fingerprint;
use super::program::Program;
use super::vulkan::VulkanExecutor;
use crate::engine::vulkan::{DeviceChoice, GpuError};
use super::{cpu_eval, Item, ItemResult};
use crate::grid::Grid;

/// Which executor evaluates batches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// A Vulkan device if one works, otherwise the CPU.
    Auto,
    /// A Vulkan device, or fail.
    Gpu,
    /// All CPU cores through rayon.
    Cpu,
}

impl Backend {
    pub fn parse(name: &str) -> Option<Backend> {
        match name {
            "auto" => Some(Backend::Auto),
            "gpu" => Some(Backend::Gpu),
            "cpu" => Some(Backend::Cpu),
            _ => None,
        }
    }
}

/// Counters and times of an engine, cumulative; `since` gives the part after a snapshot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EngineStats {
    pub items_added: u64,
    pub items_evaluated: u64,
    pub batches: u64,
    pub cache_hits: u64,
    pub per_op: HashMap<String, u64>,
    pub per_tag: HashMap<String, u64>,
    #[serde(with = "crate::millis")]
    pub upload: Duration,
    #[serde(with = "crate::millis")]
    pub compute: Duration,
    #[serde(with = "crate::millis")]
    pub readback: Duration,
    /// Time evaluating on the CPU (the cpu backend, or fallback after a GPU failure).
    #[serde(with = "crate::millis")]
    pub cpu: Duration,
}

impl EngineStats {
    /// What happened since `earlier` (a snapshot of the same engine; counts only grow, so
    /// nothing saturates in practice).
    pub fn since(&self, earlier: &EngineStats) -> EngineStats {
        self.zip_with(earlier, u64::saturating_sub, Duration::saturating_sub)
    }

    /// Both counts together (shards of one run, a batch's flushes).
    pub fn plus(&self, other: &EngineStats) -> EngineStats {
        self.zip_with(other, |a, b| a + b, |a, b| a + b)
    }

    /// Every counter and time of `self` and `other` combined by `count` and `time`; per-op
    /// and per-tag entries over the union of keys (missing = 0), zeros dropped.
    fn zip_with(&self, other: &EngineStats, count: impl Fn(u64, u64) -> u64, time: impl Fn(Duration, Duration) -> Duration) -> EngineStats {
        let map = |a: &HashMap<String, u64>, b: &HashMap<String, u64>| -> HashMap<String, u64> {
            a.keys()
                .chain(b.keys())
                .filter_map(|k| {
                    let v = count(a.get(k).copied().unwrap_or(0), b.get(k).copied().unwrap_or(0));
                    (v > 0).then(|| (k.clone(), v))
                })
                .collect()
        };
        EngineStats {
            items_added: count(self.items_added, other.items_added),
            items_evaluated: count(self.items_evaluated, other.items_evaluated),
            batches: count(self.batches, other.batches),
            cache_hits: count(self.cache_hits, other.cache_hits),
            per_op: map(&self.per_op, &other.per_op),
            per_tag: map(&self.per_tag, &other.per_tag),
            upload: time(self.upload, other.upload),
            compute: time(self.compute, other.compute),
            readback: time(self.readback, other.readback),
            cpu: time(self.cpu, other.cpu),
        }
    }

    pub fn cache_hit_rate(&self) -> f64 {
        if self.items_added == 0 { 0.0 } else { self.cache_hits as f64 / self.items_added as f64 }
    }

    /// One line: items, batches, cache, times (each rounded to the microsecond first, as
    /// results.json holds them, so the line drawn from a read-back file is the same).
    pub fn line(&self) -> String {
        let ms = crate::millis::rounded_ms;
        format!(
            "{} items ({} evaluated, cache hits {:.0}%), {} batches; upload {:.1} ms, compute {:.1} ms, readback {:.1} ms, cpu {:.1} ms",
            self.items_added,
            self.items_evaluated,
            100.0 * self.cache_hit_rate(),
            self.batches,
            ms(self.upload),
            ms(self.compute),
            ms(self.readback),
            ms(self.cpu)
        )
    }
}

/// A cache key: 128-bit fingerprints of the program, the input and the expected grid.
type CacheKey = (u128, u128, Option<u128>);

/// Entries the cache holds before it is emptied (about 100 bytes each).
const CACHE_LIMIT: usize = 2_000_000;

pub struct Engine {
    choice: Backend,
    gpu: Option<VulkanExecutor>,
    /// Why the GPU is not in use, once that is known.
    gpu_unavailable: Option<String>,
    gpu_tried: bool,
    cache: HashMap<CacheKey, ItemResult>,
    pub use_cache: bool,
    pub stats: EngineStats,
    /// Warnings to show the user (GPU fallback), drained by the caller.
    pub warnings: Vec<String>,
    /// Set when the GPU failed under `--backend gpu`: the run must stop.
    pub fatal: Option<GpuError>,
    /// The Vulkan device asked for by `--device` (index or name), if any.
    device: Option<String>,
    /// Whole searches by a fingerprint of their options and train pairs (see `search`).
    pub search_cache: HashMap<u128, super::search::SearchResult>,
    /// Results of a batch of searches (`search::prepare`, `batt.search_all`) waiting for
    /// their task's `enumerate`, by the same key; taken when used.
    pub ready_searches: HashMap<u128, super::search::SearchResult>,
    /// Each job's share of the last `search_many`'s expand time, in job order (its items'
    /// part of each expand it was in; zero for a search answered from the cache): what a
    /// task's time limit is charged for the batch search.
    pub search_shares: Vec<std::time::Duration>,
}

impl Engine {
    pub fn new(choice: Backend) -> Engine {
        Engine {
            choice,
            gpu: None,
            gpu_unavailable: None,
            gpu_tried: false,
            cache: HashMap::new(),
            use_cache: true,
            stats: EngineStats::default(),
            warnings: Vec::new(),
            fatal: None,
            device: None,
            search_cache: HashMap::new(),
            ready_searches: HashMap::new(),
            search_shares: Vec::new(),
        }
    }

    /// The same engine on the Vulkan device of this index or name (`--device`): used by
    /// `auto` too, even when it is a CPU-type device.
    pub fn with_device(mut self, device: Option<String>) -> Engine {
        self.device = device;
        self
    }

    /// Which devices `backend` may open: `--device` if given, any usable device under
    /// `gpu`, hardware GPUs only under `auto` (software Vulkan is slower than rayon).
    fn device_choice(&self, backend: Backend) -> DeviceChoice {
        match (&self.device, backend) {
            (Some(name), _) => DeviceChoice::Named(name.clone()),
            (None, Backend::Gpu) => DeviceChoice::Any,
            (None, _) => DeviceChoice::Hardware,
        }
    }

    pub fn choice(&self) -> Backend {
        self.choice
    }

    /// Opens the Vulkan device now (it is otherwise opened on first use). Under `gpu` a
    /// failure is an error; under `auto` it means CPU from here on.
    pub fn start(&mut self) -> Result<()> {
        if self.choice == Backend::Cpu || self.gpu_tried {
            return Ok(());
        }
        self.gpu_tried = true;
        match VulkanExecutor::new(&self.device_choice(self.choice)) {
            Ok(exec) => self.gpu = Some(exec),
            Err(e) => {
                if self.choice == Backend::Gpu {
                    bail!("--backend gpu: {e} ({})", e.hint());
                }
                if matches!(e, GpuError::Setting(_)) {
                    // a setting the user wrote and batt cannot read is theirs to correct
                    bail!("{e} ({})", e.hint());
                }
                if self.device.is_some() {
                    // a device asked for by name is insisted on at start, even under auto
                    bail!("{e} ({})", e.hint());
                }
                self.gpu_unavailable = Some(match e {
                    GpuError::NoDevice(why) => why,
                    other => other.to_string(),
                });
            }
        }
        Ok(())
    }

    /// "Vulkan: <device>" or "CPU (rayon, N threads)", with the reason for a fallback.
    /// Why the GPU is not in use, in full, when a GPU was wanted or looked for and none
    /// works (`batt devices` says the same, device by device).
    pub fn gpu_unavailable(&self) -> Option<String> {
        match (&self.gpu, &self.gpu_unavailable) {
            (None, Some(why)) if self.choice != Backend::Cpu => Some(why.clone()),
            _ => None,
        }
    }

    /// The backend as one short clause: `vulkan: <device>` or `cpu (rayon, N threads)`, with
    /// the first clause of why no GPU is used when one was looked for.
    pub fn backend_name(&self) -> String {
        match (&self.gpu, &self.gpu_unavailable) {
            (Some(g), _) => format!("vulkan: {}", g.device_name),
            (None, Some(why)) if self.choice != Backend::Cpu => {
                // the first clause only: the whole reason is `gpu_unavailable`'s
                let clause = why.lines().next().unwrap_or("").split(';').next().unwrap_or("").trim();
                let clause = if clause.chars().count() > 60 { format!("{}…", clause.chars().take(60).collect::<String>()) } else { clause.to_string() };
                format!("cpu (rayon, {} threads; {clause})", rayon::current_num_threads())
            }
            _ => format!("cpu (rayon, {} threads)", rayon::current_num_threads()),
        }
    }

    /// Evaluates `items` with this engine's backend (or `force` for this call).
    pub fn evaluate(
        &mut self,
        programs: &[Program],
        grids: &[Grid],
        items: &[Item],
        tag: Option<&str>,
        force: Option<Backend>,
    ) -> Result<Vec<ItemResult>> {
        let backend = force.unwrap_or(self.choice);
        self.stats.items_added += items.len() as u64;
        if let Some(tag) = tag {
            *self.stats.per_tag.entry(tag.to_string()).or_default() += items.len() as u64;
        }
        // per-op counts: items per program first, so the map is touched once per program
        let mut per_program = vec![0u64; programs.len()];
        for it in items {
            per_program[it.program as usize] += 1;
        }
        for (p, n) in programs.iter().zip(per_program) {
            if n > 0 {
                for step in p.steps() {
                    *self.stats.per_op.entry(step.op.name().to_string()).or_default() += n;
                }
            }
        }
        if !self.use_cache {
            // No cache (a search turns it off): straight through, with no per-item
            // bookkeeping; the same results and counts as the path below with every item a miss.
            let computed = self.evaluate_uncached(programs, grids, items, backend)?;
            if !items.is_empty() {
                self.stats.items_evaluated += items.len() as u64;
                self.stats.batches += 1;
            }
            return Ok(computed);
        }
        let mut results: Vec<Option<ItemResult>> = vec![None; items.len()];
        let mut misses: Vec<usize> = Vec::new();
        let (program_prints, grid_prints): (Vec<u128>, Vec<u128>) = if self.use_cache {
            (programs.iter().map(fingerprint).collect(), grids.iter().map(fingerprint).collect())
        } else {
            (Vec::new(), Vec::new())
        };
        let key = |it: &Item| -> CacheKey {
            (program_prints[it.program as usize], grid_prints[it.input as usize], it.expected.map(|e| grid_prints[e as usize]))
        };
        for (i, it) in items.iter().enumerate() {
            let hit = self.use_cache.then(|| self.cache.get(&key(it))).flatten();
            match hit {
                Some(r) if !it.want_output || r.output.is_some() || !r.produced => {
                    results[i] = Some(r.clone());
                    self.stats.cache_hits += 1;
                }
                _ => misses.push(i),
            }
        }
        if !misses.is_empty() {
            let miss_items: Vec<Item> = misses.iter().map(|&i| items[i]).collect();
            let computed = self.evaluate_uncached(programs, grids, &miss_items, backend)?;
            self.stats.items_evaluated += miss_items.len() as u64;
            self.stats.batches += 1;
            if self.use_cache && self.cache.len() + computed.len() > CACHE_LIMIT {
                self.cache.clear();
            }
            for (&i, r) in misses.iter().zip(computed) {
                if self.use_cache {
                    self.cache.insert(key(&items[i]), r.clone());
                }
                results[i] = Some(r);
            }
        }
        Ok(results.into_iter().map(|r| r.expect("every item has a result")).collect())
    }

    fn evaluate_uncached(&mut self, programs: &[Program], grids: &[Grid], items: &[Item], backend: Backend) -> Result<Vec<ItemResult>> {
        self.on_backend(backend, |gpu| gpu.evaluate(programs, grids, items), || cpu_eval::evaluate(programs, grids, items))
    }

    /// Every program on every input, program-major (result `p * inputs.len() + i`), scored
    /// against `expecteds[i]` when given. Cross products skip the cache: looking every
    /// item up would cost about as much as evaluating it.
    pub fn evaluate_cross(
        &mut self,
        programs: &[Program],
        inputs: &[Grid],
        expecteds: Option<&[Grid]>,
        want_outputs: bool,
        tag: Option<&str>,
        force: Option<Backend>,
    ) -> Result<Vec<ItemResult>> {
        let count = (programs.len() * inputs.len()) as u64;
        self.stats.items_added += count;
        self.stats.items_evaluated += count;
        if count == 0 {
            return Ok(Vec::new());
        }
        self.stats.batches += 1;
        if let Some(tag) = tag {
            *self.stats.per_tag.entry(tag.to_string()).or_default() += count;
        }
        for p in programs {
            for step in p.steps() {
                *self.stats.per_op.entry(step.op.name().to_string()).or_default() += inputs.len() as u64;
            }
        }
        let backend = force.unwrap_or(self.choice);
        self.on_backend(
            backend,
            |gpu| gpu.evaluate_cross(programs, inputs, expecteds, want_outputs),
            || cpu_eval::evaluate_cross(programs, inputs, expecteds, want_outputs),
        )
    }

    /// Runs `on_gpu` when the backend allows and a device works, else `on_cpu`; a GPU
    /// failure falls back to the CPU (auto) or is an error (gpu).
    pub(crate) fn on_backend<T>(
        &mut self,
        backend: Backend,
        on_gpu: impl FnOnce(&mut VulkanExecutor) -> Result<T, GpuError>,
        on_cpu: impl FnOnce() -> T,
    ) -> Result<T> {
        if backend != Backend::Cpu {
            if !self.gpu_tried {
                let choice = self.choice;
                self.choice = backend;
                let started = self.start();
                self.choice = choice;
                started?;
            }
            if backend == Backend::Gpu && self.gpu.is_none() {
                bail!("backend gpu: no usable Vulkan device: {}", self.gpu_unavailable.as_deref().unwrap_or("not started"));
            }
            if let Some(gpu) = &mut self.gpu {
                match on_gpu(gpu) {
                    Ok(r) => {
                        self.stats.upload += gpu.last.upload;
                        self.stats.compute += gpu.last.compute;
                        self.stats.readback += gpu.last.readback;
                        return Ok(r);
                    }
                    Err(e) => {
                        if backend == Backend::Gpu {
                            if self.choice == Backend::Gpu {
                                self.fatal = Some(e.clone());
                            }
                            return Err(anyhow::Error::new(e).context("GPU evaluation failed (--backend gpu, so no CPU fallback)"));
                        }
                        let why = e.to_string();
                        self.warnings.push(format!(
                            "warning: GPU failed ({}); recomputing on the CPU from here on",
                            why.lines().next().unwrap_or("")
                        ));
                        self.gpu = None;
                        self.gpu_unavailable = Some(why);
                    }
                }
            }
        }
        let started = Instant::now();
        let r = on_cpu();
        self.stats.cpu += started.elapsed();
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `batt report` draws the engine line from results.json: it must read as the line the
    /// run printed, even for a time that rounds differently at 0.1 ms before and after the
    /// file's microsecond rounding.
    #[test]
    fn the_engine_line_survives_a_round_trip_through_results_json() {
        for ns in (324_640_000u64..324_660_000).step_by(137) {
            let stats = EngineStats { cpu: Duration::from_nanos(ns), upload: Duration::from_nanos(ns / 3), ..EngineStats::default() };
            let back: EngineStats = serde_json::from_str(&serde_json::to_string(&stats).unwrap()).unwrap();
            assert_eq!(stats.line(), back.line(), "{ns} ns");
        }
    }
}
