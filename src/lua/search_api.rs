//! The search side of the task API: `task:search` and `batt.search_all`. Each searches
//! the task itself and, when asked (`variants = {"normalised", "transposed"}`), variants of
//! it (`engine::augment`), whose answers come back mapped to the task; `ops` is the
//! alphabet, a list of steps or a function of the (variant) task giving one. Also the
//! search helpers `batt.enumerate` shares: options read from Lua, found programs and
//! overlays and stats given back as Lua tables.

use std::time::{Duration, Instant};

use mlua::{Lua, Table, Value};

use super::tasks::{current_task, record_candidates, task_table};
use super::values::{parse_backend, to_grid, to_program, LuaGrid, LuaProgram};
use crate::engine::Backend;
use crate::engine::augment::{Variant, VariantKind};
use crate::engine::program::Step;
use crate::engine::search::alphabet::AlphabetOptions;
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

/// `task:alphabet{extended =, lines =, lists =, output_size =, colour_map =}`: the task's
/// search alphabet as step texts, from the op table's rules and the task table's train
/// pairs (so a variant task passed to an `ops` function gets its own). Options left out
/// keep their defaults (`extended` off, the others on); `colour_map` is a learned colour
/// table (`{[from] = to}`, colours it leaves out stay), giving a `permute` step.
pub fn task_alphabet_function(lua: &Lua) -> mlua::Result<mlua::Function> {
    lua.create_function(|_, (task, opts): (Table, Option<Table>)| {
        let mut options = AlphabetOptions::default();
        if let Some(opts) = &opts {
            for (key, value) in opts.pairs::<String, Value>().collect::<mlua::Result<Vec<_>>>()? {
                let flag = || match value {
                    Value::Boolean(b) => Ok(b),
                    _ => Err(mlua::Error::runtime(format!("task:alphabet: {key} must be true or false, got {}", value.type_name()))),
                };
                match key.as_str() {
                    "extended" => options.extended = flag()?,
                    "lines" => options.lines = flag()?,
                    "lists" => options.lists = flag()?,
                    "output_size" => options.output_size = flag()?,
                    "colour_map" => options.colour_map = colour_table(&value)?,
                    _ => {
                        return Err(mlua::Error::runtime(format!(
                            "task:alphabet: unknown option {key} (extended, lines, lists, output_size, colour_map)"
                        )))
                    }
                }
            }
        }
        let mut train = Vec::new();
        for pair in task.get::<Table>("train")?.sequence_values::<Table>() {
            let pair = pair?;
            train.push((to_grid(&pair.get("input")?)?, to_grid(&pair.get("output")?)?));
        }
        let pairs: Vec<(&Grid, &Grid)> = train.iter().map(|(i, o)| (i, o)).collect();
        Ok(crate::engine::search::alphabet::alphabet(&pairs, &options).iter().map(Step::to_string).collect::<Vec<_>>())
    })
}

/// A colour table from `{[from] = to}` (nil: none); colours it leaves out map to themselves.
fn colour_table(value: &Value) -> mlua::Result<Option<[u8; 10]>> {
    let map = match value {
        Value::Nil => return Ok(None),
        Value::Table(map) => map,
        other => return Err(mlua::Error::runtime(format!("task:alphabet: colour_map must be a table {{[from] = to}}, got {}", other.type_name()))),
    };
    let mut table = [0u8, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    for (from, to) in map.pairs::<i64, i64>().collect::<mlua::Result<Vec<_>>>()? {
        if !(0..=9).contains(&from) || !(0..=9).contains(&to) {
            return Err(mlua::Error::runtime(format!("task:alphabet: colour_map maps {from} to {to}; colours are 0-9")));
        }
        table[from as usize] = to as u8;
    }
    Ok(Some(table))
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
pub fn search_function(lua: &Lua, state: SharedState, engine: EngineHandle, watchdog: std::rc::Rc<crate::run::state::Watchdog>) -> mlua::Result<mlua::Function> {
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
            // a search the batch did not leave ready stops at the task's deadline (-t, --time-budget)
            let result = crate::engine::search::enumerate_until(&mut engine.lock(), &inputs, &outputs, &tests, &options, watchdog.deadline.get())
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
            // the task and its variants share the task's time limit
            alphabet(lua, ops, seen, position).map(|steps| job_of(seen, steps).within(position, board.search_limit()).until(board.search_deadline()))
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
    let owners: Vec<usize> = jobs.iter().map(|j| j.owner).collect();
    if board.workers == 1 {
        board.progress.set_message(&format!("searching {count} tasks together"));
    }
    let started = Instant::now();
    let summary = crate::engine::search::prepare(&mut engine.lock(), jobs, limits, backend).map_err(|e| mlua::Error::runtime(format!("{e:#}")))?;
    let elapsed = started.elapsed();
    // each task's part of the batch counts against its time limit
    for (&owner, &share) in owners.iter().zip(&summary.shares) {
        board.charge_search(owner, share);
    }
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

/// A search alphabet from a Lua list of one-step programs (texts or program values).
pub fn search_steps(list: &Table) -> mlua::Result<Vec<crate::engine::program::Step>> {
    let mut steps = Vec::new();
    for v in list.sequence_values::<Value>() {
        let p = to_program(&v?)?;
        if p.steps().len() != 1 {
            return Err(mlua::Error::runtime(format!("a search alphabet's ops are one step each, got `{p}`")));
        }
        steps.push(p.steps()[0]);
    }
    Ok(steps)
}

/// Search limits from a Lua table: each of `depth`, `max_states`, `exhaustive`, `keep`,
/// `pieces`, `max_layers`, `finishing`, `placing`, `filling` the table gives, the others
/// `SearchLimits::DEFAULT` (`batt.search_defaults`).
pub fn search_limits(opts: &Table) -> mlua::Result<crate::engine::search::SearchLimits> {
    let d = crate::engine::search::SearchLimits::DEFAULT;
    Ok(crate::engine::search::SearchLimits {
        depth: opts.get::<Option<usize>>("depth")?.unwrap_or(d.depth),
        max_states: opts.get::<Option<usize>>("max_states")?.unwrap_or(d.max_states),
        exhaustive: opts.get::<Option<usize>>("exhaustive")?.unwrap_or(d.exhaustive),
        keep: opts.get::<Option<usize>>("keep")?.unwrap_or(d.keep),
        pieces: opts.get::<Option<usize>>("pieces")?.unwrap_or(d.pieces),
        max_layers: opts.get::<Option<usize>>("max_layers")?.unwrap_or(d.max_layers),
        finishing: opts.get::<Option<bool>>("finishing")?.unwrap_or(d.finishing),
        placing: opts.get::<Option<bool>>("placing")?.unwrap_or(d.placing),
        filling: opts.get::<Option<bool>>("filling")?.unwrap_or(d.filling),
    })
}

/// `batt.search_defaults`: `SearchLimits::DEFAULT` as a Lua table of the option names.
pub fn search_defaults_table(lua: &Lua) -> mlua::Result<Table> {
    let d = crate::engine::search::SearchLimits::DEFAULT;
    let t = lua.create_table()?;
    t.set("depth", d.depth)?;
    t.set("max_states", d.max_states)?;
    t.set("exhaustive", d.exhaustive)?;
    t.set("keep", d.keep)?;
    t.set("pieces", d.pieces)?;
    t.set("max_layers", d.max_layers)?;
    t.set("finishing", d.finishing)?;
    t.set("placing", d.placing)?;
    t.set("filling", d.filling)?;
    Ok(t)
}

/// The backend a Lua options table names (`backend = "cpu"`), if any.
pub fn search_backend(opts: &Table) -> mlua::Result<Option<Backend>> {
    parse_backend(opts.get::<Option<String>>("backend")?)
}

/// Search options from a Lua table: `ops` (step texts), the limits (`search_limits`), `backend`.
pub fn search_options(opts: &Table) -> mlua::Result<crate::engine::search::SearchOptions> {
    let steps = search_steps(&opts.get::<Table>("ops")?)?;
    Ok(crate::engine::search::SearchOptions::new(steps, &search_limits(opts)?, search_backend(opts)?))
}

fn grid_list(lua: &Lua, grids: &[Grid]) -> mlua::Result<Table> {
    let list = lua.create_table_with_capacity(grids.len(), 0)?;
    for g in grids {
        list.raw_push(LuaGrid(g.clone()))?;
    }
    Ok(list)
}

/// A search's result as a Lua list (see `push_found`).
pub fn found_table(lua: &Lua, result: &crate::engine::search::SearchResult) -> mlua::Result<Table> {
    let list = lua.create_table_with_capacity(result.found.len() + result.overlays.len(), 0)?;
    push_found(lua, &list, result, None)?;
    Ok(list)
}

/// The test outputs of a search result, mapped back to the original task when the search
/// ran on a variant of it.
fn restored(grids: &[Grid], variant: Option<&crate::engine::augment::Variant>) -> Vec<Grid> {
    match variant {
        Some(v) => grids.iter().enumerate().map(|(i, g)| v.restore(i, g)).collect(),
        None => grids.to_vec(),
    }
}

/// Appends a search's result to `list`: its found programs as {program, name, exact,
/// pairs_exact, pairs, cell_accuracy, value, steps, test_outputs}, then its overlays as {name,
/// layers = {{program, mode}...}, exact = true, pairs_exact, pairs, cell_accuracy = 1,
/// value = 1, steps (the deepest layer's), length, test_outputs} (no `program`: an overlay is not one program). A
/// search on a variant of the task gives entries named `<variant>: <name>`, with a
/// `variant` field, test outputs mapped back to the task, and no `program` (its programs
/// read the variant's grids).
pub fn push_found(lua: &Lua, list: &Table, result: &crate::engine::search::SearchResult, variant: Option<&crate::engine::augment::Variant>) -> mlua::Result<()> {
    let prefix = variant.map_or(String::new(), |v| format!("{}: ", v.kind.name()));
    for f in &result.found {
        let t = lua.create_table()?;
        match variant {
            None => t.set("program", LuaProgram(f.program.clone()))?,
            Some(v) => t.set("variant", v.kind.name())?,
        }
        t.set("name", format!("{prefix}{}", f.program))?;
        t.set("exact", f.exact())?;
        t.set("pairs_exact", f.pairs_exact)?;
        t.set("pairs", f.pairs)?;
        t.set("cell_accuracy", f.cell_accuracy)?;
        t.set("value", if f.exact() { 1.0 } else { f.cell_accuracy.min(0.999_999) })?;
        t.set("steps", f.program.steps().len())?;
        t.set("test_outputs", grid_list(lua, &restored(&f.test_outputs, variant))?)?;
        list.raw_push(t)?;
    }
    for o in &result.overlays {
        let t = lua.create_table()?;
        t.set("name", format!("{prefix}{}", o.name()))?;
        if let Some(v) = variant {
            t.set("variant", v.kind.name())?;
        }
        let layers = lua.create_table_with_capacity(o.layers.len(), 0)?;
        for (program, mode) in &o.layers {
            let layer = lua.create_table()?;
            layer.set("program", LuaProgram(program.clone()))?;
            layer.set("mode", mode.name())?;
            layers.raw_push(layer)?;
        }
        t.set("layers", layers)?;
        t.set("steps", o.layers.iter().map(|(program, _)| program.steps().len()).max().unwrap_or(0))?;
        let exact = o.pairs_exact == o.pairs;
        t.set("exact", exact)?;
        t.set("pairs_exact", o.pairs_exact)?;
        t.set("pairs", o.pairs)?;
        t.set("cell_accuracy", o.cell_accuracy)?;
        // an overlay with a layer that only one example asks for ranks after every exact
        // candidate (it reproduces the train outputs, but by memorising one of them)
        t.set("value", if !exact { o.cell_accuracy.min(0.999_99) } else if o.supported { 1.0 } else { 0.999_999 })?;
        t.set("supported", o.supported)?;
        t.set("filled", o.filled)?;
        t.set("length", o.length)?;
        t.set("test_outputs", grid_list(lua, &restored(&o.test_outputs, variant))?)?;
        list.raw_push(t)?;
    }
    Ok(())
}

pub fn search_stats_table(lua: &Lua, s: &crate::engine::search::SearchStats) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.set("evaluated", s.evaluated)?;
    t.set("kept", s.kept)?;
    t.set("duplicates", s.duplicates)?;
    t.set("levels", s.levels)?;
    Ok(t)
}

/// `stats.test_sizes`: per test input, the predicted output size as {rows, cols}, or false
/// when no rule fits.
pub fn set_test_sizes(lua: &Lua, stats: &Table, sizes: &[Option<(usize, usize)>]) -> mlua::Result<()> {
    let list = lua.create_table_with_capacity(sizes.len(), 0)?;
    for s in sizes {
        match s {
            Some((r, c)) => list.raw_push(lua.create_sequence_from([*r, *c])?)?,
            None => list.raw_push(false)?,
        }
    }
    stats.set("test_sizes", list)
}
