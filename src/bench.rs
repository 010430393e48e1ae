//! `batt bench`: program evaluations per second on the rayon CPU executor and on the
//! Vulkan executor, side by side in one process (so their ratio holds on a noisy machine),
//! for 1- and 3-step programs over ARC-AGI-1 training input grids, at batch sizes from 1
//! to 1,000,000 (programs × grids, as a search evaluates them), with the GPU time split
//! into upload, compute and readback.

use std::time::{Duration, Instant};

use anyhow::Result;
use serde::Serialize;

use crate::data::dataset::{Dataset, TaskEntry};
use crate::engine::program::{Op, Program, Step};
use crate::engine::vulkan::VulkanExecutor;
use crate::engine::cpu_eval;
use crate::grid::Grid;
use crate::data::task::Split;

#[derive(Debug, Clone, Serialize)]
pub struct BenchRow {
    pub steps: usize,
    pub batch: usize,
    pub cpu_evals_per_s: Option<f64>,
    pub gpu_evals_per_s: Option<f64>,
    /// Mean per flush, in milliseconds.
    pub gpu_flush_ms: Option<f64>,
    pub gpu_upload_ms: Option<f64>,
    pub gpu_compute_ms: Option<f64>,
    pub gpu_readback_ms: Option<f64>,
    pub gpu_over_cpu: Option<f64>,
}

pub struct BenchOptions {
    pub steps: Vec<usize>,
    pub sizes: Vec<usize>,
    pub cpu: bool,
    pub gpu: bool,
    /// Minimum time spent measuring each cell of the table.
    pub min_time: Duration,
}

/// A small deterministic generator (xorshift), so every run benchmarks the same programs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u32 {
        (self.next() % n) as u32
    }
}

/// `count` random valid programs of `steps` steps, all ops equally likely, their
/// parameters drawn from their whole ranges (`Step::random`).
pub fn random_programs(count: usize, steps: usize, seed: u64) -> Vec<Program> {
    let mut rng = Rng(seed.max(1));
    (0..count)
        .map(|_| {
            let steps: Vec<Step> = (0..steps)
                .map(|_| {
                    let op = Op::ALL[rng.below(Op::ALL.len() as u64) as usize];
                    Step::random(op, |n| rng.below(n as u64))
                })
                .collect();
            Program::new(steps).expect("valid by construction")
        })
        .collect()
}

/// Every input grid of the ARC-AGI-1 training tasks (train pairs and test inputs).
pub fn training_inputs() -> Result<Vec<Grid>> {
    let data = Dataset::embedded()?;
    let mut grids = Vec::new();
    for e in &data.entries {
        if let TaskEntry::Valid(t) = e {
            if t.split == Some(Split::Train) {
                grids.extend(t.train.iter().map(|p| p.input.clone()));
                grids.extend(t.test.iter().map(|c| c.input.clone()));
            }
        }
    }
    Ok(grids)
}


/// Runs `f` until `min_time` has passed (at least once); returns (runs, total time).
fn measure(min_time: Duration, mut f: impl FnMut() -> Result<()>) -> Result<(u32, Duration)> {
    let start = Instant::now();
    let mut runs = 0;
    loop {
        f()?;
        runs += 1;
        if start.elapsed() >= min_time {
            return Ok((runs, start.elapsed()));
        }
    }
}

/// Grids per batch at most; larger batches take more programs.
const MAX_GRIDS: usize = 1000;

pub fn run(opts: &BenchOptions, mut gpu: Option<&mut VulkanExecutor>, mut on_row: impl FnMut(&BenchRow)) -> Result<Vec<BenchRow>> {
    let all_grids = training_inputs()?;
    let mut rows = Vec::new();
    for &steps in &opts.steps {
        let all_programs = random_programs(4096, steps, 0x5eed + steps as u64);
        for &size in &opts.sizes {
            // A batch of `size` is P programs x N grids (the cross product a search runs),
            // each scored against a grid (here the input itself); no outputs come back.
            let n = size.min(MAX_GRIDS).min(all_grids.len());
            let p = size.div_ceil(n).min(all_programs.len());
            let programs = &all_programs[..p];
            let grids = &all_grids[..n];
            let evaluated = p * n;
            let mut row = BenchRow {
                steps,
                batch: evaluated,
                cpu_evals_per_s: None,
                gpu_evals_per_s: None,
                gpu_flush_ms: None,
                gpu_upload_ms: None,
                gpu_compute_ms: None,
                gpu_readback_ms: None,
                gpu_over_cpu: None,
            };
            if opts.cpu {
                let (runs, total) = measure(opts.min_time, || {
                    std::hint::black_box(cpu_eval::evaluate_cross(programs, grids, Some(grids), false));
                    Ok(())
                })?;
                row.cpu_evals_per_s = Some(evaluated as f64 * runs as f64 / total.as_secs_f64());
            }
            if let (true, Some(exec)) = (opts.gpu, gpu.as_deref_mut()) {
                exec.evaluate_cross(programs, grids, Some(grids), false)?; // warm-up: buffers grow to this size
                let (mut up, mut comp, mut back) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
                let (runs, total) = measure(opts.min_time, || {
                    std::hint::black_box(exec.evaluate_cross(programs, grids, Some(grids), false)?);
                    up += exec.last.upload;
                    comp += exec.last.compute;
                    back += exec.last.readback;
                    Ok(())
                })?;
                let per = |d: Duration| d.as_secs_f64() * 1e3 / runs as f64;
                row.gpu_evals_per_s = Some(evaluated as f64 * runs as f64 / total.as_secs_f64());
                row.gpu_flush_ms = Some(total.as_secs_f64() * 1e3 / runs as f64);
                row.gpu_upload_ms = Some(per(up));
                row.gpu_compute_ms = Some(per(comp));
                row.gpu_readback_ms = Some(per(back));
            }
            if let (Some(c), Some(g)) = (row.cpu_evals_per_s, row.gpu_evals_per_s) {
                row.gpu_over_cpu = Some(g / c);
            }
            on_row(&row);
            rows.push(row);
        }
    }
    Ok(rows)
}

fn rate(v: Option<f64>) -> String {
    match v {
        None => "-".into(),
        Some(x) if x >= 1e6 => format!("{:.2} M/s", x / 1e6),
        Some(x) if x >= 1e3 => format!("{:.1} k/s", x / 1e3),
        Some(x) => format!("{x:.0} /s"),
    }
}

fn ms(v: Option<f64>) -> String {
    v.map_or("-".into(), |x| format!("{x:.3}"))
}

pub const TABLE_HEADER: &str = "| steps | batch | CPU (rayon) | GPU (Vulkan) | GPU/CPU | flush ms | upload ms | compute ms | readback ms |\n|---|---|---|---|---|---|---|---|---|";

pub fn format_row(r: &BenchRow) -> String {
    format!(
        "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
        r.steps,
        r.batch,
        rate(r.cpu_evals_per_s),
        rate(r.gpu_evals_per_s),
        r.gpu_over_cpu.map_or("-".into(), |x| format!("{x:.1}x")),
        ms(r.gpu_flush_ms),
        ms(r.gpu_upload_ms),
        ms(r.gpu_compute_ms),
        ms(r.gpu_readback_ms)
    )
}
