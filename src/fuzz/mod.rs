//! `batt fuzz`: the fuzz harness. Mutated real tasks go through the loader (`tasks`: every
//! good task must load exactly as written, every bad one must be named with its file,
//! task, pair and reason); random programs go through the DSL-written reference, the rayon
//! executor and the Vulkan executor, which must agree, and through the program text parser;
//! small random searches run on both executors (`programs`). A panic, a case that runs
//! past `--hang-after`, a lost good task, an unnamed bad one or a disagreement is a
//! failure, reported with the command that replays it. Every case is drawn from the seed
//! and its number alone, so a run and a replay see the same bytes.

pub mod mutations;
pub mod programs;
pub mod tasks;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use rand::rngs::Xoshiro256PlusPlus;
use rand::SeedableRng;
use rayon::prelude::*;
use serde::Serialize;

use crate::engine::{Backend, Engine};
use crate::grid::Grid;
use tasks::{Layout, Seeds, Verdict};

/// Programs per batch (each on `programs::GRIDS_PER_BATCH` grids).
const PROGRAMS_PER_BATCH: u64 = 250;
/// Task cases per unit of parallel work.
const TASK_CHUNK: u64 = 512;
/// Failures described in full (the counts cover all of them).
const FAILURES_KEPT: usize = 20;

/// Which executors the programs and searches compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Executors {
    /// The reference and the CPU, and Vulkan when a device is found (lavapipe included).
    Auto,
    /// The reference, the CPU and Vulkan (an error without a device).
    Gpu,
    /// The reference and the CPU.
    Cpu,
}

/// One case to run again alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replay {
    Task(u64),
    Programs(u64),
    Search(u64),
}

impl std::str::FromStr for Replay {
    type Err = String;
    fn from_str(s: &str) -> Result<Replay, String> {
        let (kind, n) = s.split_once(':').ok_or_else(|| format!("expected task:N, programs:N or search:N, got {s:?}"))?;
        let n: u64 = n.parse().map_err(|_| format!("{n:?} is not a case number (in {s:?})"))?;
        match kind {
            "task" => Ok(Replay::Task(n)),
            "programs" => Ok(Replay::Programs(n)),
            "search" => Ok(Replay::Search(n)),
            _ => Err(format!("unknown case kind {kind:?}: expected task, programs or search")),
        }
    }
}

#[derive(Debug, Clone)]
pub struct FuzzOptions {
    pub tasks: u64,
    pub programs: u64,
    pub searches: u64,
    pub seed: u64,
    pub executors: Executors,
    pub device: Option<String>,
    pub hang_after: Duration,
    pub replay: Option<Replay>,
    pub quiet: bool,
}

/// A run's figures, as printed and as `--json` writes them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FuzzFigures {
    pub version: String,
    pub seed: u64,
    pub executors: Vec<String>,
    pub tasks: TaskFigures,
    pub programs: ProgramFigures,
    pub searches: SearchFigures,
    pub failures: FailureCounts,
    /// The first failures in full, each with the command that replays it.
    pub first_failures: Vec<String>,
    pub seconds: f64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TaskFigures {
    pub cases: u64,
    pub task_files: u64,
    pub corpus_files: u64,
    pub challenges_files: u64,
    pub tasks_loaded_valid: u64,
    pub tasks_named_invalid: u64,
    pub bytes: u64,
    /// Cases by mutation applied (a case has several).
    pub mutations: BTreeMap<String, u64>,
    pub seconds: f64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ProgramFigures {
    pub programs: u64,
    pub batches: u64,
    pub items_reference_vs_cpu: u64,
    pub items_gpu_vs_cpu: u64,
    pub texts_round_tripped: u64,
    pub mangled_texts: u64,
    pub mangled_texts_accepted: u64,
    pub seconds: f64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct SearchFigures {
    pub rounds: u64,
    pub searches: u64,
    pub gpu_vs_cpu: u64,
    pub candidates: u64,
    pub seconds: f64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct FailureCounts {
    pub panics: u64,
    pub hangs: u64,
    pub lost_good_tasks: u64,
    pub bad_tasks_not_named: u64,
    pub disagreements: u64,
}

impl FailureCounts {
    pub fn total(&self) -> u64 {
        self.panics + self.hangs + self.lost_good_tasks + self.bad_tasks_not_named + self.disagreements
    }
}

/// The generator of case `index` of a kind (`salt`) in the run seeded with `seed`.
fn case_rng(seed: u64, salt: u64, index: u64) -> Xoshiro256PlusPlus {
    // splitmix64 of the three, so neighbouring cases start far apart
    let mut z = seed ^ salt.rotate_left(32) ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    Xoshiro256PlusPlus::seed_from_u64(z ^ (z >> 31))
}

const TASK_SALT: u64 = 1;
const PROGRAM_SALT: u64 = 2;
const SEARCH_SALT: u64 = 3;

thread_local! {
    /// The message of the last panic on this thread, caught by `guarded`.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The message of the last panic on any thread: a panic on a rayon worker reaches the
/// caller's `guarded` with the worker's thread-local left behind.
static LAST_PANIC_ANYWHERE: Mutex<Option<String>> = Mutex::new(None);

/// Runs `f`, turning a panic into an error with its message and place.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|_| {
        let anywhere = || LAST_PANIC_ANYWHERE.lock().unwrap_or_else(|e| e.into_inner()).take();
        LAST_PANIC.with(|p| p.borrow_mut().take()).or_else(anywhere).unwrap_or_else(|| "a panic".to_string())
    })
}

/// Cases in progress, watched for hangs.
#[derive(Default)]
struct Watch {
    running: Mutex<BTreeMap<u64, (Instant, String)>>,
    next_ticket: AtomicU64,
    done_tasks: AtomicU64,
}

impl Watch {
    fn begin(&self, what: String) -> u64 {
        let ticket = self.next_ticket.fetch_add(1, Ordering::Relaxed);
        self.running.lock().unwrap_or_else(|e| e.into_inner()).insert(ticket, (Instant::now(), what));
        ticket
    }
    fn end(&self, ticket: u64) {
        self.running.lock().unwrap_or_else(|e| e.into_inner()).remove(&ticket);
    }
}

/// `batt fuzz`: runs the harness, prints its figures; exit code 1 when anything failed.
pub fn run(opts: &FuzzOptions) -> Result<(FuzzFigures, i32)> {
    let started = Instant::now();
    let seeds = Seeds::embedded().context("reading the embedded corpus for seed tasks")?;
    let mut figures = FuzzFigures { version: env!("CARGO_PKG_VERSION").to_string(), seed: opts.seed, ..Default::default() };
    let mut engine = open_engine(opts, &mut figures)?;
    let previous_hook = panic::take_hook();
    panic::set_hook(Box::new(|info| {
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        let message = info.payload().downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| info.payload().downcast_ref::<String>().cloned()).unwrap_or_else(|| "a panic".to_string());
        let what = format!("panicked{place}: {message}");
        *LAST_PANIC_ANYWHERE.lock().unwrap_or_else(|e| e.into_inner()) = Some(what.clone());
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(what));
    }));
    let watch = Arc::new(Watch::default());
    let stop_watching = Arc::new(AtomicU64::new(0));
    let watchdog = spawn_watchdog(opts, Arc::clone(&watch), Arc::clone(&stop_watching));
    let mut failures = Vec::new();
    match opts.replay {
        Some(Replay::Task(k)) => replay_task(opts, &seeds, k, &mut figures, &mut failures),
        Some(Replay::Programs(b)) => run_program_batches(opts, &seeds, b..b + 1, engine.as_mut(), &watch, &mut figures, &mut failures),
        Some(Replay::Search(k)) => run_searches(opts, &seeds, k..k + 1, engine.as_mut(), &watch, &mut figures, &mut failures),
        None => {
            run_task_cases(opts, &seeds, &watch, &mut figures, &mut failures);
            let batches = opts.programs.div_ceil(PROGRAMS_PER_BATCH);
            run_program_batches(opts, &seeds, 0..batches, engine.as_mut(), &watch, &mut figures, &mut failures);
            run_searches(opts, &seeds, 0..opts.searches, engine.as_mut(), &watch, &mut figures, &mut failures);
        }
    }
    stop_watching.store(1, Ordering::Relaxed);
    let _ = watchdog.join();
    panic::set_hook(previous_hook);
    figures.first_failures = failures.into_iter().take(FAILURES_KEPT).collect();
    figures.seconds = started.elapsed().as_secs_f64();
    let code = i32::from(figures.failures.total() > 0);
    Ok((figures, code))
}

fn open_engine(opts: &FuzzOptions, figures: &mut FuzzFigures) -> Result<Option<Engine>> {
    figures.executors = vec!["reference (the DSL)".to_string(), format!("cpu (rayon, {} threads)", rayon::current_num_threads())];
    if opts.executors == Executors::Cpu {
        return Ok(Some(quiet_engine(Engine::new(Backend::Cpu))));
    }
    let mut engine = Engine::new(Backend::Gpu).with_device(opts.device.clone());
    match engine.start() {
        Ok(()) => {
            figures.executors.push(engine.backend_name());
            Ok(Some(quiet_engine(engine)))
        }
        Err(e) if opts.executors == Executors::Auto && !std::env::var("BATT_REQUIRE_GPU").is_ok_and(|v| v == "1") => {
            eprintln!("fuzz: no Vulkan device, comparing the reference and the CPU only ({e:#})");
            Ok(Some(quiet_engine(Engine::new(Backend::Cpu))))
        }
        Err(e) => bail!("{e:#}"),
    }
}

/// An engine that caches nothing: every comparison computes afresh.
fn quiet_engine(mut engine: Engine) -> Engine {
    engine.use_cache = false;
    engine
}

fn has_gpu(engine: &Option<&mut Engine>) -> bool {
    engine.as_ref().is_some_and(|e| e.choice() == Backend::Gpu)
}

fn spawn_watchdog(opts: &FuzzOptions, watch: Arc<Watch>, stop: Arc<AtomicU64>) -> std::thread::JoinHandle<()> {
    let (hang_after, quiet, seed, total) = (opts.hang_after, opts.quiet, opts.seed, opts.tasks);
    std::thread::spawn(move || {
        let mut last_progress = Instant::now();
        while stop.load(Ordering::Relaxed) == 0 {
            std::thread::sleep(Duration::from_millis(200));
            let running = watch.running.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((since, what)) = running.values().find(|(since, _)| since.elapsed() > hang_after) {
                eprintln!(
                    "fuzz: HANG: {what} has run for {:.0} s (more than --hang-after {} s); replay it alone with `batt fuzz --seed {seed} --replay {}`",
                    since.elapsed().as_secs_f64(),
                    hang_after.as_secs(),
                    what.split_whitespace().next().unwrap_or("")
                );
                eprintln!("fuzz: failures: hangs 1; stopping");
                std::process::exit(3);
            }
            drop(running);
            if !quiet && last_progress.elapsed() > Duration::from_secs(10) {
                last_progress = Instant::now();
                let done = watch.done_tasks.load(Ordering::Relaxed);
                if done < total {
                    eprintln!("fuzz: {done}/{total} task cases");
                }
            }
        }
    })
}

fn record_failure(failures: &mut Vec<String>, seed: u64, case: &str, what: &str) {
    failures.push(format!("{case}: {what}\n  replay: batt fuzz --seed {seed} --replay {case}"));
}

/// One task case: (layout, verdict or panic, mutations, bytes, the case's description).
type TaskOutcome = (Layout, Result<Verdict, String>, Vec<&'static str>, u64, String);

/// Task case `index` of the run seeded with `seed`, as the harness makes it.
pub fn task_case(seeds: &Seeds, seed: u64, index: u64) -> tasks::TaskCase {
    tasks::case(seeds, &mut case_rng(seed, TASK_SALT, index), index)
}

/// A fault the harness must catch, injected for its own tests by `BATT_FUZZ_INJECT`:
/// `panic@CASE` panics in that case, `stall@CASE` makes it run forever (the watchdog's
/// hang). CASE as `--replay` writes it (task:N, programs:N, search:N).
fn inject(case: &str) {
    let Ok(spec) = std::env::var("BATT_FUZZ_INJECT") else { return };
    match spec.split_once('@') {
        Some(("panic", at)) if at == case => panic!("injected by BATT_FUZZ_INJECT={spec}"),
        Some(("stall", at)) if at == case => loop {
            std::thread::sleep(Duration::from_secs(1));
        },
        _ => {}
    }
}

fn task_outcome(seeds: &Seeds, seed: u64, index: u64, describe: bool) -> TaskOutcome {
    let mut rng = case_rng(seed, TASK_SALT, index);
    match guarded(|| {
        inject(&format!("task:{index}"));
        tasks::case(seeds, &mut rng, index)
    }) {
        Ok(case) => {
            let verdict = guarded(|| tasks::check(&case));
            let description = if describe || !matches!(verdict, Ok(Verdict::Ok { .. })) { tasks::describe(&case) } else { String::new() };
            (case.layout, verdict, case.mutations, case.bytes.len() as u64, description)
        }
        Err(panic) => (Layout::TaskFile, Err(format!("making the case {panic}")), Vec::new(), 0, String::new()),
    }
}

fn tally_task(figures: &mut TaskFigures, counts: &mut FailureCounts, failures: &mut Vec<String>, seed: u64, index: u64, outcome: TaskOutcome) {
    let (layout, verdict, mutations, bytes, description) = outcome;
    figures.cases += 1;
    figures.bytes += bytes;
    match layout {
        Layout::TaskFile => figures.task_files += 1,
        Layout::Corpus => figures.corpus_files += 1,
        Layout::Challenges => figures.challenges_files += 1,
    }
    for m in mutations {
        *figures.mutations.entry(m.to_string()).or_default() += 1;
    }
    let case = format!("task:{index}");
    match verdict {
        Ok(Verdict::Ok { valid, invalid }) => {
            figures.tasks_loaded_valid += valid as u64;
            figures.tasks_named_invalid += invalid as u64;
        }
        Ok(Verdict::LostGoodTask(why)) => {
            counts.lost_good_tasks += 1;
            record_failure(failures, seed, &case, &format!("lost a good task: {why}\n  case: {description}"));
        }
        Ok(Verdict::BadTaskNotNamed(why)) => {
            counts.bad_tasks_not_named += 1;
            record_failure(failures, seed, &case, &format!("a bad task not named: {why}\n  case: {description}"));
        }
        Err(panic) => {
            counts.panics += 1;
            record_failure(failures, seed, &case, &format!("{panic}\n  case: {description}"));
        }
    }
}

fn run_task_cases(opts: &FuzzOptions, seeds: &Seeds, watch: &Watch, figures: &mut FuzzFigures, failures: &mut Vec<String>) {
    let started = Instant::now();
    let chunks = opts.tasks.div_ceil(TASK_CHUNK);
    let seed = opts.seed;
    let merged = (0..chunks)
        .into_par_iter()
        .map(|chunk| {
            let (mut t, mut c, mut f) = (TaskFigures::default(), FailureCounts::default(), Vec::new());
            for index in chunk * TASK_CHUNK..((chunk + 1) * TASK_CHUNK).min(opts.tasks) {
                let ticket = watch.begin(format!("task:{index}"));
                let outcome = task_outcome(seeds, seed, index, false);
                watch.end(ticket);
                tally_task(&mut t, &mut c, &mut f, seed, index, outcome);
            }
            watch.done_tasks.fetch_add(t.cases, Ordering::Relaxed);
            (t, c, f)
        })
        .reduce(
            || (TaskFigures::default(), FailureCounts::default(), Vec::new()),
            |(mut t, mut c, mut f), (t2, c2, f2)| {
                merge_tasks(&mut t, t2);
                merge_counts(&mut c, c2);
                f.extend(f2);
                (t, c, f)
            },
        );
    let (mut t, c, f) = merged;
    t.seconds = started.elapsed().as_secs_f64();
    figures.tasks = t;
    merge_counts(&mut figures.failures, c);
    failures.extend(f);
}

fn replay_task(opts: &FuzzOptions, seeds: &Seeds, index: u64, figures: &mut FuzzFigures, failures: &mut Vec<String>) {
    let outcome = task_outcome(seeds, opts.seed, index, true);
    println!("task:{index}: {}", outcome.4);
    match &outcome.1 {
        Ok(v) => println!("  verdict: {v:?}"),
        Err(p) => println!("  {p}"),
    }
    let (mut t, mut c) = (TaskFigures::default(), FailureCounts::default());
    tally_task(&mut t, &mut c, failures, opts.seed, index, outcome);
    figures.tasks = t;
    merge_counts(&mut figures.failures, c);
}

fn merge_tasks(a: &mut TaskFigures, b: TaskFigures) {
    a.cases += b.cases;
    a.task_files += b.task_files;
    a.corpus_files += b.corpus_files;
    a.challenges_files += b.challenges_files;
    a.tasks_loaded_valid += b.tasks_loaded_valid;
    a.tasks_named_invalid += b.tasks_named_invalid;
    a.bytes += b.bytes;
    for (k, v) in b.mutations {
        *a.mutations.entry(k).or_default() += v;
    }
}

fn merge_counts(a: &mut FailureCounts, b: FailureCounts) {
    a.panics += b.panics;
    a.hangs += b.hangs;
    a.lost_good_tasks += b.lost_good_tasks;
    a.bad_tasks_not_named += b.bad_tasks_not_named;
    a.disagreements += b.disagreements;
}

/// Grids of real tasks that random programs also run on.
fn real_grids(seeds: &Seeds, rng: &mut Xoshiro256PlusPlus) -> Vec<Grid> {
    let task = tasks::good_task(seeds, rng);
    task.train.iter().flat_map(|p| [p.input.clone(), p.output.clone()]).chain(task.test.iter().map(|t| t.input.clone())).collect()
}

/// Runs one program or search case under the watchdog (and `BATT_FUZZ_INJECT`): its
/// figures, or None with its disagreement or panic counted and recorded.
fn run_case<T>(seed: u64, watch: &Watch, case: &str, counts: &mut FailureCounts, failures: &mut Vec<String>, check: impl FnOnce() -> Result<T, String>) -> Option<T> {
    let ticket = watch.begin(case.to_string());
    let outcome = guarded(|| {
        inject(case);
        check()
    });
    watch.end(ticket);
    match outcome {
        Ok(Ok(figures)) => Some(figures),
        Ok(Err(why)) => {
            counts.disagreements += 1;
            record_failure(failures, seed, case, &why);
            None
        }
        Err(panic) => {
            counts.panics += 1;
            record_failure(failures, seed, case, &panic);
            None
        }
    }
}

fn run_program_batches(opts: &FuzzOptions, seeds: &Seeds, batches: std::ops::Range<u64>, mut engine: Option<&mut Engine>, watch: &Watch, figures: &mut FuzzFigures, failures: &mut Vec<String>) {
    let started = Instant::now();
    let gpu = has_gpu(&engine);
    for b in batches {
        let count = opts.programs.saturating_sub(b * PROGRAMS_PER_BATCH).clamp(1, PROGRAMS_PER_BATCH) as usize;
        let mut rng = case_rng(opts.seed, PROGRAM_SALT, b);
        let case = format!("programs:{b}");
        let outcome = run_case(opts.seed, watch, &case, &mut figures.failures, failures, || {
            let real = real_grids(seeds, &mut rng);
            programs::check_batch(&mut rng, count, &real, if gpu { engine.as_deref_mut() } else { None })
        });
        let p = &mut figures.programs;
        p.batches += 1;
        p.programs += count as u64;
        if let Some(f) = outcome {
            p.items_reference_vs_cpu += f.items as u64;
            p.items_gpu_vs_cpu += f.gpu_items as u64;
            p.texts_round_tripped += f.texts_round_tripped as u64;
            p.mangled_texts += f.mangled_texts as u64;
            p.mangled_texts_accepted += f.mangled_accepted as u64;
        }
    }
    figures.programs.seconds += started.elapsed().as_secs_f64();
}

fn run_searches(opts: &FuzzOptions, seeds: &Seeds, rounds: std::ops::Range<u64>, engine: Option<&mut Engine>, watch: &Watch, figures: &mut FuzzFigures, failures: &mut Vec<String>) {
    let started = Instant::now();
    let gpu = has_gpu(&engine);
    let Some(engine) = engine else { return };
    for k in rounds {
        let mut rng = case_rng(opts.seed, SEARCH_SALT, k);
        let case = format!("search:{k}");
        let outcome = run_case(opts.seed, watch, &case, &mut figures.failures, failures, || programs::check_searches(&mut rng, seeds, engine, gpu));
        let s = &mut figures.searches;
        s.rounds += 1;
        if let Some(f) = outcome {
            s.searches += f.searches as u64;
            s.gpu_vs_cpu += f.on_gpu as u64;
            s.candidates += f.candidates;
        }
    }
    figures.searches.seconds += started.elapsed().as_secs_f64();
}

/// The figures in a few lines.
pub fn summary(f: &FuzzFigures) -> String {
    let t = &f.tasks;
    let p = &f.programs;
    let s = &f.searches;
    let c = &f.failures;
    let mut out = format!(
        "batt fuzz {} (seed {}): executors {}\n\
         tasks: {} cases ({} task files, {} corpus files, {} challenges files; {:.1} MB) in {:.1} s: {} tasks loaded as written, {} bad tasks named with their reason\n\
         programs: {} random programs in {} batches in {:.1} s: {} items reference = cpu, {} items gpu = cpu; {} texts read back, {} mangled texts parsed ({} accepted)\n\
         searches: {} rounds, {} searches in {:.1} s ({} candidates): {} gpu = cpu\n\
         failures: panics {}, hangs {}, lost good tasks {}, bad tasks not named {}, disagreements {}",
        f.version,
        f.seed,
        f.executors.join(", "),
        t.cases,
        t.task_files,
        t.corpus_files,
        t.challenges_files,
        t.bytes as f64 / 1e6,
        t.seconds,
        t.tasks_loaded_valid,
        t.tasks_named_invalid,
        p.programs,
        p.batches,
        p.seconds,
        p.items_reference_vs_cpu,
        p.items_gpu_vs_cpu,
        p.texts_round_tripped,
        p.mangled_texts,
        p.mangled_texts_accepted,
        s.rounds,
        s.searches,
        s.seconds,
        s.candidates,
        s.gpu_vs_cpu,
        c.panics,
        c.hangs,
        c.lost_good_tasks,
        c.bad_tasks_not_named,
        c.disagreements,
    );
    for failure in &f.first_failures {
        out.push_str("\nFAILED ");
        out.push_str(failure);
    }
    out
}

/// Where `--json` writes (checked before the run, so a long run does not end in a bad path).
pub fn check_json_path(path: &Option<PathBuf>) -> Result<()> {
    if let Some(p) = path {
        let dir = p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
        if !dir.is_dir() {
            bail!("--json {}: the folder {} does not exist", p.display(), dir.display());
        }
    }
    Ok(())
}
