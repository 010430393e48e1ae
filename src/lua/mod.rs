//! The Lua host: one fresh Lua 5.4 state per worker and run, with the `batt` API installed (grids and
//! the DSL, tasks, the batch engine), `require`
//! resolving in the script's folder and `scripts/lib/`, `print` routed through the run's
//! log, every chunk named by its real file path (so errors read `scripts/x.lua:17:`), and
//! an instruction hook that stops a task running past its time limit.

mod dsl;
mod dsl_lists;
mod dsl_patches;
mod dsl_rebuild;
pub mod engine_api;
pub mod keep;
mod search_api;
mod tasks;
mod values;

pub use dsl::symmetry_name;
pub use values::{grid_to_table, to_grid, LuaGrid, LuaObject};

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use mlua::{HookTriggers, Lua, Table, Value, VmState};

use crate::run::state::{SharedState, Watchdog};

/// How often (in Lua VM instructions) the time limit is checked.
const HOOK_EVERY_INSTRUCTIONS: u32 = 2_000;

pub struct ScriptHost {
    lua: Lua,
    chunk_name: String,
}

/// What a script host shares with the run and the session around it.
pub struct HostContext<'a> {
    pub state: SharedState,
    pub watchdog: Rc<Watchdog>,
    pub engine: crate::engine::EngineHandle,
    pub args: &'a [String],
    /// Values kept across re-runs (`batt.keep` / `batt.kept`).
    pub kept: keep::KeptValues,
    /// How many times the script has been re-run in this session (0 the first time).
    pub reloads: u32,
    /// The files whose change started this run.
    pub changed_files: &'a [PathBuf],
    /// Every Lua file the run loads (main script, `require`, `loadfile`, `dofile`).
    pub loaded_files: Rc<RefCell<BTreeSet<PathBuf>>>,
    /// This worker's number (1-based) and how many workers the run has.
    pub worker: usize,
    pub workers: usize,
}

impl ScriptHost {
    /// A fresh Lua state for running `script`, sharing `state` with the host.
    pub fn new(script: &Path, ctx: HostContext<'_>) -> mlua::Result<ScriptHost> {
        let HostContext { state, watchdog, engine, args, kept, reloads, changed_files, loaded_files, worker, workers } = ctx;
        loaded_files.borrow_mut().insert(script.to_path_buf());
        let lua = Lua::new();
        let script_dir = script.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
        set_package_path(&lua, &script_dir)?;

        let batt = lua.create_table()?;
        let dsl_table = dsl::create_dsl_table(&lua)?;
        // Grid methods: the grid-only ones plus every DSL function (g:rot90() is dsl.rot90(g)).
        let grid_methods = lua.create_table()?;
        for pair in dsl_table.pairs::<Value, Value>() {
            let (k, v) = pair?;
            grid_methods.raw_set(k, v)?;
        }
        values::add_grid_methods(&lua, &grid_methods)?;
        let object_methods = values::create_object_methods(&lua)?;
        batt.set("grid", lua.create_function(|_, v: Value| Ok(LuaGrid(to_grid(&v)?)))?)?;
        batt.set(
            "object",
            lua.create_function(|_, cells: Table| {
                let mut triples = Vec::new();
                for (i, cell) in cells.sequence_values::<Table>().enumerate() {
                    let cell = cell.map_err(|_| mlua::Error::runtime(format!("object cell {} is not a {{row, col, colour}} table", i + 1)))?;
                    let (r, c, color): (i64, i64, i64) = (cell.get(1)?, cell.get(2)?, cell.get(3)?);
                    triples.push((r - 1, c - 1, values::check_color(color)?));
                }
                Ok(LuaObject(crate::dsl::Object::from_cells(triples)))
            })?,
        )?;
        batt.set(
            "compare",
            lua.create_function(|_, (a, b): (Value, Value)| {
                let (a, b) = (to_grid(&a)?, to_grid(&b)?);
                let m = crate::engine::score::CellMatch::of_grid(&a, &b);
                Ok((m.exact, m.cells_matched, m.shape_matched))
            })?,
        )?;
        batt.set("args", lua.create_sequence_from(args.iter().cloned())?)?;
        batt.set("script", script.display().to_string())?;
        batt.set("script_dir", script_dir.display().to_string())?;
        batt.set("version", env!("CARGO_PKG_VERSION"))?;
        batt.set("reloads", reloads)?;
        batt.set("worker", worker)?;
        batt.set("workers", workers)?;
        let single_state = state.clone();
        batt.set(
            "single_worker",
            lua.create_function(move |_, ()| {
                if single_state.borrow().started > 0 {
                    return Err(mlua::Error::runtime("batt.single_worker() must come before the task loop (this worker has taken a task)"));
                }
                if worker == 1 { Ok(()) } else { Err(mlua::Error::runtime(STAND_DOWN_MESSAGE)) }
            })?,
        )?;
        let epoch = std::time::Instant::now();
        batt.set("now", lua.create_function(move |_, ()| Ok(epoch.elapsed().as_secs_f64()))?)?;
        batt.set("changed_files", lua.create_sequence_from(changed_files.iter().map(|p| p.display().to_string()))?)?;
        keep::install(&lua, &batt, kept)?;
        record_loaded_files(&lua, loaded_files)?;
        let log_state = state.clone();
        let log = lua.create_function(move |_, parts: mlua::Variadic<Value>| {
            let line = join_log_parts(&parts)?;
            log_state.borrow_mut().log(&line);
            Ok(())
        })?;
        batt.set("log", log)?;
        let task_methods = tasks::install(&lua, &batt, state.clone(), watchdog.clone(), engine.clone())?;
        // task:search and batt.search_all (search_api uses the task side, not the other way)
        task_methods.set("search", search_api::search_function(&lua, state.clone(), engine.clone(), watchdog.clone())?)?;
        task_methods.set("alphabet", search_api::task_alphabet_function(&lua)?)?;
        batt.set("search_all", search_api::search_all_function(&lua, state, engine.clone())?)?;
        batt.set("search_defaults", search_api::search_defaults_table(&lua)?)?;
        let engine_methods = engine_api::install(&lua, &batt, engine, watchdog.clone())?;
        let mut wrapped = vec![&batt, &dsl_table, &grid_methods, &object_methods, &task_methods];
        wrapped.extend(engine_methods.iter());
        raise_errors_as_strings(&lua, &wrapped)?;
        batt.set("dsl", dsl_table)?;
        lua.set_named_registry_value(values::GRID_METHODS_KEY, grid_methods)?;
        lua.set_named_registry_value(values::OBJECT_METHODS_KEY, object_methods)?;
        lua.globals().set("batt", batt.clone())?;
        lua.globals().set("print", batt.get::<mlua::Function>("log")?)?;

        let hook_watchdog = watchdog;
        lua.set_global_hook(HookTriggers::new().every_nth_instruction(HOOK_EVERY_INSTRUCTIONS), move |_, _| {
            if hook_watchdog.interrupted() {
                Err(mlua::Error::runtime(INTERRUPT_MESSAGE))
            } else if hook_watchdog.halted() {
                Err(mlua::Error::runtime(HALT_MESSAGE))
            } else if hook_watchdog.check() {
                Err(mlua::Error::runtime(TIMEOUT_MESSAGE))
            } else {
                Ok(VmState::Continue)
            }
        })?;

        Ok(ScriptHost { lua, chunk_name: format!("@{}", script.display()) })
    }

    /// Runs the main script's source once; a Lua error comes back as its full message
    /// (file:line, reason and traceback).
    pub fn exec_main(&self, source: &[u8]) -> Result<(), String> {
        self.lua.load(source).set_name(&self.chunk_name).exec().map_err(|e| format_lua_error(&e))
    }
}

/// Replaces every function in `tables` by a wrapper that re-raises its errors as plain
/// strings located at the Lua caller (`file.lua:17: reason`), as Lua's own `error(msg, 2)`
/// does, so scripts can `pcall` batt functions and read the message like any Lua error.
fn raise_errors_as_strings(lua: &Lua, tables: &[&Table]) -> mlua::Result<()> {
    let message = lua.create_function(|_, err: Value| {
        Ok(match err {
            Value::Error(e) => root_message(&e),
            other => other.to_string()?,
        })
    })?;
    let list = lua.create_sequence_from(tables.iter().map(|t| (*t).clone()))?;
    lua.load(
        r#"
        local message, tables = ...
        local pack, unpack, pcall, error, pairs, type = table.pack, table.unpack, pcall, error, pairs, type
        local function wrap(f)
          return function(...)
            local r = pack(pcall(f, ...))
            if r[1] then return unpack(r, 2, r.n) end
            error(message(r[2]), 2)
          end
        end
        for _, t in ipairs(tables) do
          for k, v in pairs(t) do
            if type(v) == "function" then t[k] = wrap(v) end
          end
        end
        "#,
    )
    .set_name("=batt")
    .call::<()>((message, list))
}

/// The innermost message of an error raised in a Rust callback.
fn root_message(e: &mlua::Error) -> String {
    match e {
        mlua::Error::CallbackError { cause, .. } => root_message(cause),
        mlua::Error::WithContext { cause, .. } => root_message(cause),
        mlua::Error::RuntimeError(m) => m.clone(),
        other => other.to_string(),
    }
}

/// What the hook raises when a task runs out of time.
pub const TIMEOUT_MESSAGE: &str = "task time limit reached (-t)";
/// What the hook raises when the user interrupts the run (Ctrl-C, SIGTERM).
pub const INTERRUPT_MESSAGE: &str = "interrupted";
/// What `batt.single_worker()` raises in every worker but the first: it ends that worker's
/// script quietly.
pub const STAND_DOWN_MESSAGE: &str = "batt.single_worker(): this worker stands down";
/// What the hook raises in the other workers when one worker's error stops the run.
pub const HALT_MESSAGE: &str = "the run stopped (another worker failed)";

/// Wraps `loadfile`, `dofile` and the Lua-file searcher of `require` so every Lua file the
/// run loads is recorded (watch mode watches them).
fn record_loaded_files(lua: &Lua, files: Rc<RefCell<BTreeSet<PathBuf>>>) -> mlua::Result<()> {
    let record = lua.create_function(move |_, path: String| {
        files.borrow_mut().insert(PathBuf::from(path));
        Ok(())
    })?;
    lua.load(
        r#"
        local record = ...
        local loadfile_, dofile_ = loadfile, dofile
        loadfile = function(path, ...)
          if type(path) == "string" then record(path) end
          return loadfile_(path, ...)
        end
        dofile = function(path)
          if type(path) == "string" then record(path) end
          return dofile_(path)
        end
        local search_lua = package.searchers[2]
        package.searchers[2] = function(name)
          local loader, path = search_lua(name)
          if type(loader) == "function" and type(path) == "string" then record(path) end
          return loader, path
        end
        "#,
    )
    .set_name("=batt")
    .call::<()>(record)
}

fn set_package_path(lua: &Lua, script_dir: &Path) -> mlua::Result<()> {
    let mut dirs: Vec<PathBuf> = vec![script_dir.to_path_buf(), script_dir.join("lib")];
    let project_lib = PathBuf::from("scripts/lib");
    if project_lib.is_dir() && !dirs.iter().any(|d| same_dir(d, &project_lib)) {
        dirs.push(project_lib);
    }
    let mut patterns = Vec::new();
    for d in &dirs {
        let d = d.display().to_string();
        patterns.push(format!("{d}/?.lua"));
        patterns.push(format!("{d}/?/init.lua"));
    }
    let package: Table = lua.globals().get("package")?;
    package.set("path", patterns.join(";"))?;
    package.set("cpath", "")?;
    Ok(())
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn join_log_parts(parts: &[Value]) -> mlua::Result<String> {
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        out.push_str(&p.to_string()?);
    }
    Ok(out)
}

/// A Lua error as users want to read it: the message (which starts with file:line), then
/// the traceback, without mlua's wrapping.
pub fn format_lua_error(e: &mlua::Error) -> String {
    match e {
        mlua::Error::CallbackError { traceback, cause } => {
            let inner = format_lua_error(cause);
            if inner.contains("stack traceback:") {
                inner
            } else {
                format!("{inner}\n{traceback}")
            }
        }
        mlua::Error::RuntimeError(m) => m.clone(),
        mlua::Error::SyntaxError { message, .. } => message.clone(),
        mlua::Error::WithContext { context, cause } => format!("{context}: {}", format_lua_error(cause)),
        other => other.to_string(),
    }
}
