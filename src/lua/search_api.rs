//! The search side of the task API: `task:search` and `batt.search_all`. Each searches
//! the task itself and, when asked (`variants = {"normalised", "transposed"}`), variants of
//! it (`engine::augment`), whose answers come back mapped to the task; `ops` is the
//! alphabet, a list of steps or a function of the (variant) task giving one.

use std::time::{Duration, Instant};

use mlua::{Lua, Table, Value};

use super::engine_api::{push_found, search_backend, search_limits, search_stats_table, search_steps, set_test_sizes};
use super::tasks::{current_task, record_candidates, task_table};
use crate::engine::augment::{Variant, VariantKind};
use crate::engine::program::Step;
use crate::engine::search::{SearchJob, SearchLimits, SearchOptions, SearchResult, SearchStats};
use crate::engine::EngineHandle;
use crate::grid::Grid;
use crate::run::record::CandidateScore;
use crate::run::state::{SearchAllSummary, SharedState};
use crate::data::task::Task;

/// The variants an options table asks for (`variants = {...}`; none by default).
fn variant_kinds(opts: &Table) -> mlua::Result<Vec<VariantKind>> {
    let Some(list) = opts.get::<Option<Table>>("variants")? else { return Ok(Vec::new()) };
    list.sequence_values::<String>()
        .map(|name| {
            let name = name?;
            VariantKind::parse(&name).ok_or_else(|| {
                let known: Vec<&str> = VariantKind::ALL.iter().map(|k| k.name()).collect();
                mlua::Error::runtime(format!("unknown search variant `{name}` (known: {})", known.join(", ")))
            })
        })
        .collect()
}

/// The task as each search sees it: itself (None), then each variant asked for that differs.
fn presentations(task: &Task, kinds: &[VariantKind]) -> Vec<Option<Variant>> {
    std::iter::once(None).chain(kinds.iter().filter_map(|&k| Variant::of(task, k).map(Some))).collect()
}

/// The alphabet for `task`: `ops` itself when it is a list, else what `ops(task)` returns.
fn alphabet(lua: &Lua, ops: &Value, task: &Task, position: usize) -> mlua::Result<Vec<Step>> {
    match ops {
        Value::Table(list) => search_steps(list),
        Value::Function(f) => search_steps(&f.call::<Table>(task_table(lua, task, position)?)?),
        _ => Err(mlua::Error::runtime("ops must be a list of one-step programs or function(task) returning one")),
    }
}

/// A task's train inputs, train outputs and test inputs.
fn grids_of(task: &Task) -> (Vec<Grid>, Vec<Grid>, Vec<Grid>) {
    let inputs = task.train.iter().map(|p| p.input.clone()).collect();
    let outputs = task.train.iter().map(|p| p.output.clone()).collect();
    let tests = task.test.iter().map(|c| c.input.clone()).collect();
    (inputs, outputs, tests)
}

fn job_of(task: &Task, steps: Vec<Step>) -> SearchJob {
    let (inputs, outputs, tests) = grids_of(task);
    SearchJob::new(&inputs, &outputs, &tests, steps)
}

fn add_stats(total: &mut SearchStats, s: &SearchStats) {
    total.evaluated += s.evaluated;
    total.kept += s.kept;
    total.duplicates += s.duplicates;
    total.levels = total.levels.max(s.levels);
    total.timing += s.timing;
}

/// The scores a search result adds to its task's record, named as in Lua.
fn candidate_scores(result: &SearchResult, variant: Option<&Variant>) -> Vec<CandidateScore> {
    let prefix = variant.map_or(String::new(), |v| format!("{}: ", v.kind.name()));
    let programs = result.found.iter().map(|f| CandidateScore {
        name: format!("{prefix}{}", f.program),
        pairs_exact: f.pairs_exact,
        pairs: f.pairs,
        shapes_matched: 0,
        cell_accuracy: f.cell_accuracy,
        error: None,
    });
    let overlays = result.overlays.iter().map(|o| CandidateScore {
        name: format!("{prefix}{}", o.name()),
        pairs_exact: o.pairs_exact,
        pairs: o.pairs,
        shapes_matched: o.pairs,
        cell_accuracy: o.cell_accuracy,
        error: None,
    });
    programs.chain(overlays).collect()
}

/// `task:search{ops =, depth =, max_states =, keep =, pieces =, max_layers =, variants =, finishing =, placing =}`:
/// breadth-first enumeration of programs on the task's train pairs (see `engine::search`),
/// on the task and on each variant asked for; every distinct program kept counts as a
/// candidate tried and the best are recorded. Returns one list (the task's results, then
/// each variant's, as `push_found` writes them) and the searches' stats added up.
pub fn search_function(lua: &Lua, state: SharedState, engine: EngineHandle) -> mlua::Result<mlua::Function> {
    lua.create_function(move |lua, (this, opts): (Table, Table)| {
        let task = current_task(&state, &this)?;
        let position: usize = this.get::<usize>("index")?.saturating_sub(1);
        wait_for_search_all(&state, position);
        let limits = search_limits(&opts)?;
        let backend = search_backend(&opts)?;
        let ops: Value = opts.get("ops")?;
        let list = lua.create_table()?;
        let (mut stats, mut scores, mut returned) = (SearchStats::default(), Vec::new(), 0);
        let (mut alphabet_size, mut test_sizes) = (0, Vec::new());
        let started = Instant::now();
        for variant in presentations(&task, &variant_kinds(&opts)?) {
            let seen = variant.as_ref().map_or(&*task, |v| &v.task);
            let steps = alphabet(lua, &ops, seen, position)?;
            if variant.is_none() {
                alphabet_size = steps.len();
            }
            let (inputs, outputs, tests) = grids_of(seen);
            let options = SearchOptions::new(steps, &limits, backend);
            let result = crate::engine::search::enumerate(&mut engine.lock(), &inputs, &outputs, &tests, &options)
                .map_err(|e| mlua::Error::runtime(format!("{e:#}")))?;
            if variant.is_none() {
                test_sizes = result.test_sizes.clone();
            }
            push_found(lua, &list, &result, variant.as_ref())?;
            scores.extend(candidate_scores(&result, variant.as_ref()));
            returned += result.found.len();
            add_stats(&mut stats, &result.stats);
        }
        let elapsed = started.elapsed();
        // every distinct program the searches scored was tried, not only those returned
        let not_returned = stats.kept.saturating_sub(returned);
        state.borrow_mut().work.search += stats.timing;
        if let Some(cur) = &mut state.borrow_mut().current {
            cur.record.search = Some(crate::run::record::SearchRecord {
                alphabet: alphabet_size,
                depth: limits.depth,
                evaluated: stats.evaluated,
                kept: stats.kept,
                duplicates: stats.duplicates,
            });
        }
        record_candidates(&state, scores, not_returned, elapsed, Duration::ZERO);
        let stats_table = search_stats_table(lua, &stats)?;
        set_test_sizes(lua, &stats_table, &test_sizes)?;
        Ok((list, stats_table))
    })
}

/// `batt.search_all{ops = function(task) ... end, depth =, max_states =, keep =, pieces =,
/// max_layers =, variants =, finishing =, placing =, backend =}`: the searches of every task no worker has started
/// yet (and of their variants), run together (one level of all of them is one device
/// dispatch, or a few); each task's `task:search` with the same alphabet, limits and
/// variants then finds its results ready. Run once per run: the first worker to make the
/// n-th call with given options runs it; every worker making the call helps compute the
/// tasks' alphabets, and the others then wait for the batch and get its summary.
/// `ops(task)` gives a task's alphabet (the task table has `id`, `train` and `test`, a
/// variant's own; its methods work only inside the loop); a task whose `ops` raises an
/// error is left out (its own `task:search` meets the error). Returns {tasks =, skipped =,
/// evaluated = step applications, candidates = (state, step) pairs each evaluated on all
/// of its task's inputs, seconds =}.
pub fn search_all_function(lua: &Lua, state: SharedState, engine: EngineHandle) -> mlua::Result<mlua::Function> {
    lua.create_function(move |lua, opts: Table| {
        let ops: Value = opts.get("ops")?;
        if !matches!(ops, Value::Function(_)) {
            return Err(mlua::Error::runtime("search_all needs ops = function(task) returning a list of steps"));
        }
        let limits: SearchLimits = search_limits(&opts)?;
        let backend = search_backend(&opts)?;
        let kinds = variant_kinds(&opts)?;
        // the n-th call with these options is one call of the run, whichever worker makes it
        let (board, call_number) = {
            let mut st = state.borrow_mut();
            st.search_all_calls += 1;
            (st.board.clone(), st.search_all_calls)
        };
        let key = format!("{call_number}: {limits:?} {backend:?} {kinds:?}");
        let (call, mine) = board.search_all_call(&key);
        // every worker making the call helps make the covered tasks' jobs
        while let Some(index) = call.take_task() {
            let position = call.covers()[index];
            call.hand_in(index, jobs_for_task(lua, &board, &ops, &kinds, position).ok());
        }
        let summary = if mine {
            // until completed, the other workers wait: an error, even a panic, must wake them
            struct WakeOnExit<'a>(&'a crate::run::state::SearchAllCall);
            impl Drop for WakeOnExit<'_> {
                fn drop(&mut self) {
                    self.0.complete(Err("batt.search_all did not finish".to_string()));
                }
            }
            let _wake = WakeOnExit(&call);
            let stop = board.clone();
            let Some(made) = call.all_jobs(move || stop.stopped()) else {
                return Err(mlua::Error::runtime("the run stopped while batt.search_all made its jobs"));
            };
            let outcome = run_search_all(&state, &engine, made, &limits, backend);
            call.complete(outcome.clone().map_err(|e| e.to_string()));
            outcome?
        } else {
            let stop = board.clone();
            match call.wait(move || stop.stopped()) {
                Some(Ok(summary)) => summary,
                Some(Err(e)) => return Err(mlua::Error::runtime(e)),
                None => return Err(mlua::Error::runtime("the run stopped while another worker ran batt.search_all")),
            }
        };
        let t = lua.create_table()?;
        t.set("tasks", summary.tasks)?;
        t.set("skipped", summary.skipped)?;
        t.set("evaluated", summary.evaluated)?;
        t.set("candidates", summary.candidates)?;
        t.set("seconds", summary.seconds)?;
        Ok(t)
    })
}

/// Waits while a `batt.search_all` that covers the task at `position` is still running
/// in another worker, so the task's search finds its result ready.
fn wait_for_search_all(state: &SharedState, position: usize) {
    let board = state.borrow().board.clone();
    if let Some(call) = board.search_all_running_for(position) {
        let stop = board.clone();
        call.wait(move || stop.stopped());
    }
}

/// The search jobs of the task at `position`: the task itself and each variant asked
/// for, each with its alphabet from `ops` (run in this worker's Lua state).
fn jobs_for_task(lua: &Lua, board: &crate::run::state::RunBoard, ops: &Value, kinds: &[VariantKind], position: usize) -> mlua::Result<Vec<SearchJob>> {
    let crate::data::dataset::TaskEntry::Valid(task) = &board.selection[position] else { return Ok(Vec::new()) };
    presentations(task, kinds)
        .iter()
        .map(|v| {
            let seen = v.as_ref().map_or(task, |v| &v.task);
            alphabet(lua, ops, seen, position).map(|steps| job_of(seen, steps))
        })
        .collect()
}

/// Runs the covered tasks' jobs (`made`, in selection order; None: left out) as one batch.
fn run_search_all(
    state: &SharedState,
    engine: &EngineHandle,
    made: Vec<Option<Vec<SearchJob>>>,
    limits: &SearchLimits,
    backend: Option<crate::engine::Backend>,
) -> mlua::Result<SearchAllSummary> {
    let board = state.borrow().board.clone();
    let count = made.iter().filter(|m| m.is_some()).count();
    let skipped = made.len() - count;
    let jobs: Vec<SearchJob> = made.into_iter().flatten().flatten().collect();
    if board.workers == 1 {
        board.progress.set_message(&format!("searching {count} tasks together"));
    }
    let started = Instant::now();
    let summary = crate::engine::search::prepare(&mut engine.lock(), jobs, limits, backend).map_err(|e| mlua::Error::runtime(format!("{e:#}")))?;
    let elapsed = started.elapsed();
    {
        let mut st = state.borrow_mut();
        st.work.search += summary.timing;
        st.work.candidate_eval += elapsed;
    }
    Ok(SearchAllSummary {
        tasks: count,
        skipped,
        evaluated: summary.evaluated as u64,
        candidates: summary.candidates as u64,
        seconds: elapsed.as_secs_f64(),
    })
}
