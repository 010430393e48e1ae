//! Owns one run, for `batt run` and for every re-run of watch mode: the session that
//! outlives runs (engine, kept values, interrupt flag), the worker threads (`-j N`), each
//! with its own Lua state running the same script over the tasks the board deals it, a
//! broken or runaway task kept from costing the rest of the run (a worker's script resumes
//! at its next task), the merged outcome in selection order, and the summary and output
//! files made from it.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{bail, Context, Result};

use crate::cli::RunArgs;
use crate::data::dataset::{DataSource, Dataset, TaskEntry};
use crate::engine::{Backend, Engine, EngineStats, SharedEngine, WorkerEngine};
use crate::lua::keep::KeptValues;
use crate::lua::{HostContext, ScriptHost};
use crate::outputs::files::{write_results, write_submission, write_submission_with, Results, RESULTS_SCHEMA};
use crate::outputs::provenance::Provenance;
use crate::run::budget::BudgetPlan;
use crate::run::progress::Progress;
use crate::run::record::{TaskRecord, TaskStatus};
use crate::run::state::{RunBoard, RunState, SharedState, Watchdog, WorkTimings};
use crate::data::selection::{SelectionInfo, TaskFilter};
use crate::outputs::summary::{Summary, Timing};

/// What to run and how, as given on the command line.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub script: PathBuf,
    /// None: the embedded ARC-AGI-1.
    pub data: Option<PathBuf>,
    pub filter: TaskFilter,
    pub task_timeout: Option<Duration>,
    pub args: Vec<String>,
    pub quiet: bool,
    pub backend: Backend,
    /// The Vulkan device by index or name (`--device`).
    pub device: Option<String>,
    /// Print each task's engine stats under its line.
    pub task_stats: bool,
    /// Worker threads, each with its own Lua state (`-j`); at least 1.
    pub jobs: usize,
    /// The plan of a run under `--time-budget` (None: no whole-run limit).
    pub plan: Option<BudgetPlan>,
}

/// Everything a finished run produced.
pub struct RunOutcome {
    pub records: Vec<TaskRecord>,
    /// All workers' timings added up.
    pub work: WorkTimings,
    /// Time spent setting up Lua and the script (the slowest worker's).
    pub script_load: Duration,
    /// Wall time of the script run (script load included).
    pub script_wall: Duration,
    /// Of `script_wall`, the time the engine was busy (for any worker).
    pub engine_busy: Duration,
    /// A script error outside any task, if the script failed that way.
    pub script_error: Option<String>,
    /// Log lines written outside any task, worker by worker.
    pub run_log: Vec<String>,
    /// The engine's backend (one short clause) and its stats over the whole run.
    pub backend: String,
    /// Why no GPU ran the batches, in full, when one was looked for.
    pub gpu_unavailable: Option<String>,
    pub engine: EngineStats,
    /// Every Lua file the run loaded.
    pub loaded_files: Vec<PathBuf>,
    /// The user interrupted the run; the tasks not finished are recorded as not run.
    pub interrupted: bool,
    /// How many workers ran.
    pub workers: usize,
    /// Valid tasks no worker finished (not reached, or interrupted).
    pub not_reached: usize,
}

/// What outlives one run: the engine (Vulkan device, pipelines, result and search caches),
/// the values scripts keep (`batt.keep`), the interrupt flag and the number of runs so far.
pub struct Session {
    pub engine: SharedEngine,
    pub kept: KeptValues,
    pub interrupt: Arc<AtomicBool>,
    pub runs: u32,
}

impl Session {
    /// A session whose engine is started now (under `--backend gpu`, failing without a device).
    pub fn new(backend: Backend, device: Option<String>) -> Result<Session> {
        let mut engine = Engine::new(backend).with_device(device);
        engine.start()?;
        Ok(Session {
            engine: SharedEngine::new(engine),
            kept: Arc::new(Mutex::new(HashMap::new())),
            interrupt: Arc::new(AtomicBool::new(false)),
            runs: 0,
        })
    }
}

/// The number of workers `-j` defaults to: one per core.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Runs `script` over `selection` in a fresh session (see `run_in_session`).
pub fn run_script(script: &Path, selection: Vec<TaskEntry>, opts: &RunOptions) -> Result<RunOutcome> {
    let mut session = Session::new(opts.backend, opts.device.clone())?;
    run_in_session(&mut session, script, selection, opts, &[])
}

/// What one worker brings back.
#[derive(Default)]
struct WorkerOutcome {
    work: WorkTimings,
    script_load: Duration,
    script_error: Option<String>,
    run_log: Vec<String>,
    loaded_files: BTreeSet<PathBuf>,
}

/// Runs `script` over `selection` with `opts.jobs` workers, in a session that outlives the
/// run (watch mode re-runs in one); `changed` lists the files whose change started this
/// run. Every worker runs the whole script in its own Lua state, and its `batt.tasks()`
/// deals it the next task no worker has taken. An error inside a task ends that task and
/// the worker's script starts again at its next one; an error outside any task (or a GPU
/// failure under `--backend gpu`) stops every worker, and the tasks not reached are
/// recorded as errors. The records come back in selection order.
pub fn run_in_session(
    session: &mut Session,
    script: &Path,
    selection: Vec<TaskEntry>,
    opts: &RunOptions,
    changed: &[PathBuf],
) -> Result<RunOutcome> {
    let reloads = session.runs;
    session.runs += 1;
    let started = Instant::now();
    let total = selection.len();
    let valid = selection.iter().filter(|e| matches!(e, TaskEntry::Valid(_))).count();
    let workers = opts.jobs.max(1).min(valid.max(1));
    let (engine_before, busy_before) = {
        let mut engine = session.engine.lock();
        // results a previous run's batch left untaken (the search cache still has them)
        engine.ready_searches.clear();
        (engine.stats.clone(), session.engine.busy())
    };
    let source = std::fs::read(script).with_context(|| format!("cannot read script {}", script.display()))?;
    let halt = Arc::new(AtomicBool::new(false));
    let progress = Progress::new(total, opts.quiet);
    let board = Arc::new(RunBoard::new(selection, progress, opts.task_stats, workers, session.interrupt.clone(), halt.clone()).with_task_limit(opts.task_timeout).with_plan(opts.plan.clone()));
    if workers > 1 {
        board.progress.set_message(&format!("{workers} workers"));
    }

    let outcomes: Vec<Result<WorkerOutcome>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..=workers)
            .map(|worker| {
                let ctx = WorkerContext {
                    worker,
                    workers,
                    board: board.clone(),
                    engine: session.engine.clone(),
                    kept: session.kept.clone(),
                    interrupt: session.interrupt.clone(),
                    halt: halt.clone(),
                    reloads,
                };
                let (source, opts) = (&source, opts);
                std::thread::Builder::new()
                    .name(format!("batt-worker-{worker}"))
                    // DSL functions recurse on grids: room as on the main thread
                    .stack_size(WORKER_STACK_BYTES)
                    .spawn_scoped(scope, move || run_worker(ctx, script, source, opts, changed))
                    .expect("cannot start a worker thread")
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(anyhow::anyhow!("a worker thread panicked"))))
            .collect()
    });

    let mut merged = WorkerOutcome::default();
    let mut setup_error = None;
    for outcome in outcomes {
        match outcome {
            Ok(w) => {
                merged.work += w.work;
                merged.script_load = merged.script_load.max(w.script_load);
                if merged.script_error.is_none() {
                    merged.script_error = w.script_error;
                }
                merged.run_log.extend(w.run_log);
                merged.loaded_files.extend(w.loaded_files);
            }
            Err(e) => setup_error = setup_error.or(Some(e)),
        }
    }
    if let Some(e) = setup_error {
        board.progress.finish();
        return Err(e);
    }
    let not_reached = match &merged.script_error {
        Some(message) => {
            let first = message.lines().next().unwrap_or("").to_string();
            board.finish_remaining(TaskStatus::Error, Some(&format!("script failed before this task: {first}")))
        }
        None if opts.plan.as_ref().is_some_and(BudgetPlan::over) => {
            board.finish_remaining(TaskStatus::NotRun, Some("not searched: the --time-budget was spent before this task started"))
        }
        None => board.finish_remaining(TaskStatus::NotRun, None),
    };
    board.progress.finish();
    let engine = session.engine.lock();
    let engine_stats = engine.stats.since(&engine_before);
    let backend = engine.backend_name();
    let gpu_unavailable = engine.gpu_unavailable();
    drop(engine);
    Ok(RunOutcome {
        records: board.take_records(),
        work: merged.work,
        script_load: merged.script_load,
        script_wall: started.elapsed(),
        engine_busy: session.engine.busy().saturating_sub(busy_before),
        script_error: merged.script_error,
        run_log: merged.run_log,
        backend,
        gpu_unavailable,
        engine: engine_stats,
        loaded_files: merged.loaded_files.into_iter().collect(),
        interrupted: session.interrupt.load(Ordering::Relaxed),
        workers,
        not_reached,
    })
}

/// Stack of a worker thread (the main thread's usual size).
const WORKER_STACK_BYTES: usize = 8 << 20;

/// What a worker shares with the run and the session.
struct WorkerContext {
    worker: usize,
    workers: usize,
    board: Arc<RunBoard>,
    engine: SharedEngine,
    kept: KeptValues,
    interrupt: Arc<AtomicBool>,
    halt: Arc<AtomicBool>,
    reloads: u32,
}

/// One worker: a fresh Lua state running the script until the board has no task left for
/// it, the run is interrupted or stopped, or its script fails outside any task.
fn run_worker(ctx: WorkerContext, script: &Path, source: &[u8], opts: &RunOptions, changed: &[PathBuf]) -> Result<WorkerOutcome> {
    let started = Instant::now();
    let engine = WorkerEngine::new(ctx.engine.clone());
    let state: SharedState = Rc::new(RefCell::new(RunState::new(ctx.board.clone(), ctx.worker, engine.clone())));
    let watchdog = Rc::new(Watchdog { interrupt: ctx.interrupt.clone(), halt: ctx.halt.clone(), ..Watchdog::default() });
    watchdog.limit.set(opts.task_timeout);
    let loaded_files = Rc::new(RefCell::new(BTreeSet::new()));
    let host = ScriptHost::new(
        script,
        HostContext {
            state: state.clone(),
            watchdog: watchdog.clone(),
            engine: engine.clone(),
            args: &opts.args,
            kept: ctx.kept.clone(),
            reloads: ctx.reloads,
            changed_files: changed,
            loaded_files: loaded_files.clone(),
            worker: ctx.worker,
            workers: ctx.workers,
        },
    )
    .map_err(|e| anyhow::anyhow!("cannot set up Lua for {}: {e}", script.display()))?;
    let script_load = started.elapsed();
    let board = ctx.board;

    let mut script_error = None;
    loop {
        let started_before = {
            let mut st = state.borrow_mut();
            // a resumed script's `batt.search_all` is the same call as before: already run
            st.search_all_calls = 0;
            st.started
        };
        let result = host.exec_main(source);
        let mut st = state.borrow_mut();
        let Err(message) = result else {
            st.finish_current(TaskStatus::Done, None, &watchdog);
            break;
        };
        if watchdog.interrupted() {
            st.finish_current(TaskStatus::NotRun, Some("interrupted".to_string()), &watchdog);
            board.report_interrupt();
            break;
        }
        if message.contains(crate::lua::STAND_DOWN_MESSAGE) && st.current.is_none() {
            break; // batt.single_worker(): worker 1 runs the script alone
        }
        if watchdog.halted() {
            // another worker's error stopped the run; it reports why
            st.finish_current(TaskStatus::Error, Some("the run stopped: another worker failed (see its error)".to_string()), &watchdog);
            break;
        }
        let fatal = engine.lock().fatal.clone();
        if let Some(fatal) = fatal {
            st.finish_current(TaskStatus::Error, Some(message), &watchdog);
            board.report_error(&format!("error: GPU evaluation failed: {fatal}; stopping the run ({})", fatal.hint()));
            script_error = Some(format!("GPU evaluation failed: {fatal}"));
            ctx.halt.store(true, Ordering::Relaxed);
            break;
        }
        if st.current.is_some() {
            st.finish_current(TaskStatus::Error, Some(message), &watchdog);
            if board.has_more() {
                continue; // resume the script at this worker's next task
            }
            break;
        }
        if st.started > started_before && board.has_more() {
            // Failed between tasks after making progress: resume once more.
            board.report_error(&format!("script error between tasks, resuming: {message}"));
            continue;
        }
        board.report_error(&format!("script error: {message}"));
        script_error = Some(message);
        // Before its task loop ran dry, the error stops every worker (as with one worker);
        // after it (code after the loop), the others finish their tasks.
        if board.has_more() {
            ctx.halt.store(true, Ordering::Relaxed);
        }
        break;
    }
    let mut st = state.borrow_mut();
    let loaded = loaded_files.borrow().clone();
    Ok(WorkerOutcome {
        work: st.work,
        script_load,
        script_error,
        run_log: std::mem::take(&mut st.run_log),
        loaded_files: loaded,
    })
}

/// Checks that the script exists, with a hint when it does not.
pub fn check_script(opts: &RunOptions) -> Result<()> {
    if !opts.script.is_file() {
        bail!(
            "script {} not found (run batt from the project folder, or give the script's path: batt run path/to/main.lua)",
            opts.script.display()
        );
    }
    Ok(())
}

/// Installs the Ctrl-C / SIGTERM handler: it sets the session's interrupt flag, which
/// every worker's Lua hook checks, so a run stops at the next check and leaves complete files.
pub fn handle_interrupts(session: &Session) {
    let flag = session.interrupt.clone();
    // A second handler cannot be installed; the first one (same flag) stays.
    let _ = ctrlc::set_handler(move || flag.store(true, std::sync::atomic::Ordering::Relaxed));
}

/// Where a finished run's time went and what it scored.
pub struct RunReport {
    pub summary: Summary,
    pub timing: Timing,
    pub wall: Duration,
}

/// Summarises a finished run, writes submission.json and results.json (atomically), and
/// report.html under `--report`, and returns the report. `started` is when the run began;
/// `loaded` and `script_done` are offsets from it.
pub fn finish_run(
    args: &RunArgs,
    dataset: &Dataset,
    selection: SelectionInfo,
    outcome: &RunOutcome,
    started: Instant,
    loaded: Duration,
    script_done: Duration,
) -> Result<RunReport> {
    let out = args.out_dir();
    let summary = Summary::of(&outcome.records);
    if args.time_budget.is_some() {
        // a task not searched, timed out or failed still gets guesses: its test inputs
        let test_input = |id: &str, i: usize| match dataset.find(id) {
            Some(TaskEntry::Valid(task)) => task.test.get(i).map(|case| case.input.clone()),
            _ => None,
        };
        write_submission_with(&out, &outcome.records, &test_input)?;
    } else {
        write_submission(&out, &outcome.records)?;
    }
    // milliseconds to the microsecond, as every time in results.json
    let ms = |d: Duration| crate::millis::rounded_ms(d);
    let script = script_done.saturating_sub(loaded + outcome.script_load);
    let engine = outcome.engine_busy.min(script);
    let mut timing = Timing {
        load_ms: ms(loaded + outcome.script_load),
        lua_ms: ms(script - engine),
        engine_ms: ms(engine),
        output_ms: 0.0,
        total_ms: 0.0,
        workers: outcome.workers,
        candidate_eval_ms: ms(outcome.work.candidate_eval),
        scoring_ms: ms(outcome.work.scoring),
        search: crate::outputs::summary::SearchTimingMs::of(&outcome.work.search),
    };
    // results.json carries the output time up to its own writing; the printed line is final.
    timing.output_ms = ms(started.elapsed().saturating_sub(script_done));
    timing.total_ms = ms(started.elapsed());
    let results = Results {
        schema: RESULTS_SCHEMA,
        batt_version: env!("CARGO_PKG_VERSION").to_string(),
        script: args.script.display().to_string(),
        data: dataset.source.describe(),
        // absolute, so `batt report` finds the data from any folder
        data_path: match &dataset.source {
            DataSource::Path(p) => Some(p.canonicalize().unwrap_or_else(|_| p.clone()).display().to_string()),
            DataSource::Embedded => None,
        },
        selection,
        summary: summary.clone(),
        timing,
        script_error: outcome.script_error.clone(),
        backend: outcome.backend.clone(),
        engine: outcome.engine.clone(),
        log: outcome.run_log.clone(),
        provenance: Some(Provenance::of_run(
            &args.run_name(),
            &args.args,
            &outcome.loaded_files,
            &dataset.source,
            &outcome.backend,
            SystemTime::now() - started.elapsed(),
        )),
        merged_from: Vec::new(),
        tasks: outcome.records.clone(),
    };
    write_results(&out.join("results.json"), &results)?;
    let report_file = out.join("report.html");
    if args.report {
        crate::outputs::report::write_report(&report_file, &results, Some(dataset))?;
    } else if report_file.exists() {
        // every output of the folder is this run's: an earlier run's report would not be
        std::fs::remove_file(&report_file).with_context(|| format!("cannot remove the earlier run's {}", report_file.display()))?;
    }
    if args.kept {
        crate::outputs::runs::mark_latest(&out)?;
    }
    let wall = started.elapsed();
    timing.output_ms = ms(wall.saturating_sub(script_done));
    timing.total_ms = ms(wall);
    Ok(RunReport { summary, timing, wall })
}

/// Prints the summary lines of a finished run.
pub fn print_report(args: &RunArgs, outcome: &RunOutcome, report: &RunReport) {
    for line in report.summary.lines(report.wall) {
        println!("{line}");
    }
    println!("engine: {}", outcome.backend);
    if args.timing {
        println!("engine stats: {}", outcome.engine.line());
        if let Some(why) = &outcome.gpu_unavailable {
            println!("engine: GPU unavailable: {why}");
        }
        println!("{}", report.timing.line());
    }
    let out = args.out_dir();
    let mut files = vec![out.join("submission.json"), out.join("results.json")];
    if args.report {
        files.push(out.join("report.html"));
    }
    println!("wrote {}", files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", "));
}
