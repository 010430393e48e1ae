//! The batch engine seen from Lua: `batt.program` (programs from text or tables),
//! `batt.ops`, `batt.batch{size =, backend =}` with `b:add`, `b:flush`, `b:stats` and
//! handles' `h:score()` / `h:output()`, the cross product `batt.eval(programs, inputs,
//! expecteds?)`, and `batt.backend()`. Every batch of a run shares the run's `Engine`:
//! one Vulkan device, one pipeline, one result cache.

use std::cell::RefCell;
use std::rc::Rc;

use mlua::{AnyUserData, Lua, MetaMethod, Table, UserData, UserDataMethods, Value};

use super::search_api::{found_table, search_options, search_stats_table, set_test_sizes};
use super::values::{parse_backend, to_grid, to_program, LuaGrid, LuaProgram};
use crate::engine::ops::ParamKind;
use crate::engine::program::{usage, Op, Program};
use crate::engine::batch::BatchBuilder;
use crate::engine::{Backend, EngineHandle, EngineStats, ItemResult};
use crate::grid::Grid;


const BATCH_METHODS_KEY: &str = "batt.batch_methods";
const HANDLE_METHODS_KEY: &str = "batt.handle_methods";

fn lua_err(e: anyhow::Error) -> mlua::Error {
    mlua::Error::runtime(format!("{e:#}"))
}

struct BatchState {
    size: usize,
    backend: Option<Backend>,
    want_outputs: bool,
    pending: BatchBuilder,
    /// Handle index of each pending item.
    pending_handles: Vec<usize>,
    pending_tags: Vec<Option<String>>,
    /// Per handle: program, input, expected (to re-run for an output) and the result.
    entries: Vec<(Program, Grid, Option<Grid>, Option<ItemResult>)>,
    stats: EngineStats,
}

pub struct LuaBatch {
    state: Rc<RefCell<BatchState>>,
    engine: EngineHandle,
}

impl UserData for LuaBatch {
    fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
        methods.add_meta_method(MetaMethod::Index, |lua, _, key: Value| {
            let table: Table = lua.named_registry_value(BATCH_METHODS_KEY)?;
            table.raw_get::<Value>(key)
        });
        methods.add_meta_method(MetaMethod::ToString, |_, this, ()| {
            let s = this.state.borrow();
            Ok(format!("Batch({} items, {} pending)", s.entries.len(), s.pending_handles.len()))
        });
    }
}

pub struct LuaHandle {
    state: Rc<RefCell<BatchState>>,
    engine: EngineHandle,
    index: usize,
}

impl UserData for LuaHandle {
    fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
        methods.add_meta_method(MetaMethod::Index, |lua, _, key: Value| {
            let table: Table = lua.named_registry_value(HANDLE_METHODS_KEY)?;
            table.raw_get::<Value>(key)
        });
    }
}

fn flush(state: &Rc<RefCell<BatchState>>, engine: &EngineHandle) -> mlua::Result<()> {
    let mut s = state.borrow_mut();
    if s.pending_handles.is_empty() {
        return Ok(());
    }
    let mut tags = EngineStats::default();
    for tag in s.pending_tags.iter().flatten() {
        *tags.per_tag.entry(tag.clone()).or_default() += 1;
    }
    if !tags.per_tag.is_empty() {
        let mut e = engine.lock();
        e.stats = e.stats.plus(&tags);
    }
    let (results, share) = engine.evaluate(&s.pending, None, s.backend).map_err(lua_err)?;
    s.stats = s.stats.plus(&share).plus(&tags);
    let handles = std::mem::take(&mut s.pending_handles);
    for (h, r) in handles.into_iter().zip(results) {
        s.entries[h].3 = Some(r);
    }
    s.pending = BatchBuilder::default();
    s.pending_tags.clear();
    Ok(())
}

pub fn stats_table(lua: &Lua, s: &EngineStats, backend: &str) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.set("items_added", s.items_added)?;
    t.set("items_evaluated", s.items_evaluated)?;
    t.set("batches", s.batches)?;
    t.set("cache_hits", s.cache_hits)?;
    t.set("cache_hit_rate", s.cache_hit_rate())?;
    t.set("per_op", lua.create_table_from(s.per_op.clone())?)?;
    t.set("per_tag", lua.create_table_from(s.per_tag.clone())?)?;
    t.set("upload_ms", s.upload.as_secs_f64() * 1e3)?;
    t.set("compute_ms", s.compute.as_secs_f64() * 1e3)?;
    t.set("readback_ms", s.readback.as_secs_f64() * 1e3)?;
    t.set("cpu_ms", s.cpu.as_secs_f64() * 1e3)?;
    t.set("backend", backend)?;
    t.set("line", s.line())?;
    Ok(t)
}

/// `batt.ops()`: every op of the table, in code order, as {name, code, family, meaning,
/// usage, separator, alphabet (the steps it gives a task's search alphabet), params = {{name, kind, min, max, choices}}}: enough for a script to
/// build a search alphabet without hard-coding names.
fn ops_table(lua: &Lua) -> mlua::Result<Table> {
    let list = lua.create_table_with_capacity(Op::ALL.len(), 0)?;
    for op in Op::ALL {
        let spec = op.spec();
        let t = lua.create_table()?;
        t.set("name", spec.name)?;
        t.set("code", spec.code)?;
        t.set("family", spec.family)?;
        t.set("meaning", spec.meaning)?;
        t.set("usage", usage(spec))?;
        t.set("separator", spec.separator)?;
        let rules: Vec<String> = spec.alphabet.iter().map(|r| r.describe(spec.params)).collect();
        t.set("alphabet", rules.join("; "))?;
        let params = lua.create_table()?;
        for p in spec.params {
            let param = lua.create_table()?;
            param.set("name", p.name)?;
            param.set("kind", p.kind.name())?;
            if let ParamKind::Offset { max } = p.kind {
                param.set("min", -i64::from(max))?;
                param.set("max", max)?;
            } else if let Some(values) = p.kind.values() {
                param.set("min", *values.start())?;
                param.set("max", *values.end())?;
            }
            if let ParamKind::Choice(names) = p.kind {
                param.set("choices", lua.create_sequence_from(names.iter().copied())?)?;
            }
            params.raw_push(param)?;
        }
        t.set("params", params)?;
        list.raw_push(t)?;
    }
    Ok(list)
}

/// Adds the engine functions to `batt`; returns the method tables to wrap for errors.
pub fn install(lua: &Lua, batt: &Table, engine: EngineHandle, watchdog: std::rc::Rc<crate::run::state::Watchdog>) -> mlua::Result<Vec<Table>> {
    batt.set("program", lua.create_function(|_, spec: Value| Ok(LuaProgram(to_program(&spec)?)))?)?;
    batt.set("ops", lua.create_function(|lua, ()| ops_table(lua))?)?;
    let e = engine.clone();
    batt.set("backend", lua.create_function(move |_, ()| Ok(e.lock().backend_name()))?)?;

    // batt.eval(programs, inputs, expecteds?, {outputs =, backend =, tag =})
    let e = engine.clone();
    batt.set(
        "eval",
        lua.create_function(move |lua, (programs, inputs, expecteds, opts): (Table, Table, Option<Table>, Option<Table>)| {
            let outputs: bool = opts.as_ref().map(|o| o.get::<Option<bool>>("outputs")).transpose()?.flatten().unwrap_or(false);
            let backend = parse_backend(opts.as_ref().map(|o| o.get::<Option<String>>("backend")).transpose()?.flatten())?;
            let tag: Option<String> = opts.as_ref().map(|o| o.get::<Option<String>>("tag")).transpose()?.flatten();
            let programs: Vec<Program> = programs.sequence_values::<Value>().map(|v| to_program(&v?)).collect::<mlua::Result<_>>()?;
            let inputs: Vec<Grid> = inputs.sequence_values::<Value>().map(|v| to_grid(&v?)).collect::<mlua::Result<_>>()?;
            let expecteds: Option<Vec<Grid>> = match expecteds {
                Some(t) => Some(t.sequence_values::<Value>().map(|v| to_grid(&v?)).collect::<mlua::Result<_>>()?),
                None => None,
            };
            if let Some(ex) = &expecteds {
                if ex.len() != inputs.len() {
                    return Err(mlua::Error::runtime(format!("{} expected grids for {} inputs", ex.len(), inputs.len())));
                }
            }
            let results = e
                .lock()
                .evaluate_cross(&programs, &inputs, expecteds.as_deref(), outputs, tag.as_deref(), backend)
                .map_err(lua_err)?;
            let matrix = lua.create_table_with_capacity(programs.len(), 0)?;
            let mut it = results.into_iter();
            for _ in &programs {
                let row = lua.create_table_with_capacity(inputs.len(), 0)?;
                for _ in &inputs {
                    row.raw_push(result_table(lua, it.next().expect("one result per item"))?)?;
                }
                matrix.raw_push(row)?;
            }
            Ok(matrix)
        })?,
    )?;

    // batt.enumerate{inputs =, outputs =, tests =, ops =, depth =, max_states =, keep =, pieces =, max_layers =, backend =}
    let e = engine.clone();
    batt.set(
        "enumerate",
        lua.create_function(move |lua, opts: Table| {
            let inputs: Vec<Grid> = opts.get::<Table>("inputs")?.sequence_values::<Value>().map(|v| to_grid(&v?)).collect::<mlua::Result<_>>()?;
            let outputs: Vec<Grid> = opts.get::<Table>("outputs")?.sequence_values::<Value>().map(|v| to_grid(&v?)).collect::<mlua::Result<_>>()?;
            if inputs.len() != outputs.len() || inputs.is_empty() {
                return Err(mlua::Error::runtime(format!("enumerate needs as many outputs as inputs (got {} and {})", inputs.len(), outputs.len())));
            }
            let tests: Vec<Grid> = match opts.get::<Option<Table>>("tests")? {
                Some(list) => list.sequence_values::<Value>().map(|v| to_grid(&v?)).collect::<mlua::Result<_>>()?,
                None => Vec::new(),
            };
            let search_opts = search_options(&opts)?;
            // inside a task, the search stops at its deadline (-t, --time-budget)
            let result = crate::engine::search::enumerate_until(&mut e.lock(), &inputs, &outputs, &tests, &search_opts, watchdog.deadline.get()).map_err(lua_err)?;
            let stats = search_stats_table(lua, &result.stats)?;
            set_test_sizes(lua, &stats, &result.test_sizes)?;
            Ok((found_table(lua, &result)?, stats))
        })?,
    )?;

    // batt.batch{size =, backend =, outputs =}
    let e = engine.clone();
    batt.set(
        "batch",
        lua.create_function(move |_, opts: Option<Table>| {
            let size: Option<usize> = opts.as_ref().map(|o| o.get::<Option<usize>>("size")).transpose()?.flatten();
            let backend = parse_backend(opts.as_ref().map(|o| o.get::<Option<String>>("backend")).transpose()?.flatten())?;
            let want_outputs: bool = opts.as_ref().map(|o| o.get::<Option<bool>>("outputs")).transpose()?.flatten().unwrap_or(false);
            let state = BatchState {
                size: size.unwrap_or(65_536).max(1),
                backend,
                want_outputs,
                pending: BatchBuilder::default(),
                pending_handles: Vec::new(),
                pending_tags: Vec::new(),
                entries: Vec::new(),
                stats: EngineStats::default(),
            };
            Ok(LuaBatch { state: Rc::new(RefCell::new(state)), engine: e.clone() })
        })?,
    )?;

    let batch_methods = lua.create_table()?;
    batch_methods.set(
        "add",
        lua.create_function(|_, (ud, program, input, expected, tag): (AnyUserData, Value, Value, Value, Option<String>)| {
            let batch = ud.borrow::<LuaBatch>().map_err(|_| mlua::Error::runtime("call as b:add(program, input, expected, tag)"))?;
            let program = to_program(&program)?;
            let input = to_grid(&input)?;
            let expected = if expected.is_nil() { None } else { Some(to_grid(&expected)?) };
            let full = {
                let mut s = batch.state.borrow_mut();
                let want = s.want_outputs || expected.is_none();
                let index = s.entries.len();
                s.entries.push((program.clone(), input.clone(), expected.clone(), None));
                s.pending.push(program, input, expected, want);
                s.pending_handles.push(index);
                s.pending_tags.push(tag);
                s.pending_handles.len() >= s.size
            };
            let index = batch.state.borrow().entries.len() - 1;
            if full {
                flush(&batch.state, &batch.engine)?;
            }
            Ok(LuaHandle { state: batch.state.clone(), engine: batch.engine.clone(), index })
        })?,
    )?;
    batch_methods.set(
        "flush",
        lua.create_function(|_, ud: AnyUserData| {
            let batch = ud.borrow::<LuaBatch>().map_err(|_| mlua::Error::runtime("call as b:flush()"))?;
            flush(&batch.state, &batch.engine)
        })?,
    )?;
    batch_methods.set(
        "stats",
        lua.create_function(|lua, ud: AnyUserData| {
            let batch = ud.borrow::<LuaBatch>().map_err(|_| mlua::Error::runtime("call as b:stats()"))?;
            let backend = batch.engine.lock().backend_name();
            let stats = batch.state.borrow().stats.clone();
            stats_table(lua, &stats, &backend)
        })?,
    )?;
    batch_methods.set(
        "pending",
        lua.create_function(|_, ud: AnyUserData| {
            let batch = ud.borrow::<LuaBatch>().map_err(|_| mlua::Error::runtime("call as b:pending()"))?;
            let n = batch.state.borrow().pending_handles.len();
            Ok(n)
        })?,
    )?;

    let handle_methods = lua.create_table()?;
    handle_methods.set(
        "score",
        lua.create_function(|_, ud: AnyUserData| {
            let h = ud.borrow::<LuaHandle>().map_err(|_| mlua::Error::runtime("call as h:score()"))?;
            let r = handle_result(&h)?;
            Ok((r.exact, r.cells_matched, r.shape_matched))
        })?,
    )?;
    handle_methods.set(
        "output",
        lua.create_function(|_, ud: AnyUserData| {
            let h = ud.borrow::<LuaHandle>().map_err(|_| mlua::Error::runtime("call as h:output()"))?;
            let r = handle_result(&h)?;
            if !r.produced {
                return Ok(None);
            }
            if let Some(g) = r.output {
                return Ok(Some(LuaGrid(*g)));
            }
            // Scored without its output: evaluate this one item again, asking for it.
            let (program, input) = {
                let s = h.state.borrow();
                let e = &s.entries[h.index];
                (e.0.clone(), e.1.clone())
            };
            let mut b = BatchBuilder::default();
            b.push(program, input, None, true);
            let backend = h.state.borrow().backend;
            let r = h.engine.evaluate(&b, None, backend).map_err(lua_err)?.0.pop().expect("one result");
            Ok(r.output.map(|g| LuaGrid(*g)))
        })?,
    )?;
    lua.set_named_registry_value(BATCH_METHODS_KEY, batch_methods.clone())?;
    lua.set_named_registry_value(HANDLE_METHODS_KEY, handle_methods.clone())?;
    Ok(vec![batch_methods, handle_methods])
}

fn handle_result(h: &LuaHandle) -> mlua::Result<ItemResult> {
    if h.state.borrow().entries[h.index].3.is_none() {
        flush(&h.state, &h.engine)?;
    }
    Ok(h.state.borrow().entries[h.index].3.clone().expect("flushed"))
}

/// One item's result as a Lua table.
pub fn result_table(lua: &Lua, r: ItemResult) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.set("produced", r.produced)?;
    t.set("exact", r.exact)?;
    t.set("cells", r.cells_matched)?;
    t.set("shape", r.shape_matched)?;
    t.set("rows", r.rows)?;
    t.set("cols", r.cols)?;
    if let Some(g) = r.output {
        t.set("output", LuaGrid(*g))?;
    }
    Ok(t)
}
