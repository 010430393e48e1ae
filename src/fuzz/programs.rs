//! Random programs for the fuzz harness: batches of random programs (any op, every
//! parameter over its whole range; list programs split, map and join) on random grids
//! (1x1 to 30x30, one colour, sparse, real ARC grids), through the DSL-written reference,
//! the rayon executor and the Vulkan executor, which must all agree; their text form
//! (written, read back, and mangled: the parser must refuse without panicking); and
//! small searches with random alphabets and limits, CPU against GPU.

use rand::rngs::Xoshiro256PlusPlus;
use rand::RngExt;

use crate::engine::level::SearchJob;
use crate::engine::ops::table;
use crate::engine::program::{Op, Program, Step};
use crate::engine::search::{search_many, SearchLimits, SearchResult};
use crate::engine::{cpu_eval, reference, Backend, Engine, Item, ItemResult};
use crate::grid::{Grid, MAX_SIDE};

use super::tasks::{good_task, Seeds};

/// Grids a batch runs its programs on.
pub const GRIDS_PER_BATCH: usize = 8;

/// A random valid step: any op of the table, its parameters drawn over their ranges.
fn random_step(rng: &mut Xoshiro256PlusPlus) -> Step {
    let op = Op::ALL[rng.random_range(0..Op::ALL.len())];
    Step::random(op, |n| rng.random_range(0..n))
}

/// A random program: 1 to 4 random steps, or a list program (a split, one or two steps
/// mapped over its elements, then a join). Lists stop at two middle steps: longer chains
/// over 20 or more elements meet a lavapipe bug (`long_list_chains_over_many_columns_agree`).
pub fn random_program(rng: &mut Xoshiro256PlusPlus) -> Program {
    if rng.random_range(0..4) == 0 {
        let mut steps = vec![Step::with(Op::Split, rng.random_range(0..table::PARTS.len() as u32), 0)];
        for _ in 0..rng.random_range(1..=2) {
            steps.push(random_step(rng));
        }
        steps.push(match rng.random_range(0..3) {
            0 => Step::new(Op::Compose),
            1 => Step::new(Op::ComposeGrowing),
            _ => Step::with(Op::Stack, rng.random_range(0..3), 0),
        });
        return Program::new(steps).expect("a list program has at most 4 steps");
    }
    let steps = (0..rng.random_range(1..=4)).map(|_| random_step(rng)).collect();
    Program::new(steps).expect("1 to 4 valid steps make a program")
}

/// A random grid: sides weighted toward 1 and 30, a few colours or all ten, now and then
/// sparse, one colour, or a grid of a real task.
pub fn random_grid(rng: &mut Xoshiro256PlusPlus, real: &[Grid]) -> Grid {
    if !real.is_empty() && rng.random_range(0..3) == 0 {
        return real[rng.random_range(0..real.len())].clone();
    }
    let side = |rng: &mut Xoshiro256PlusPlus| match rng.random_range(0..5) {
        0 => 1,
        1 => MAX_SIDE,
        _ => rng.random_range(1..=MAX_SIDE),
    };
    let (rows, cols) = (side(rng), side(rng));
    let palette: Vec<u8> = (0..rng.random_range(1..=10)).map(|_| rng.random_range(0..10u8)).collect();
    let sparse = rng.random_bool(0.3);
    let cells = (0..rows * cols)
        .map(|_| if sparse && rng.random_range(0..100) >= 15 { palette[0] } else { palette[rng.random_range(0..palette.len())] })
        .collect();
    Grid::from_cells(rows, cols, cells).expect("sides 1..=30 and colours 0..9")
}

/// What one batch of programs checked.
#[derive(Debug, Default, Clone, Copy)]
pub struct BatchFigures {
    pub programs: usize,
    pub items: usize,
    pub gpu_items: usize,
    pub texts_round_tripped: usize,
    pub mangled_texts: usize,
    pub mangled_accepted: usize,
}

/// Runs `count` random programs on `GRIDS_PER_BATCH` random grids through the reference,
/// the CPU executor and (with `engine`) the GPU; checks their text form. The first
/// disagreement is the error.
pub fn check_batch(rng: &mut Xoshiro256PlusPlus, count: usize, real: &[Grid], engine: Option<&mut Engine>) -> Result<BatchFigures, String> {
    let programs: Vec<Program> = (0..count).map(|_| random_program(rng)).collect();
    let grids: Vec<Grid> = (0..GRIDS_PER_BATCH).map(|_| random_grid(rng, real)).collect();
    let mut items = Vec::with_capacity(count * grids.len());
    for p in 0..programs.len() {
        for g in 0..grids.len() {
            let expected = rng.random_bool(0.8).then(|| rng.random_range(0..grids.len()) as u32);
            items.push(Item { program: p as u32, input: g as u32, expected, want_output: rng.random_bool(0.9) });
        }
    }
    let mut figures = BatchFigures { programs: count, items: items.len(), ..Default::default() };
    let on_cpu = cpu_eval::evaluate(&programs, &grids, &items);
    for (i, (it, got)) in items.iter().zip(&on_cpu).enumerate() {
        let p = &programs[it.program as usize];
        let input = &grids[it.input as usize];
        let meant = ItemResult::from_output(reference::run_program(p, input), it.expected.map(|e| &grids[e as usize]), it.want_output);
        if *got != meant {
            return Err(format!("item {i}: `{p}` on a {}x{} grid: the CPU executor and the DSL reference differ\n  grid: {:?}", input.rows(), input.cols(), input));
        }
    }
    if let Some(engine) = engine {
        let on_gpu = engine.evaluate(&programs, &grids, &items, None, Some(Backend::Gpu)).map_err(|e| format!("GPU evaluation failed: {e:#}"))?;
        for (i, (it, (g, c))) in items.iter().zip(on_gpu.iter().zip(&on_cpu)).enumerate() {
            if g != c {
                let p = &programs[it.program as usize];
                let input = &grids[it.input as usize];
                return Err(format!("item {i}: `{p}` on a {}x{} grid: the GPU and CPU executors differ\n  grid: {:?}", input.rows(), input.cols(), input));
            }
        }
        figures.gpu_items = items.len();
    }
    for p in &programs {
        let text = p.to_string();
        match Program::parse(&text) {
            Ok(back) if back == *p => figures.texts_round_tripped += 1,
            Ok(back) => return Err(format!("`{text}` reads back as `{back}`")),
            Err(e) => return Err(format!("`{text}` does not read back: {e}")),
        }
        let mangled = mangle(&text, rng);
        figures.mangled_texts += 1;
        if let Ok(parsed) = Program::parse(&mangled) {
            figures.mangled_accepted += 1;
            // whatever the parser accepts must run
            let _ = reference::run_program(&parsed, &grids[0]);
            let _ = cpu_eval::evaluate(std::slice::from_ref(&parsed), &grids[..1], &[Item { program: 0, input: 0, expected: None, want_output: true }]);
        }
    }
    Ok(figures)
}

/// A program's text, damaged: cut short, a character inserted, deleted or swapped for a
/// random one (punctuation, digits, letters, multi-byte), or numbers made huge or negative.
fn mangle(text: &str, rng: &mut Xoshiro256PlusPlus) -> String {
    let chars: Vec<char> = text.chars().collect();
    let pool = ['(', ')', '|', ',', 'x', '-', '>', ' ', '0', '9', 'a', 'é', '∞', '\u{0}', '\u{202e}', '😀'];
    let at = rng.random_range(0..=chars.len());
    let mut out: Vec<char> = chars.clone();
    match rng.random_range(0..6) {
        0 => out.truncate(at),
        1 => out.insert(at, pool[rng.random_range(0..pool.len())]),
        2 if at < out.len() => {
            out.remove(at);
        }
        3 if at < out.len() => out[at] = pool[rng.random_range(0..pool.len())],
        4 => {
            let big = ["4294967296", "99999999999999999999999", "-1", "1e9", "007", ""];
            let s: String = out.iter().collect();
            let replaced = s.replacen(|c: char| c.is_ascii_digit(), big[rng.random_range(0..big.len())], 1);
            return replaced;
        }
        _ => {
            let n = rng.random_range(0..200);
            return "(".repeat(n) + text + &")".repeat(n);
        }
    }
    out.into_iter().collect()
}

/// What one search checked.
#[derive(Debug, Default, Clone, Copy)]
pub struct SearchFigures {
    pub searches: usize,
    pub on_gpu: usize,
    pub candidates: u64,
}

/// A few small searches with random alphabets and limits on good (mutated) tasks, on the
/// CPU and, with `engine`, on the GPU: the same programs, overlays and sizes.
pub fn check_searches(rng: &mut Xoshiro256PlusPlus, seeds: &Seeds, engine: &mut Engine, gpu: bool) -> Result<SearchFigures, String> {
    let jobs_count = rng.random_range(1..=3);
    let alphabet_size = rng.random_range(2..=12);
    let depth = if alphabet_size <= 6 { rng.random_range(1..=3) } else { rng.random_range(1..=2) };
    let limits = SearchLimits {
        depth,
        max_states: rng.random_range(10..=400),
        exhaustive: rng.random_range(1..=2),
        keep: rng.random_range(1..=20),
        pieces: rng.random_range(0..=8),
        max_layers: rng.random_range(2..=3),
        finishing: rng.random_bool(0.5),
        placing: rng.random_bool(0.5),
        filling: rng.random_bool(0.5),
    };
    let jobs: Vec<SearchJob> = (0..jobs_count)
        .map(|_| {
            let task = good_task(seeds, rng);
            let steps: Vec<Step> = (0..alphabet_size).map(|_| random_step(rng)).collect();
            let inputs: Vec<Grid> = task.train.iter().map(|p| p.input.clone()).collect();
            let outputs: Vec<Grid> = task.train.iter().map(|p| p.output.clone()).collect();
            let tests: Vec<Grid> = task.test.iter().map(|t| t.input.clone()).collect();
            limits.applied_to(SearchJob::new(&inputs, &outputs, &tests, steps))
        })
        .collect();
    let describe = |jobs: &[SearchJob]| {
        let alphabets: Vec<String> = jobs.iter().map(|j| j.steps.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", ")).collect();
        format!("limits {limits:?}; alphabets [{}]", alphabets.join("] ["))
    };
    let (on_cpu, _) = search_many(engine, &jobs, &limits, Some(Backend::Cpu)).map_err(|e| format!("CPU search failed: {e:#}; {}", describe(&jobs)))?;
    let mut figures = SearchFigures { searches: jobs.len(), on_gpu: 0, candidates: on_cpu.iter().map(|r| r.stats.evaluated as u64).sum() };
    if gpu {
        let (on_gpu, _) = search_many(engine, &jobs, &limits, Some(Backend::Gpu)).map_err(|e| format!("GPU search failed: {e:#}; {}", describe(&jobs)))?;
        for (k, (g, c)) in on_gpu.iter().zip(&on_cpu).enumerate() {
            if !same_search(g, c) {
                return Err(format!("search {k}: the GPU and CPU searches differ; {}", describe(&jobs)));
            }
        }
        figures.on_gpu = jobs.len();
    }
    Ok(figures)
}

fn same_search(a: &SearchResult, b: &SearchResult) -> bool {
    a.found == b.found && a.overlays == b.overlays && a.test_sizes == b.test_sizes && a.stats.evaluated == b.stats.evaluated
}

