//! The state a run shares with the Lua API while scripts run: the board every worker deals
//! tasks from and hands finished records to (`RunBoard`: printed in selection order, however
//! the workers finish), one worker's own state (`RunState`: its current task and record,
//! its timings and log), and the per-worker watchdog that stops a runaway task, the user's
//! interrupt or a run-wide stop. Running the workers is `runner`'s job; this module knows
//! nothing of Lua.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::data::dataset::TaskEntry;
use crate::engine::search::SearchJob;
use crate::engine::{EngineHandle, EngineStats};
use crate::grid::Grid;
use crate::run::budget::BudgetPlan;
use crate::run::progress::Progress;
use crate::run::record::{task_line, TaskRecord, TaskStatus, TestPrediction};
use crate::data::task::Task;

/// The task a worker's script is working on now.
pub struct CurrentTask {
    pub position: usize,
    pub task: Rc<Task>,
    pub started: Instant,
    pub record: TaskRecord,
    /// What the worker's engine calls had used when the task started.
    pub engine_before: EngineStats,
    /// The task's share of the `--time-budget`, when it comes before its `-t` limit.
    pub budget_share: Option<Duration>,
}

/// Per-task time limit, the user's interrupt and the run-wide stop, checked by the Lua
/// instruction hook of one worker.
#[derive(Default)]
pub struct Watchdog {
    pub deadline: Cell<Option<Instant>>,
    pub tripped: Cell<bool>,
    pub limit: Cell<Option<Duration>>,
    /// Set from a signal handler (Ctrl-C, SIGTERM): every worker stops at its next check.
    pub interrupt: Arc<AtomicBool>,
    /// Set when a worker's error ends the run (a script error outside any task, a GPU
    /// failure under `--backend gpu`): the other workers stop at their next check.
    pub halt: Arc<AtomicBool>,
}

impl Watchdog {
    pub fn interrupted(&self) -> bool {
        self.interrupt.load(Ordering::Relaxed)
    }

    pub fn halted(&self) -> bool {
        self.halt.load(Ordering::Relaxed)
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

/// Time spent by kind of work (one worker's, or all workers' added up).
#[derive(Debug, Clone, Copy, Default)]
pub struct WorkTimings {
    pub candidate_eval: Duration,
    pub scoring: Duration,
    /// Of `candidate_eval`, the part `task:search` took, split by kind.
    pub search: crate::engine::search::SearchTiming,
}

impl std::ops::AddAssign for WorkTimings {
    fn add_assign(&mut self, o: WorkTimings) {
        self.candidate_eval += o.candidate_eval;
        self.scoring += o.scoring;
        self.search += o.search;
    }
}

/// What `batt.search_all` returns.
#[derive(Debug, Clone, Copy, Default)]
pub struct SearchAllSummary {
    pub tasks: usize,
    pub skipped: usize,
    pub evaluated: u64,
    pub candidates: u64,
    pub seconds: f64,
}

/// One `batt.search_all` of the run: the first worker to make the call runs it for every
/// task no worker had started; the same call in another worker helps make the tasks'
/// search jobs (each worker's Lua computes alphabets for the tasks it takes), then waits
/// for the batch and returns its summary; a covered task's `task:search` waits for it
/// before looking for its ready result.
pub struct SearchAllCall {
    key: String,
    /// The selection positions it searches (or was asked to).
    covers: Vec<usize>,
    /// The covered tasks' search jobs, made by whichever worker took each.
    jobs: Mutex<JobsBeingMade>,
    jobs_made: Condvar,
    /// None while it runs; then its summary, or why it failed.
    outcome: Mutex<Option<Result<SearchAllSummary, String>>>,
    done: Condvar,
}

/// Which covered tasks have been taken, and the jobs made for each (None: its alphabet
/// raised an error, so the task is left out).
struct JobsBeingMade {
    next: usize,
    made: Vec<Option<Option<Vec<SearchJob>>>>,
    count: usize,
}

impl SearchAllCall {
    pub fn covers(&self) -> &[usize] {
        &self.covers
    }

    /// The next covered task (its index in `covers`) whose jobs nobody is making yet.
    pub fn take_task(&self) -> Option<usize> {
        let mut jobs = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        (jobs.next < self.covers.len()).then(|| {
            jobs.next += 1;
            jobs.next - 1
        })
    }

    /// Hands in the jobs made for covered task `index` (None: left out).
    pub fn hand_in(&self, index: usize, made: Option<Vec<SearchJob>>) {
        let mut jobs = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        if jobs.made[index].is_none() {
            jobs.made[index] = Some(made);
            jobs.count += 1;
        }
        self.jobs_made.notify_all();
    }

    /// Waits until every covered task's jobs are in and takes them, in `covers` order;
    /// None when `give_up` turns true first.
    pub fn all_jobs(&self, give_up: impl Fn() -> bool) -> Option<Vec<Option<Vec<SearchJob>>>> {
        let mut jobs = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if jobs.count == self.covers.len() {
                return Some(jobs.made.iter_mut().map(|m| m.take().flatten()).collect());
            }
            if give_up() {
                return None;
            }
            jobs = self.jobs_made.wait_timeout(jobs, Duration::from_millis(50)).unwrap_or_else(|p| p.into_inner()).0;
        }
    }

    /// Records how the call ended and wakes the workers waiting for it.
    pub fn complete(&self, outcome: Result<SearchAllSummary, String>) {
        let mut slot = self.outcome.lock().unwrap_or_else(|p| p.into_inner());
        if slot.is_none() {
            *slot = Some(outcome);
        }
        self.done.notify_all();
    }

    /// Waits until the call has ended; None when `give_up` turns true first (checked
    /// every 50 ms: an interrupt or a run-wide stop).
    pub fn wait(&self, give_up: impl Fn() -> bool) -> Option<Result<SearchAllSummary, String>> {
        let mut slot = self.outcome.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(outcome) = slot.as_ref() {
                return Some(outcome.clone());
            }
            if give_up() {
                return None;
            }
            slot = self.done.wait_timeout(slot, Duration::from_millis(50)).unwrap_or_else(|p| p.into_inner()).0;
        }
    }

    fn running(&self) -> bool {
        self.outcome.lock().unwrap_or_else(|p| p.into_inner()).is_none()
    }
}

/// What every worker of a run shares: the selection, which task is dealt next, the
/// finished records (printed in selection order), the progress display and the
/// `batt.search_all` calls.
pub struct RunBoard {
    pub selection: Vec<TaskEntry>,
    pub progress: Progress,
    /// Print each task's engine stats under its line (`--timing`).
    pub task_stats: bool,
    pub workers: usize,
    /// The user's interrupt and the run-wide stop (see `Watchdog`).
    interrupt: Arc<AtomicBool>,
    halt: Arc<AtomicBool>,
    inner: Mutex<BoardInner>,
    search_alls: Mutex<Vec<Arc<SearchAllCall>>>,
    /// The per-task time limit (`-t`); a task's share of the batch search counts against it.
    pub task_limit: Option<Duration>,
    /// Each task's share of the batch searches so far (by position), charged to its limit.
    search_shares: Mutex<std::collections::HashMap<usize, Duration>>,
    /// The plan under `--time-budget`: no task is dealt once it is over.
    pub plan: Option<BudgetPlan>,
}

struct BoardInner {
    next: usize,
    records: Vec<Option<TaskRecord>>,
    /// Records and log lines are printed up to (not including) this position.
    printed: usize,
    /// Log lines of tasks after `printed`, held until their turn.
    held_logs: Vec<Vec<String>>,
    /// Script errors already reported (each distinct message once).
    reported: Vec<String>,
    interrupt_reported: bool,
}

impl RunBoard {
    /// The board of a run over `selection`; `interrupt` and `halt` are the flags the
    /// workers' watchdogs share (see `Watchdog`).
    pub fn new(selection: Vec<TaskEntry>, progress: Progress, task_stats: bool, workers: usize, interrupt: Arc<AtomicBool>, halt: Arc<AtomicBool>) -> RunBoard {
        let n = selection.len();
        RunBoard {
            selection,
            progress,
            task_stats,
            workers,
            interrupt,
            halt,
            inner: Mutex::new(BoardInner {
                next: 0,
                records: vec![None; n],
                printed: 0,
                held_logs: vec![Vec::new(); n],
                reported: Vec::new(),
                interrupt_reported: false,
            }),
            search_alls: Mutex::new(Vec::new()),
            task_limit: None,
            search_shares: Mutex::new(Default::default()),
            plan: None,
        }
    }

    /// The board with this per-task time limit.
    pub fn with_task_limit(mut self, limit: Option<Duration>) -> RunBoard {
        self.task_limit = limit;
        self
    }

    /// The board with this `--time-budget` plan.
    pub fn with_plan(mut self, plan: Option<BudgetPlan>) -> RunBoard {
        self.plan = plan;
        self
    }

    /// A task's budget in a batch search: the `-t` limit (under `--time-budget` the batch
    /// ends at `search_deadline` instead, not in equal parts).
    pub fn search_limit(&self) -> Option<Duration> {
        self.task_limit
    }

    /// When a batch search must end under `--time-budget` (None: no such end).
    pub fn search_deadline(&self) -> Option<Instant> {
        self.plan.as_ref().map(|p| p.search_until)
    }

    /// Adds `share` of a batch search's time to the task at `position`.
    pub fn charge_search(&self, position: usize, share: Duration) {
        *self.search_shares.lock().unwrap().entry(position).or_default() += share;
    }

    /// The task's share of the batch searches so far.
    pub fn search_share(&self, position: usize) -> Duration {
        self.search_shares.lock().unwrap().get(&position).copied().unwrap_or_default()
    }

    /// Whether the user interrupted the run or a worker's error stopped it.
    pub fn stopped(&self) -> bool {
        self.interrupt.load(Ordering::Relaxed) || self.halt.load(Ordering::Relaxed)
    }

    fn inner(&self) -> MutexGuard<'_, BoardInner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Deals the next valid task's position, recording malformed ones on the way; None
    /// when every task has been dealt.
    pub fn deal(&self) -> Option<usize> {
        loop {
            let position = {
                let mut inner = self.inner();
                if inner.next >= self.selection.len() || self.plan.as_ref().is_some_and(BudgetPlan::over) {
                    return None;
                }
                inner.next += 1;
                inner.next - 1
            };
            match &self.selection[position] {
                TaskEntry::Valid(_) => return Some(position),
                TaskEntry::Invalid(bad) => self.record_unrun(position, TaskStatus::Invalid, Some(bad.message.clone())),
            }
        }
    }

    /// Whether tasks are left to deal.
    pub fn has_more(&self) -> bool {
        self.inner().next < self.selection.len()
    }

    /// Records a task that is not run (malformed data, or no worker got to it).
    fn record_unrun(&self, position: usize, status: TaskStatus, error: Option<String>) {
        let entry = &self.selection[position];
        let test_count = match entry {
            TaskEntry::Valid(t) => t.test.len(),
            TaskEntry::Invalid(t) => t.test_count.unwrap_or(1),
        };
        let mut record = TaskRecord::new(entry.id(), position, entry.split(), test_count);
        record.status = status;
        record.error = error;
        // its known test outputs count, unpredicted, so the summary scores the whole data
        let known: Vec<bool> = match entry {
            TaskEntry::Valid(t) => t.test.iter().map(|c| c.output.is_some()).collect(),
            TaskEntry::Invalid(t) => (0..test_count).map(|i| i < t.outputs_known).collect(),
        };
        record.predictions = known
            .into_iter()
            .map(|k| TestPrediction { correct_top1: k.then_some(false), correct_top2: k.then_some(false), ..TestPrediction::default() })
            .collect();
        self.finish(position, record);
    }

    /// Hands in a finished task's record; every record whose turn has come is printed
    /// (the held log lines of a task first, then its line).
    pub fn finish(&self, position: usize, record: TaskRecord) {
        let mut inner = self.inner();
        inner.records[position] = Some(record);
        while inner.printed < self.selection.len() {
            let at = inner.printed;
            for line in std::mem::take(&mut inner.held_logs[at]) {
                self.progress.print_err(&line);
            }
            let Some(record) = inner.records[at].as_ref() else { break };
            self.print_record(at, record);
            inner.printed += 1;
        }
    }

    fn print_record(&self, position: usize, record: &TaskRecord) {
        self.progress.task_line(&task_line(position, self.selection.len(), record));
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
    }

    /// A script log line of the task at `position`: printed now when every task before it
    /// has been printed, else held until then (so logs come in selection order).
    pub fn log_for_task(&self, position: usize, line: String) {
        let mut inner = self.inner();
        if inner.printed == position {
            self.progress.print_err(&line);
        } else {
            inner.held_logs[position].push(line);
        }
    }

    /// Records every task no worker finished with `status` and `error`; returns how many
    /// valid tasks that was.
    pub fn finish_remaining(&self, status: TaskStatus, error: Option<&str>) -> usize {
        let missing: Vec<usize> = {
            let mut inner = self.inner();
            inner.next = self.selection.len();
            (0..self.selection.len()).filter(|&p| inner.records[p].is_none()).collect()
        };
        let mut valid = 0;
        for position in missing {
            let (status, error) = match &self.selection[position] {
                TaskEntry::Invalid(bad) => (TaskStatus::Invalid, Some(bad.message.clone())),
                TaskEntry::Valid(_) => {
                    valid += 1;
                    (status, error.map(str::to_string))
                }
            };
            self.record_unrun(position, status, error);
        }
        valid
    }

    /// Every record, in selection order (after `finish_remaining`).
    pub fn take_records(&self) -> Vec<TaskRecord> {
        self.inner().records.iter_mut().map(|r| r.take().expect("every selected task is recorded")).collect()
    }

    /// Prints a script error once however many workers meet it; false when it was
    /// printed already.
    pub fn report_error(&self, message: &str) -> bool {
        let mut inner = self.inner();
        if inner.reported.iter().any(|m| m == message) {
            return false;
        }
        inner.reported.push(message.to_string());
        self.progress.print_err(message);
        true
    }

    /// Prints that the run stops on the user's interrupt, once.
    pub fn report_interrupt(&self) {
        let mut inner = self.inner();
        if !std::mem::replace(&mut inner.interrupt_reported, true) {
            self.progress.print_err("interrupted: stopping the run");
        }
    }

    /// The `batt.search_all` call named `key` (the n-th call of a worker with given
    /// options): the existing one (false), or a new one this worker must run (true),
    /// covering every valid task not dealt yet.
    pub fn search_all_call(&self, key: &str) -> (Arc<SearchAllCall>, bool) {
        let mut calls = self.search_alls.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(call) = calls.iter().find(|c| c.key == key) {
            return (call.clone(), false);
        }
        let next = self.inner().next;
        let covers: Vec<usize> = (next..self.selection.len()).filter(|&p| matches!(self.selection[p], TaskEntry::Valid(_))).collect();
        let jobs = JobsBeingMade { next: 0, made: vec![None; covers.len()], count: 0 };
        let call = Arc::new(SearchAllCall {
            key: key.to_string(),
            covers,
            jobs: Mutex::new(jobs),
            jobs_made: Condvar::new(),
            outcome: Mutex::new(None),
            done: Condvar::new(),
        });
        calls.push(call.clone());
        (call, true)
    }

    /// A `batt.search_all` still running that covers the task at `position`.
    pub fn search_all_running_for(&self, position: usize) -> Option<Arc<SearchAllCall>> {
        let calls = self.search_alls.lock().unwrap_or_else(|p| p.into_inner());
        calls.iter().find(|c| c.covers.binary_search(&position).is_ok() && c.running()).cloned()
    }
}

/// What one worker's Lua functions share with the host.
pub struct RunState {
    pub board: Arc<RunBoard>,
    /// 1-based worker number (`batt.worker`).
    pub worker: usize,
    pub current: Option<CurrentTask>,
    pub work: WorkTimings,
    /// Log lines this worker wrote outside any task.
    pub run_log: Vec<String>,
    pub engine: EngineHandle,
    /// How many `batt.search_all` calls this worker's script has made since it (re)started.
    pub search_all_calls: usize,
    /// How many tasks this worker has started.
    pub started: usize,
}

pub type SharedState = Rc<RefCell<RunState>>;

impl RunState {
    pub fn new(board: Arc<RunBoard>, worker: usize, engine: EngineHandle) -> RunState {
        RunState {
            board,
            worker,
            current: None,
            work: WorkTimings::default(),
            run_log: Vec::new(),
            engine,
            search_all_calls: 0,
            started: 0,
        }
    }

    /// Ends the current task with `status` (a tripped watchdog makes it a timeout) and
    /// hands its record to the board.
    pub fn finish_current(&mut self, status: TaskStatus, error: Option<String>, watchdog: &Watchdog) {
        let Some(mut cur) = self.current.take() else { return };
        let timed_out = watchdog.tripped.get();
        watchdog.deadline.set(None);
        watchdog.tripped.set(false);
        cur.record.status = if timed_out { TaskStatus::Timeout } else { status };
        let share = self.board.search_share(cur.position);
        cur.record.error = match (timed_out, error) {
            (true, _) if cur.budget_share.is_some() => Some(format!(
                "stopped after {:.1} s, at its share of the --time-budget ({:.1} s)",
                cur.started.elapsed().as_secs_f64(),
                cur.budget_share.unwrap_or_default().as_secs_f64()
            )),
            (true, _) => Some(format!(
                "stopped after {:.1} s{}, over the -t limit of {:.1} s",
                (cur.started.elapsed() + share).as_secs_f64(),
                if share.is_zero() { String::new() } else { format!(" ({:.1} s of them its share of the batch search)", share.as_secs_f64()) },
                watchdog.limit.get().unwrap_or_default().as_secs_f64()
            )),
            (false, e) => e,
        };
        cur.record.ms = cur.started.elapsed();
        cur.record.engine = Some(self.engine.used().since(&cur.engine_before));
        check_predictions(&cur.task, &mut cur.record.predictions);
        for warning in self.engine.shared().take_warnings() {
            self.board.progress.print_err(&warning);
        }
        self.board.finish(cur.position, cur.record);
    }

    /// Moves to the next task the board deals; None at the end.
    pub fn start_next(&mut self, watchdog: &Watchdog) -> Option<Rc<Task>> {
        let position = self.board.deal()?;
        let TaskEntry::Valid(task) = &self.board.selection[position] else { unreachable!("the board deals valid tasks") };
        let task = Rc::new(task.clone());
        let mut record = TaskRecord::new(&task.id, position, task.split, task.test.len());
        record.predictions = vec![TestPrediction::default(); task.test.len()];
        let started = Instant::now();
        // the task's share of the batch search came out of its time already
        let share = self.board.search_share(position);
        let own = watchdog.limit.get().map(|l| started + l.saturating_sub(share));
        // under --time-budget, the task's fair share of the time left, if it ends first
        let planned = self.board.plan.as_ref().map(|p| p.task_deadline(started, self.board.selection.len() - position)).filter(|&d| own.is_none_or(|o| d < o));
        watchdog.deadline.set(planned.or(own));
        let budget_share = planned.map(|d| d.saturating_duration_since(started));
        watchdog.tripped.set(false);
        if self.board.workers == 1 {
            self.board.progress.set_message(&task.id);
        }
        let engine_before = self.engine.used();
        self.current = Some(CurrentTask { position, task: task.clone(), started, record, engine_before, budget_share });
        self.started += 1;
        Some(task)
    }

    /// Writes a script log line, tagged with the current task (and printed in its turn).
    pub fn log(&mut self, message: &str) {
        match &mut self.current {
            Some(cur) => {
                cur.record.log.push(message.to_string());
                self.board.log_for_task(cur.position, format!("[{}] {message}", cur.task.id));
            }
            None => {
                self.run_log.push(message.to_string());
                self.board.progress.print_err(message);
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
