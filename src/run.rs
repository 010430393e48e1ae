//! One run of a Lua script over a selection of tasks: selecting the tasks, the state the Lua
//! API shares with the host while the script runs (the task cursor, the current task's
//! record, its deadline), keeping a broken or runaway task from costing the rest of the run
//! (the script is resumed at the next task), and the records and timings that come out.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::dataset::{Dataset, TaskEntry};
use crate::engine::{Backend, Engine, EngineStats};
use crate::engine::SharedEngine;
use crate::grid::Grid;
use crate::lua::keep::KeptValues;
use crate::lua::{HostContext, ScriptHost};
use crate::progress::Progress;
use crate::record::{TaskRecord, TaskStatus, TestPrediction};
use crate::task::{Split, Task};

/// Which split(s) of a data source to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SplitChoice {
    Train,
    Eval,
    All,
}

/// What to run and how, as given on the command line.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub script: PathBuf,
    /// None: the embedded ARC-AGI-1.
    pub data: Option<PathBuf>,
    /// None: `train` for sources with several splits, everything otherwise.
    pub split: Option<SplitChoice>,
    pub start: usize,
    pub count: Option<usize>,
    pub ids: Vec<String>,
    pub task_timeout: Option<Duration>,
    pub args: Vec<String>,
    pub quiet: bool,
    pub backend: Backend,
    /// The Vulkan device by index or name (`--device`).
    pub device: Option<String>,
    /// Print each task's engine stats under its line.
    pub task_stats: bool,
}

/// The tasks a run works on, in order.
pub fn select_tasks(dataset: &Dataset, opts: &RunOptions) -> Result<Vec<TaskEntry>> {
    let splits = dataset.splits();
    let wanted: Option<Split> = match opts.split {
        Some(SplitChoice::All) => None,
        Some(SplitChoice::Train) => Some(Split::Train),
        Some(SplitChoice::Eval) => Some(Split::Eval),
        // A source with several splits runs `train` by default; one split (or none) runs whole.
        None if splits.len() > 1 && splits.contains(&Split::Train) => Some(Split::Train),
        None => None,
    };
    let mut selected: Vec<TaskEntry> = dataset
        .entries
        .iter()
        .filter(|e| match (wanted, e.split()) {
            (Some(w), Some(s)) => w == s,
            _ => true,
        })
        .cloned()
        .collect();
    if selected.is_empty() {
        let have: Vec<&str> = splits.iter().map(|s| s.name()).collect();
        bail!(
            "no tasks in split {} of {} (it holds: {})",
            wanted.map_or("all", Split::name),
            dataset.source.describe(),
            if have.is_empty() { "tasks without a split".to_string() } else { have.join(", ") }
        );
    }
    if !opts.ids.is_empty() {
        let missing: Vec<&String> = opts.ids.iter().filter(|id| !selected.iter().any(|e| e.id() == id.as_str())).collect();
        if !missing.is_empty() {
            let names: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
            bail!(
                "task id(s) not found in {} (split {}): {}",
                dataset.source.describe(),
                wanted.map_or("all", Split::name),
                names.join(", ")
            );
        }
        selected.retain(|e| opts.ids.iter().any(|id| id == e.id()));
    }
    if opts.start >= selected.len() {
        bail!("-s {} skips past the last of the {} selected tasks", opts.start, selected.len());
    }
    let end = opts.count.map_or(selected.len(), |c| (opts.start + c).min(selected.len()));
    Ok(selected[opts.start..end].to_vec())
}

/// The task the script is working on now.
pub struct CurrentTask {
    pub position: usize,
    pub task: Rc<Task>,
    pub started: Instant,
    pub record: TaskRecord,
    /// The engine's stats when the task started.
    pub engine_before: EngineStats,
}

/// Per-task time limit and the user's interrupt, checked by the Lua instruction hook.
#[derive(Default)]
pub struct Watchdog {
    pub deadline: Cell<Option<Instant>>,
    pub tripped: Cell<bool>,
    pub limit: Cell<Option<Duration>>,
    /// Set from a signal handler (Ctrl-C, SIGTERM): the run stops at the next check.
    pub interrupt: Arc<AtomicBool>,
}

impl Watchdog {
    pub fn interrupted(&self) -> bool {
        self.interrupt.load(Ordering::Relaxed)
    }

    /// True once the current task's time is up; stays true until the task is finished.
    pub fn check(&self) -> bool {
        if let Some(deadline) = self.deadline.get() {
            if Instant::now() >= deadline {
                self.tripped.set(true);
            }
        }
        self.tripped.get()
    }
}

/// Time spent by kind of work, for `--timing`.
#[derive(Debug, Clone, Copy, Default)]
pub struct WorkTimings {
    pub candidate_eval: Duration,
    pub scoring: Duration,
    /// Of `candidate_eval`, the part `task:search` took, split by kind.
    pub search: crate::engine::search::SearchTiming,
}

/// What the Lua API and the host share while a script runs.
pub struct RunState {
    pub selection: Vec<TaskEntry>,
    pub next: usize,
    pub current: Option<CurrentTask>,
    pub records: Vec<Option<TaskRecord>>,
    pub progress: Progress,
    pub work: WorkTimings,
    /// Log lines written outside any task.
    pub run_log: Vec<String>,
    pub engine: SharedEngine,
    pub task_stats: bool,
}

pub type SharedState = Rc<RefCell<RunState>>;

impl RunState {
    pub fn new(selection: Vec<TaskEntry>, progress: Progress, engine: SharedEngine) -> RunState {
        let n = selection.len();
        RunState {
            selection,
            next: 0,
            current: None,
            records: vec![None; n],
            progress,
            work: WorkTimings::default(),
            run_log: Vec::new(),
            engine,
            task_stats: false,
        }
    }

    /// Ends the current task with `status` (a tripped watchdog makes it a timeout) and
    /// prints its line.
    pub fn finish_current(&mut self, status: TaskStatus, error: Option<String>, watchdog: &Watchdog) {
        let Some(mut cur) = self.current.take() else { return };
        let timed_out = watchdog.tripped.get();
        watchdog.deadline.set(None);
        watchdog.tripped.set(false);
        cur.record.status = if timed_out { TaskStatus::Timeout } else { status };
        cur.record.error = match (timed_out, error) {
            (true, _) => Some(format!(
                "stopped after {:.1} s, over the -t limit of {:.1} s",
                cur.started.elapsed().as_secs_f64(),
                watchdog.limit.get().unwrap_or_default().as_secs_f64()
            )),
            (false, e) => e,
        };
        cur.record.ms = cur.started.elapsed();
        cur.record.engine = Some(self.engine.borrow().stats.since(&cur.engine_before));
        check_predictions(&cur.task, &mut cur.record.predictions);
        self.emit(cur.position, cur.record);
    }

    /// Records a task that is not run (malformed data, or the script never asked for it).
    fn record_unrun(&mut self, position: usize, status: TaskStatus, error: Option<String>) {
        let entry = &self.selection[position];
        let test_count = match entry {
            TaskEntry::Valid(t) => t.test.len(),
            TaskEntry::Invalid(t) => t.test_count.unwrap_or(1),
        };
        let mut record = TaskRecord::new(entry.id(), position, entry.split(), test_count);
        record.status = status;
        record.error = error;
        self.emit(position, record);
    }

    fn emit(&mut self, position: usize, record: TaskRecord) {
        for warning in std::mem::take(&mut self.engine.borrow_mut().warnings) {
            self.progress.print_err(&warning);
        }
        let line = task_line(position, self.selection.len(), &record);
        self.progress.task_line(&line);
        if self.task_stats {
            if let Some(stats) = record.engine.as_ref().filter(|s| s.items_added > 0) {
                self.progress.print_out(&format!("    engine: {}", stats.line()));
            }
        }
        if let Some(err) = &record.error {
            if matches!(record.status, TaskStatus::Error | TaskStatus::Invalid) && err.contains('\n') {
                self.progress.print_err(&indent(err));
            }
        }
        self.records[position] = Some(record);
    }

    /// Moves to the next valid task, recording malformed ones on the way; None at the end.
    pub fn start_next(&mut self, watchdog: &Watchdog) -> Option<Rc<Task>> {
        while self.next < self.selection.len() {
            let position = self.next;
            self.next += 1;
            match &self.selection[position] {
                TaskEntry::Invalid(bad) => {
                    let message = bad.message.clone();
                    self.record_unrun(position, TaskStatus::Invalid, Some(message));
                }
                TaskEntry::Valid(task) => {
                    let task = Rc::new(task.clone());
                    let mut record = TaskRecord::new(&task.id, position, task.split, task.test.len());
                    record.predictions = vec![TestPrediction::default(); task.test.len()];
                    let started = Instant::now();
                    watchdog.deadline.set(watchdog.limit.get().map(|l| started + l));
                    watchdog.tripped.set(false);
                    self.progress.set_message(&task.id);
                    let engine_before = self.engine.borrow().stats.clone();
                    self.current = Some(CurrentTask { position, task: task.clone(), started, record, engine_before });
                    return Some(task);
                }
            }
        }
        None
    }

    /// Records every task the script did not reach.
    pub fn finish_remaining(&mut self, status: TaskStatus, error: Option<&str>) {
        for position in self.next..self.selection.len() {
            let (status, error) = match &self.selection[position] {
                TaskEntry::Invalid(bad) => (TaskStatus::Invalid, Some(bad.message.clone())),
                TaskEntry::Valid(_) => (status, error.map(str::to_string)),
            };
            self.record_unrun(position, status, error);
        }
        self.next = self.selection.len();
    }

    /// Writes a script log line, tagged with the current task.
    pub fn log(&mut self, message: &str) {
        match &mut self.current {
            Some(cur) => {
                let line = format!("[{}] {message}", cur.task.id);
                cur.record.log.push(message.to_string());
                self.progress.print_err(&line);
            }
            None => {
                self.run_log.push(message.to_string());
                self.progress.print_err(message);
            }
        }
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n")
}

/// Marks each attempt right or wrong where the test output is known.
fn check_predictions(task: &Task, predictions: &mut [TestPrediction]) {
    for (case, p) in task.test.iter().zip(predictions.iter_mut()) {
        if let Some(expected) = &case.output {
            let hit = |a: Option<&Grid>| a == Some(expected);
            p.correct_top1 = Some(hit(p.attempts.first()));
            p.correct_top2 = Some(hit(p.attempts.first()) || hit(p.attempts.get(1)));
        }
    }
}

/// One line per task: position, id, status, candidates tried, best train score,
/// train-solved, test outputs right (attempt 1 or 2) where known, time.
pub fn task_line(position: usize, total: usize, r: &TaskRecord) -> String {
    let width = total.to_string().len();
    let best = r.best_score().map_or("    -".to_string(), |s| format!("{s:.3}"));
    let test = match r.test_correct(true) {
        Some((c, k)) => format!("{c}/{k}"),
        None => "?".to_string(),
    };
    let mut line = format!(
        "{:>width$}/{total} {:<8} {:<7} cands {:>4}  best {best}  train {:<3}  test {:<5} {:>8.1} ms",
        position + 1,
        r.id,
        r.status.name(),
        r.candidates_tried,
        if r.train_solved() { "yes" } else { "no" },
        test,
        r.ms.as_secs_f64() * 1e3,
    );
    if let Some(err) = &r.error {
        line.push_str("  ");
        line.push_str(err.lines().next().unwrap_or(""));
    }
    line
}

/// Everything a finished run produced.
pub struct RunOutcome {
    pub records: Vec<TaskRecord>,
    pub work: WorkTimings,
    /// Time spent loading and compiling the script.
    pub script_load: Duration,
    /// Wall time of the script run (script load included).
    pub script_wall: Duration,
    /// A script error outside any task, if the script failed that way.
    pub script_error: Option<String>,
    pub run_log: Vec<String>,
    /// The engine's backend and its stats over the whole run.
    pub backend: String,
    pub engine: EngineStats,
    /// Every Lua file the run loaded.
    pub loaded_files: Vec<PathBuf>,
    /// The user interrupted the run; the tasks not finished are recorded as not run.
    pub interrupted: bool,
}

/// What outlives one run: the engine (Vulkan device, pipeline, result cache), the values
/// scripts keep (`batt.keep`), the interrupt flag and the number of runs so far.
pub struct Session {
    pub engine: SharedEngine,
    pub kept: KeptValues,
    pub interrupt: Arc<AtomicBool>,
    pub runs: u32,
}

impl Session {
    /// A session whose engine is started now (under `--backend gpu`, failing without a device).
    pub fn new(backend: Backend, device: Option<String>) -> Result<Session> {
        let engine: SharedEngine = Rc::new(RefCell::new(Engine::new(backend).with_device(device)));
        engine.borrow_mut().start()?;
        Ok(Session { engine, kept: Rc::new(RefCell::new(HashMap::new())), interrupt: Arc::new(AtomicBool::new(false)), runs: 0 })
    }
}

/// Runs `script` over `selection`: a fresh Lua state, the script executed; an error inside
/// a task ends that task and the script is started again at the next one; an error outside
/// any task ends the run (the tasks not reached are recorded as errors).
pub fn run_script(script: &Path, selection: Vec<TaskEntry>, opts: &RunOptions) -> Result<RunOutcome> {
    let mut session = Session::new(opts.backend, opts.device.clone())?;
    run_in_session(&mut session, script, selection, opts, &[])
}

/// Like `run_script`, in a session that outlives the run (watch mode re-runs in one).
/// `changed` lists the files whose change started this run.
pub fn run_in_session(
    session: &mut Session,
    script: &Path,
    selection: Vec<TaskEntry>,
    opts: &RunOptions,
    changed: &[PathBuf],
) -> Result<RunOutcome> {
    let engine = session.engine.clone();
    let reloads = session.runs;
    session.runs += 1;
    let started = Instant::now();
    let total = selection.len();
    let engine_before = engine.borrow().stats.clone();
    let mut run_state = RunState::new(selection, Progress::new(total, opts.quiet), engine.clone());
    run_state.task_stats = opts.task_stats;
    let state: SharedState = Rc::new(RefCell::new(run_state));
    let watchdog = Rc::new(Watchdog { interrupt: session.interrupt.clone(), ..Watchdog::default() });
    watchdog.limit.set(opts.task_timeout);

    let source = std::fs::read(script).with_context(|| format!("cannot read script {}", script.display()))?;
    let loaded_files = Rc::new(RefCell::new(BTreeSet::new()));
    let host = ScriptHost::new(
        script,
        HostContext {
            state: state.clone(),
            watchdog: watchdog.clone(),
            engine: engine.clone(),
            args: &opts.args,
            kept: session.kept.clone(),
            reloads,
            changed_files: changed,
            loaded_files: loaded_files.clone(),
        },
    )
    .map_err(|e| anyhow::anyhow!("cannot set up Lua for {}: {e}", script.display()))?;
    let script_load = started.elapsed();

    let mut script_error = None;
    loop {
        let next_before = state.borrow().next;
        let result = host.exec_main(&source);
        let mut st = state.borrow_mut();
        match result {
            Ok(()) => {
                st.finish_current(crate::record::TaskStatus::Done, None, &watchdog);
                break;
            }
            Err(message) => {
                if watchdog.interrupted() {
                    st.finish_current(TaskStatus::NotRun, Some("interrupted".to_string()), &watchdog);
                    st.progress.print_err("interrupted: stopping the run");
                    break;
                }
                let fatal = engine.borrow().fatal.clone();
                if let Some(fatal) = fatal {
                    st.finish_current(TaskStatus::Error, Some(message), &watchdog);
                    st.progress.print_err(&format!("error: GPU evaluation failed: {fatal}; stopping the run ({})", fatal.hint()));
                    script_error = Some(format!("GPU evaluation failed: {fatal}"));
                    break;
                }
                if st.current.is_some() {
                    st.finish_current(TaskStatus::Error, Some(message), &watchdog);
                    if st.next < st.selection.len() {
                        continue; // resume the script at the next task
                    }
                    break;
                }
                if st.next > next_before && st.next < st.selection.len() {
                    // Failed between tasks after making progress: resume once more.
                    st.progress.print_err(&format!("script error between tasks, resuming: {message}"));
                    continue;
                }
                st.progress.print_err(&format!("script error: {message}"));
                script_error = Some(message);
                break;
            }
        }
    }
    let mut st = state.borrow_mut();
    match &script_error {
        Some(message) => {
            let first = message.lines().next().unwrap_or("").to_string();
            st.finish_remaining(TaskStatus::Error, Some(&format!("script failed before this task: {first}")));
        }
        None => st.finish_remaining(TaskStatus::NotRun, None),
    }
    st.progress.finish();
    let records = st.records.iter_mut().map(|r| r.take().expect("every selected task is recorded")).collect();
    let backend = engine.borrow().backend_name();
    let engine_stats = engine.borrow().stats.since(&engine_before);
    let loaded: Vec<PathBuf> = loaded_files.borrow().iter().cloned().collect();
    Ok(RunOutcome {
        records,
        work: st.work,
        script_load,
        script_wall: started.elapsed(),
        script_error,
        run_log: std::mem::take(&mut st.run_log),
        backend,
        engine: engine_stats,
        loaded_files: loaded,
        interrupted: watchdog.interrupted(),
    })
}
