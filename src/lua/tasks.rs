//! The task side of the `batt` API: `batt.tasks()` hands the script one task at a time
//! (the next one the run deals this worker) as a table (`id`, `split`, `index`, `train`
//! pairs, `test` inputs with outputs when known) whose methods score candidates on the
//! train pairs (`task:score`), record up to two attempts per test input and why
//! (`task:predict`) and log (`task:log`). Asking for the next task finishes the current one.

use std::rc::Rc;
use std::time::{Duration, Instant};

use mlua::{Function, Lua, Table, Value, Variadic};

use super::values::{to_program, LuaProgram};
use crate::engine::batch::BatchBuilder;
use crate::engine::EngineHandle;
use super::values::{describe, to_grid, LuaGrid};
use crate::engine::program::Program;
use crate::engine::score::{CellMatch, PairScore};
use crate::engine::ItemResult;
use crate::grid::Grid;
use crate::run::record::{CandidateScore, TaskStatus};
use crate::run::state::{SharedState, Watchdog};
use crate::data::task::Task;

const TASK_METATABLE_KEY: &str = "batt.task_metatable";

/// Adds `batt.tasks` and `batt.task_count`; returns the task methods table.
pub fn install(lua: &Lua, batt: &Table, state: SharedState, watchdog: Rc<Watchdog>, engine: EngineHandle) -> mlua::Result<Table> {
    let methods = lua.create_table()?;
    methods.set("score", score_function(lua, state.clone(), watchdog.clone())?)?;
    methods.set("score_programs", score_programs_function(lua, state.clone(), engine.clone())?)?;
    methods.set("predict", predict_function(lua, state.clone())?)?;
    let log_state = state.clone();
    methods.set(
        "log",
        lua.create_function(move |_, (_task, parts): (Table, Variadic<Value>)| {
            let mut line = String::new();
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    line.push('\t');
                }
                line.push_str(&p.to_string()?);
            }
            log_state.borrow_mut().log(&line);
            Ok(())
        })?,
    )?;
    let meta = lua.create_table()?;
    meta.set("__index", methods.clone())?;
    lua.set_named_registry_value(TASK_METATABLE_KEY, meta)?;

    let count_state = state.clone();
    batt.set("task_count", lua.create_function(move |_, ()| Ok(count_state.borrow().board.selection.len()))?)?;

    let iter_state = state;
    let next = lua.create_function(move |lua, ()| {
        let started = {
            let mut st = iter_state.borrow_mut();
            st.finish_current(TaskStatus::Done, None, &watchdog);
            st.start_next(&watchdog).map(|t| (t, st.current.as_ref().map_or(0, |c| c.position)))
        };
        match started {
            Some((task, position)) => Ok(Value::Table(task_table(lua, &task, position)?)),
            None => Ok(Value::Nil),
        }
    })?;
    batt.set("tasks", lua.create_function(move |_, ()| Ok(next.clone()))?)?;
    Ok(methods)
}

pub(super) fn task_table(lua: &Lua, task: &Task, position: usize) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.set("id", task.id.as_str())?;
    t.set("split", task.split.map(|s| s.name()))?;
    t.set("index", position + 1)?;
    let train = lua.create_table()?;
    for pair in &task.train {
        let p = lua.create_table()?;
        p.set("input", LuaGrid(pair.input.clone()))?;
        p.set("output", LuaGrid(pair.output.clone()))?;
        train.raw_push(p)?;
    }
    t.set("train", train)?;
    let test = lua.create_table()?;
    for case in &task.test {
        let p = lua.create_table()?;
        p.set("input", LuaGrid(case.input.clone()))?;
        if let Some(out) = &case.output {
            p.set("output", LuaGrid(out.clone()))?;
        }
        test.raw_push(p)?;
    }
    t.set("test", test)?;
    let meta: Table = lua.named_registry_value(TASK_METATABLE_KEY)?;
    t.set_metatable(Some(meta))?;
    Ok(t)
}

/// The current task, checking that the script passed that task.
pub(super) fn current_task(state: &SharedState, this: &Table) -> mlua::Result<Rc<Task>> {
    let id: String = this.get("id")?;
    let st = state.borrow();
    match &st.current {
        Some(cur) if cur.task.id == id => Ok(cur.task.clone()),
        Some(cur) => Err(mlua::Error::runtime(format!(
            "task {id} is finished; the current task is {} (a task's methods work only until the next batt.tasks() step)",
            cur.task.id
        ))),
        None => Err(mlua::Error::runtime(format!("task {id} is finished; no task is current"))),
    }
}

/// `task:score(name, fn)`: runs `fn(input, task)` on every train input, compares with the
/// expected outputs, records the candidate and returns its score table. A candidate that
/// raises an error or returns nil scores 0 on that pair; a time-limit error propagates.
fn score_function(lua: &Lua, state: SharedState, watchdog: Rc<Watchdog>) -> mlua::Result<Function> {
    lua.create_function(move |lua, (this, name, candidate): (Table, String, Function)| {
        let task = current_task(&state, &this)?;
        let eval_start = Instant::now();
        let mut outputs: Vec<Option<Grid>> = Vec::with_capacity(task.train.len());
        let mut first_error: Option<String> = None;
        for pair in &task.train {
            match candidate.call::<Value>((LuaGrid(pair.input.clone()), this.clone())) {
                Ok(Value::Nil) => outputs.push(None),
                Ok(v) => match to_grid(&v) {
                    Ok(g) => outputs.push(Some(g)),
                    Err(_) => {
                        first_error.get_or_insert_with(|| format!("returned {}, not a grid", describe(&v)));
                        outputs.push(None);
                    }
                },
                Err(e) => {
                    if watchdog.tripped.get() || watchdog.interrupted() {
                        return Err(e);
                    }
                    first_error.get_or_insert_with(|| super::format_lua_error(&e).lines().next().unwrap_or("").to_string());
                    outputs.push(None);
                }
            }
        }
        let eval_time = eval_start.elapsed();

        let score_start = Instant::now();
        let score = score_outputs(&name, &task, &outputs, first_error);
        let scoring_time = score_start.elapsed();

        let result = score_table(lua, &score)?;
        record_candidates(&state, vec![score], 0, eval_time, scoring_time);
        Ok(result)
    })
}

fn score_table(lua: &Lua, score: &CandidateScore) -> mlua::Result<Table> {
    let result = lua.create_table()?;
    result.set("name", score.name.as_str())?;
    result.set("exact", score.solves_train())?;
    result.set("pairs_exact", score.pairs_exact)?;
    result.set("pairs", score.pairs)?;
    result.set("shapes_matched", score.shapes_matched)?;
    result.set("cell_accuracy", score.cell_accuracy)?;
    result.set("value", score.value())?;
    result.set("error", score.error.clone())?;
    Ok(result)
}

/// `task:score_programs(programs [, tag])`: every program on every train pair in one batch
/// on the run's engine (GPU or CPU); each is recorded as a candidate named by its text.
/// Returns one score table per program (as `task:score`, plus `program`).
fn score_programs_function(lua: &Lua, state: SharedState, engine: EngineHandle) -> mlua::Result<Function> {
    lua.create_function(move |lua, (this, programs, tag): (Table, Table, Option<String>)| {
        let task = current_task(&state, &this)?;
        let programs: Vec<Program> = programs.sequence_values::<Value>().map(|v| to_program(&v?)).collect::<mlua::Result<_>>()?;
        let eval_start = Instant::now();
        let mut batch = BatchBuilder::default();
        let pairs: Vec<(u32, u32)> =
            task.train.iter().map(|pair| (batch.grid(pair.input.clone()), batch.grid(pair.output.clone()))).collect();
        for p in &programs {
            let p = batch.program(p.clone());
            for &(input, output) in &pairs {
                batch.push_indices(p, input, Some(output), false);
            }
        }
        let (results, _) = engine.evaluate(&batch, Some(tag.as_deref().unwrap_or("score_programs")), None).map_err(|e| mlua::Error::runtime(format!("{e:#}")))?;
        let eval_time = eval_start.elapsed();

        let score_start = Instant::now();
        let n = task.train.len();
        let scores: Vec<CandidateScore> = programs
            .iter()
            .zip(results.chunks(n.max(1)))
            .map(|(p, rs)| score_item_results(&p.to_string(), &task, rs))
            .collect();
        let scoring_time = score_start.elapsed();

        let list = lua.create_table_with_capacity(scores.len(), 0)?;
        for (p, score) in programs.iter().zip(&scores) {
            let t = score_table(lua, score)?;
            t.set("program", LuaProgram(p.clone()))?;
            list.raw_push(t)?;
        }
        record_candidates(&state, scores, 0, eval_time, scoring_time);
        Ok(list)
    })
}

/// Adds scored candidates (and `more_tried` that were tried but not kept) to the current
/// task's record, and the time they took to the run's and the task's timings.
pub(super) fn record_candidates(state: &SharedState, scores: Vec<CandidateScore>, more_tried: usize, eval: Duration, scoring: Duration) {
    let mut st = state.borrow_mut();
    st.work.candidate_eval += eval;
    st.work.scoring += scoring;
    if let Some(cur) = &mut st.current {
        cur.record.candidate_eval_ms += eval;
        cur.record.scoring_ms += scoring;
        for score in scores {
            cur.record.add_candidate(score);
        }
        cur.record.candidates_tried += more_tried;
    }
}

/// A candidate's score from the engine's per-pair results (same meaning as `score_outputs`).
pub fn score_item_results(name: &str, task: &Task, results: &[ItemResult]) -> CandidateScore {
    score_pairs(name, task, results.iter().map(|r| r.shape_matched.then_some(r.cells_matched as usize)), None)
}

/// Exact matches, shape matches and mean cell accuracy of `outputs` against the train outputs.
pub fn score_outputs(name: &str, task: &Task, outputs: &[Option<Grid>], error: Option<String>) -> CandidateScore {
    let matched = task.train.iter().zip(outputs).map(|(pair, out)| {
        let m = out.as_ref().map(|o| CellMatch::of_grid(o, &pair.output)).filter(|m| m.shape_matched);
        m.map(|m| m.cells_matched as usize)
    });
    score_pairs(name, task, matched, error)
}

/// The score from, per train pair, the cells matched when the output had the right shape.
fn score_pairs(name: &str, task: &Task, matched: impl Iterator<Item = Option<usize>>, error: Option<String>) -> CandidateScore {
    let score = PairScore::from_matches(task.train.iter().zip(matched).map(|(pair, m)| (m.map(|m| m as u32), pair.output.cells().len())));
    debug_assert_eq!(score.pairs, task.train.len(), "one result per train pair");
    CandidateScore {
        name: name.to_string(),
        pairs_exact: score.pairs_exact,
        pairs: score.pairs,
        shapes_matched: score.shapes_matched,
        cell_accuracy: score.cell_accuracy,
        error,
    }
}

/// `task:predict(i, attempt1 [, attempt2] [, {source1, source2}] [, passed_over])`: the
/// prediction(s) for test input i (1-based), the candidates that made them and those ranked
/// above them that did not, as `{{name =, reason =}, ...}`. Calling it again for the same
/// input replaces the prediction.
fn predict_function(lua: &Lua, state: SharedState) -> mlua::Result<Function> {
    lua.create_function(move |_, (this, index, a1, a2, sources, passed, terms): (Table, i64, Value, Value, Option<Table>, Option<Table>, Option<Table>)| {
        let task = current_task(&state, &this)?;
        let n = task.test.len();
        if index < 1 || index as usize > n {
            return Err(mlua::Error::runtime(format!(
                "task {}: predict for test input {index}, but it has {n} (they count from 1)",
                task.id
            )));
        }
        let mut attempts = Vec::new();
        for (k, a) in [a1, a2].iter().enumerate() {
            if a.is_nil() {
                continue;
            }
            let g = to_grid(a).map_err(|e| mlua::Error::runtime(format!("task {}: attempt {} for test input {index}: {e}", task.id, k + 1)))?;
            attempts.push(g);
        }
        let mut names = Vec::new();
        if let Some(sources) = sources {
            for s in sources.sequence_values::<String>() {
                names.push(s?);
            }
        }
        let mut passed_over = Vec::new();
        if let Some(passed) = passed {
            for (k, entry) in passed.sequence_values::<Table>().enumerate() {
                let entry = entry.map_err(|_| mlua::Error::runtime(format!("task {}: passed_over entry {} is not a {{name =, reason =}} table", task.id, k + 1)))?;
                passed_over.push(crate::run::record::PassedOver { name: entry.get("name")?, reason: entry.get("reason")? });
            }
        }
        let mut ranks = Vec::new();
        if let Some(terms) = terms {
            for (k, entry) in terms.sequence_values::<Table>().enumerate() {
                let entry = entry.map_err(|_| mlua::Error::runtime(format!("task {}: terms entry {} is not a table", task.id, k + 1)))?;
                let count = |key: &str| -> mlua::Result<usize> { Ok(entry.get::<Option<usize>>(key)?.unwrap_or(0)) };
                ranks.push(crate::run::record::RankTerms {
                    rank: count("rank")?,
                    exact: entry.get::<Option<bool>>("exact")?.unwrap_or(false),
                    guesses: entry.get::<Option<bool>>("guesses")?.unwrap_or(false),
                    palette: entry.get::<Option<bool>>("palette")?.unwrap_or(true),
                    memorises: entry.get::<Option<bool>>("memorises")?.unwrap_or(false),
                    cases: entry.get("cases")?,
                    sized: entry.get::<Option<bool>>("sized")?.unwrap_or(true),
                    pairs_exact: count("pairs_exact")?,
                    pairs: count("pairs")?,
                    value: entry.get::<Option<f64>>("value")?.unwrap_or(0.0),
                    tried: count("tried")?,
                    steps: entry.get("steps")?,
                    layers: entry.get("layers")?,
                });
            }
        }
        let mut st = state.borrow_mut();
        if let Some(cur) = &mut st.current {
            let p = &mut cur.record.predictions[index as usize - 1];
            p.attempts = attempts;
            p.sources = names;
            p.passed_over = passed_over;
            p.terms = ranks;
        }
        Ok(())
    })
}
