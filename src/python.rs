//! The `batt` Python module (cargo feature `python`, built into a wheel by maturin from
//! `pyproject.toml`): the same crate seen from Python, no second implementation.
//! `load` reads tasks as `batt run --data` does (grids as numpy arrays), `Engine` wraps the
//! batch engine (`search` on one task, `evaluate` of many programs on many grids in one
//! batch), `run` is `batt run` returning its results.json; every error is a
//! `batt.BattError` with the message the CLI prints. `Engine._bench_evaluate` times the
//! same batch through the Rust API alone, for `examples/python/bench_evaluate.py`.
//! docs/python.md documents it.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyArray2, PyReadonlyArray2};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::data::dataset::{Dataset, TaskEntry};
use crate::data::task::{Pair, Task, TestCase};
use crate::engine::program::{Program, Step};
use crate::engine::search::alphabet::{alphabet, AlphabetOptions};
use crate::engine::search::{SearchLimits, SearchOptions, SearchResult, MAX_SEARCH_DEPTH};
use crate::engine::{Backend, Engine, ItemResult};
use crate::grid::{Grid, MAX_SIDE};

create_exception!(batt, BattError, PyException, "An error from batt, with the message the batt command line prints.");

fn error(message: impl std::fmt::Display) -> PyErr {
    BattError::new_err(message.to_string())
}

/// An anyhow error as the CLI prints it after `error: ` (the whole chain).
fn chain(e: anyhow::Error) -> PyErr {
    BattError::new_err(format!("{e:#}"))
}

// ---- grids ----

/// A grid from a 2-D numpy array of integers or a list of lists, checked as the loader
/// checks grids in task files (the same messages); `what` names it in an error.
fn grid_from(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Grid> {
    let built = if let Ok(a) = obj.extract::<PyReadonlyArray2<'_, u8>>() {
        let a = a.as_array();
        cells_to_grid(a.nrows(), a.ncols(), a.iter().map(|&v| v as i64))
    } else if let Ok(a) = obj.extract::<PyReadonlyArray2<'_, i64>>() {
        let a = a.as_array();
        cells_to_grid(a.nrows(), a.ncols(), a.iter().copied())
    } else {
        // any other array (its dtype converted by numpy's tolist) or nested sequences
        let rows: Vec<Vec<i64>> = match obj.hasattr("tolist")? {
            true => obj.call_method0("tolist")?.extract(),
            false => obj.extract(),
        }
        .map_err(|_| error(format!("{what}: a grid must be a 2-D numpy array or a list of lists of colours 0..9, got {}", type_name(obj))))?;
        let cols = rows.first().map_or(0, Vec::len);
        if let Some((r, row)) = rows.iter().enumerate().find(|(_, row)| row.len() != cols) {
            return Err(error(format!("{what}: row {} has {} cells but row 1 has {cols} (rows must all be the same length)", r + 1, row.len())));
        }
        cells_to_grid(rows.len(), cols, rows.into_iter().flatten())
    };
    built.map_err(|e| error(format!("{what}: {e}")))
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "an object".to_string())
}

fn cells_to_grid(rows: usize, cols: usize, cells: impl Iterator<Item = i64>) -> Result<Grid, String> {
    if rows == 0 || cols == 0 || rows > MAX_SIDE || cols > MAX_SIDE {
        return Err(format!("grid is {rows}x{cols}; each side must be between 1 and {MAX_SIDE}"));
    }
    let mut out = Vec::with_capacity(rows * cols);
    for (i, v) in cells.enumerate() {
        if !(0..=9).contains(&v) {
            return Err(format!("cell (row {}, column {}) is {v}; colours must be integers 0..9", i / cols + 1, i % cols + 1));
        }
        out.push(v as u8);
    }
    Grid::from_cells(rows, cols, out).map_err(|e| e.to_string())
}

fn grid_array<'py>(py: Python<'py>, g: &Grid) -> Bound<'py, PyArray2<u8>> {
    Array2::from_shape_vec((g.rows(), g.cols()), g.cells().to_vec()).expect("a grid's cells fill its shape").into_pyarray(py)
}

fn grids_from(list: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<Grid>> {
    let mut grids = Vec::new();
    for (i, g) in list.try_iter().map_err(|_| error(format!("{what} must be a list of grids")))?.enumerate() {
        grids.push(grid_from(&g?, &format!("{what}[{i}]"))?);
    }
    Ok(grids)
}

// ---- tasks ----

fn task_dict<'py>(py: Python<'py>, entry: &TaskEntry) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", entry.id())?;
    d.set_item("split", entry.split().map(|s| s.name()))?;
    match entry {
        TaskEntry::Valid(t) => {
            let train = PyList::empty(py);
            for p in &t.train {
                let pair = PyDict::new(py);
                pair.set_item("input", grid_array(py, &p.input))?;
                pair.set_item("output", grid_array(py, &p.output))?;
                train.append(pair)?;
            }
            let test = PyList::empty(py);
            for c in &t.test {
                let case = PyDict::new(py);
                case.set_item("input", grid_array(py, &c.input))?;
                case.set_item("output", c.output.as_ref().map(|g| grid_array(py, g)))?;
                test.append(case)?;
            }
            d.set_item("train", train)?;
            d.set_item("test", test)?;
        }
        TaskEntry::Invalid(t) => d.set_item("error", &t.message)?,
    }
    Ok(d)
}

/// A task from the dict `load` gives (or one written by hand: `train`, a list of
/// `{"input", "output"}`, and `test`, a list of `{"input"}`).
fn task_from(obj: &Bound<'_, PyAny>) -> PyResult<Task> {
    let get = |key: &str| -> PyResult<Option<Bound<'_, PyAny>>> {
        match obj.get_item(key) {
            Ok(v) if !v.is_none() => Ok(Some(v)),
            Ok(_) => Ok(None),
            Err(e) if e.is_instance_of::<pyo3::exceptions::PyKeyError>(obj.py()) => Ok(None),
            Err(e) => Err(e),
        }
    };
    let id: String = get("id")?.map(|v| v.extract()).transpose()?.unwrap_or_else(|| "task".to_string());
    if let Some(message) = get("error")? {
        return Err(error(message.extract::<String>()?));
    }
    let train_list = get("train")?.ok_or_else(|| error(format!("task {id}: no `train` pairs (a task is a dict with `train` and `test`, as batt.load gives)")))?;
    let mut train = Vec::new();
    for (i, pair) in train_list.try_iter()?.enumerate() {
        let pair = pair?;
        let at = |key: &str| -> PyResult<Grid> {
            let v = pair.get_item(key).map_err(|_| error(format!("task {id}: train pair {}: no `{key}`", i + 1)))?;
            grid_from(&v, &format!("task {id}: train pair {}: {key}", i + 1))
        };
        train.push(Pair { input: at("input")?, output: at("output")? });
    }
    if train.is_empty() {
        return Err(error(format!("task {id}: no train pairs")));
    }
    let mut test = Vec::new();
    if let Some(list) = get("test")? {
        for (i, case) in list.try_iter()?.enumerate() {
            let case = case?;
            let input = case.get_item("input").map_err(|_| error(format!("task {id}: test {}: no `input`", i + 1)))?;
            test.push(TestCase { input: grid_from(&input, &format!("task {id}: test {}: input", i + 1))?, output: None });
        }
    }
    Ok(Task { id, split: None, train, test })
}

/// `batt.load(path=None, split=None)`: the tasks of a data path in every layout `batt run
/// --data` reads (the embedded ARC-AGI-1 without a path), in data order, optionally only
/// one split ("train", "eval"). Each task is a dict: `id`, `split`, `train` (a list of
/// `{"input", "output"}` numpy arrays) and `test` (`{"input", "output"}`, output None when
/// unknown); a task that failed validation is `{"id", "split", "error"}` with the
/// loader's message.
#[pyfunction]
#[pyo3(signature = (path=None, split=None))]
fn load<'py>(py: Python<'py>, path: Option<PathBuf>, split: Option<String>) -> PyResult<Bound<'py, PyList>> {
    let dataset = py.detach(|| Dataset::open(path.as_deref())).map_err(chain)?;
    let wanted = match split.as_deref() {
        None | Some("all") => None,
        Some(s) => Some(
            dataset
                .splits()
                .into_iter()
                .chain([crate::data::task::Split::Train, crate::data::task::Split::Eval, crate::data::task::Split::Test])
                .find(|x| x.name() == s)
                .ok_or_else(|| error(format!("unknown split {s:?} (train, eval, test, all)")))?,
        ),
    };
    let list = PyList::empty(py);
    for e in &dataset.entries {
        if wanted.is_none() || e.split() == wanted {
            list.append(task_dict(py, e)?)?;
        }
    }
    Ok(list)
}

// ---- the engine ----

fn backend_of(name: &str) -> PyResult<Backend> {
    Backend::parse(name).ok_or_else(|| error(format!("unknown backend {name:?} (auto, gpu, cpu)")))
}

fn programs_from(programs: &Bound<'_, PyAny>) -> PyResult<Vec<Program>> {
    if let Ok(text) = programs.extract::<String>() {
        return Ok(vec![Program::parse(&text).map_err(error)?]);
    }
    let mut out = Vec::new();
    for p in programs.try_iter().map_err(|_| error("programs must be a list of program texts"))? {
        let p = p?;
        let text: String = p.extract().map_err(|_| error(format!("a program is its text, such as \"rot90 | tile(2x2)\", got {}", type_name(&p))))?;
        out.push(Program::parse(&text).map_err(error)?);
    }
    Ok(out)
}

/// `batt.Engine(backend="auto", device=None, cache=True)`: the batch engine, its device
/// opened at once (under "gpu" a machine without a Vulkan device fails here, as
/// `batt run --backend gpu` does).
#[pyclass(module = "batt", name = "Engine")]
struct PyEngine {
    engine: Mutex<Engine>,
    /// The Rust side's time of the last `search` and `evaluate` (the engine call alone).
    last_search: Mutex<f64>,
    last_evaluate: Mutex<f64>,
}

impl PyEngine {
    fn engine(&self) -> std::sync::MutexGuard<'_, Engine> {
        self.engine.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[pymethods]
impl PyEngine {
    #[new]
    #[pyo3(signature = (backend="auto", device=None, cache=true))]
    fn new(py: Python<'_>, backend: &str, device: Option<String>, cache: bool) -> PyResult<PyEngine> {
        let mut engine = Engine::new(backend_of(backend)?).with_device(device);
        engine.use_cache = cache;
        let engine = py.detach(move || engine.start().map(|_| engine)).map_err(chain)?;
        Ok(PyEngine { engine: Mutex::new(engine), last_search: Mutex::new(0.0), last_evaluate: Mutex::new(0.0) })
    }

    /// Where batches run: `vulkan: <device>` or `cpu (rayon, N threads)`, as the engine line says.
    #[getter]
    fn backend(&self) -> String {
        self.engine().backend_name()
    }

    /// The engine's counters and times so far, as one line (`b:stats().line` in Lua).
    #[getter]
    fn stats(&self) -> String {
        self.engine().stats.line()
    }

    /// Seconds the last `search` spent in the Rust engine (the rest of its call is Python's).
    #[getter]
    fn last_search_seconds(&self) -> f64 {
        *self.last_search.lock().unwrap()
    }

    /// Seconds the last `evaluate` spent in the Rust engine.
    #[getter]
    fn last_evaluate_seconds(&self) -> f64 {
        *self.last_evaluate.lock().unwrap()
    }

    /// Searches programs reproducing the task's train pairs (`task:search` in Lua): `ops`
    /// the one-step programs each level may append (default: the task's alphabet, as
    /// `task:alphabet()`), `depth` program length at most, `keep` how many to return.
    /// Returns the programs best first, each a dict: `name`, `program`, `exact`,
    /// `pairs_exact`, `pairs`, `cell_accuracy`, `test_outputs` (numpy arrays); overlays
    /// (with `pieces`) follow with `program` None.
    #[pyo3(signature = (task, ops=None, depth=None, keep=None, max_states=None, pieces=None, backend=None))]
    #[allow(clippy::too_many_arguments)]
    fn search<'py>(
        &self,
        py: Python<'py>,
        task: &Bound<'py, PyAny>,
        ops: Option<Vec<String>>,
        depth: Option<usize>,
        keep: Option<usize>,
        max_states: Option<usize>,
        pieces: Option<usize>,
        backend: Option<String>,
    ) -> PyResult<Bound<'py, PyList>> {
        let task = task_from(task)?;
        let d = SearchLimits::DEFAULT;
        let limits = SearchLimits {
            depth: depth.unwrap_or(d.depth),
            keep: keep.unwrap_or(d.keep),
            max_states: max_states.unwrap_or(d.max_states),
            pieces: pieces.unwrap_or(d.pieces),
            ..d
        };
        if !(1..=MAX_SEARCH_DEPTH).contains(&limits.depth) {
            return Err(error(format!("depth must be 1 to {MAX_SEARCH_DEPTH}, got {}", limits.depth)));
        }
        let steps: Vec<Step> = match ops {
            Some(ops) => ops
                .iter()
                .map(|text| {
                    let p = Program::parse(text).map_err(error)?;
                    match p.steps() {
                        [step] => Ok(*step),
                        _ => Err(error(format!("a search alphabet's ops are one step each, got `{p}`"))),
                    }
                })
                .collect::<PyResult<_>>()?,
            None => {
                let pairs: Vec<(&Grid, &Grid)> = task.train.iter().map(|p| (&p.input, &p.output)).collect();
                alphabet(&pairs, &AlphabetOptions::default())
            }
        };
        let backend = backend.as_deref().map(backend_of).transpose()?;
        let inputs: Vec<Grid> = task.train.iter().map(|p| p.input.clone()).collect();
        let outputs: Vec<Grid> = task.train.iter().map(|p| p.output.clone()).collect();
        let tests: Vec<Grid> = task.test.iter().map(|c| c.input.clone()).collect();
        let options = SearchOptions::new(steps, &limits, backend);
        let (result, seconds) = py
            .detach(|| {
                let started = Instant::now();
                let r = crate::engine::search::enumerate(&mut self.engine(), &inputs, &outputs, &tests, &options);
                r.map(|r| (r, started.elapsed().as_secs_f64()))
            })
            .map_err(chain)?;
        *self.last_search.lock().unwrap() = seconds;
        found_list(py, &result)
    }

    /// Every program (texts in batt's program language, as `batt ops` documents it) on every
    /// grid, in one batch: returns an `Evaluation` of (programs × grids) arrays, scored
    /// against `expected[i]` for grid i when given, with the output grids when `outputs`.
    #[pyo3(signature = (programs, grids, expected=None, outputs=true, backend=None))]
    fn evaluate(
        &self,
        py: Python<'_>,
        programs: &Bound<'_, PyAny>,
        grids: &Bound<'_, PyAny>,
        expected: Option<&Bound<'_, PyAny>>,
        outputs: bool,
        backend: Option<String>,
    ) -> PyResult<Evaluation> {
        let programs = programs_from(programs)?;
        let grids = grids_from(grids, "grids")?;
        let expected = expected.map(|e| grids_from(e, "expected")).transpose()?;
        if let Some(e) = &expected {
            if e.len() != grids.len() {
                return Err(error(format!("expected has {} grids, grids has {}: one expected grid per grid", e.len(), grids.len())));
            }
        }
        let backend = backend.as_deref().map(backend_of).transpose()?;
        let (results, seconds) = py
            .detach(|| {
                let started = Instant::now();
                let r = self.engine().evaluate_cross(&programs, &grids, expected.as_deref(), outputs, Some("python"), backend);
                r.map(|r| (r, started.elapsed().as_secs_f64()))
            })
            .map_err(chain)?;
        *self.last_evaluate.lock().unwrap() = seconds;
        Evaluation::new(py, results, programs.len(), grids.len(), expected.as_deref())
    }

    /// The same batch as `evaluate`, through the Rust API alone (for
    /// `examples/python/bench_evaluate.py`): programs and grids converted once, then
    /// `repeats` calls of `Engine::evaluate_cross` on this engine, each timed in Rust
    /// (its result dropped after the clock stops); returns the seconds of each call.
    #[pyo3(signature = (programs, grids, expected=None, outputs=true, repeats=1))]
    fn _bench_evaluate(&self, py: Python<'_>, programs: &Bound<'_, PyAny>, grids: &Bound<'_, PyAny>, expected: Option<&Bound<'_, PyAny>>, outputs: bool, repeats: usize) -> PyResult<Vec<f64>> {
        let programs = programs_from(programs)?;
        let grids = grids_from(grids, "grids")?;
        let expected = expected.map(|e| grids_from(e, "expected")).transpose()?;
        py.detach(|| {
            let mut engine = self.engine();
            let mut times = Vec::new();
            for _ in 0..repeats {
                let started = Instant::now();
                let r = engine.evaluate_cross(&programs, &grids, expected.as_deref(), outputs, Some("python"), None)?;
                times.push(started.elapsed().as_secs_f64());
                drop(std::hint::black_box(r));
            }
            Ok(times)
        })
        .map_err(chain)
    }
}

fn found_list<'py>(py: Python<'py>, result: &SearchResult) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for f in &result.found {
        let d = PyDict::new(py);
        let text = f.program.to_string();
        d.set_item("name", &text)?;
        d.set_item("program", &text)?;
        d.set_item("exact", f.exact())?;
        d.set_item("pairs_exact", f.pairs_exact)?;
        d.set_item("pairs", f.pairs)?;
        d.set_item("cell_accuracy", f.cell_accuracy)?;
        d.set_item("test_outputs", f.test_outputs.iter().map(|g| grid_array(py, g)).collect::<Vec<_>>())?;
        list.append(d)?;
    }
    for o in &result.overlays {
        let d = PyDict::new(py);
        d.set_item("name", o.name())?;
        d.set_item("program", py.None())?;
        d.set_item("exact", o.pairs > 0 && o.pairs_exact == o.pairs)?;
        d.set_item("pairs_exact", o.pairs_exact)?;
        d.set_item("pairs", o.pairs)?;
        d.set_item("cell_accuracy", o.cell_accuracy)?;
        d.set_item("test_outputs", o.test_outputs.iter().map(|g| grid_array(py, g)).collect::<Vec<_>>())?;
        list.append(d)?;
    }
    Ok(list)
}

/// What `Engine.evaluate` gave: (programs × grids) numpy arrays `produced`, `exact`,
/// `shape_matched`, `cells_matched`, `accuracy` (cells matched over the expected grid's
/// cells, 0 for another shape), `rows`, `cols`; `output(p, i)` the output grid of
/// program p on grid i (None without one).
#[pyclass(module = "batt", name = "Evaluation", frozen)]
struct Evaluation {
    results: Vec<ItemResult>,
    grids: usize,
    #[pyo3(get)]
    produced: Py<PyArray2<bool>>,
    #[pyo3(get)]
    exact: Py<PyArray2<bool>>,
    #[pyo3(get)]
    shape_matched: Py<PyArray2<bool>>,
    #[pyo3(get)]
    cells_matched: Py<PyArray2<u32>>,
    #[pyo3(get)]
    accuracy: Py<PyArray2<f64>>,
    #[pyo3(get)]
    rows: Py<PyArray2<u8>>,
    #[pyo3(get)]
    cols: Py<PyArray2<u8>>,
}

impl Evaluation {
    fn new(py: Python<'_>, results: Vec<ItemResult>, programs: usize, grids: usize, expected: Option<&[Grid]>) -> PyResult<Evaluation> {
        let n = results.len();
        let (mut produced, mut exact, mut shape, mut cells, mut accuracy, mut rows, mut cols) =
            (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
        let sizes: Vec<f64> = expected.map_or_else(|| vec![0.0; grids], |e| e.iter().map(|g| (g.rows() * g.cols()) as f64).collect());
        for (k, r) in results.iter().enumerate() {
            produced.push(r.produced);
            exact.push(r.exact);
            shape.push(r.shape_matched);
            cells.push(r.cells_matched);
            let size = sizes[k % grids.max(1)];
            accuracy.push(if r.shape_matched && size > 0.0 { r.cells_matched as f64 / size } else { 0.0 });
            rows.push(r.rows);
            cols.push(r.cols);
        }
        fn array<T: numpy::Element>(py: Python<'_>, v: Vec<T>, shape: (usize, usize)) -> Py<PyArray2<T>> {
            Array2::from_shape_vec(shape, v).expect("one result per item").into_pyarray(py).unbind()
        }
        let shape2 = (programs, grids);
        Ok(Evaluation {
            grids,
            produced: array(py, produced, shape2),
            exact: array(py, exact, shape2),
            shape_matched: array(py, shape, shape2),
            cells_matched: array(py, cells, shape2),
            accuracy: array(py, accuracy, shape2),
            rows: array(py, rows, shape2),
            cols: array(py, cols, shape2),
            results,
        })
    }

    fn at(&self, program: usize, grid: usize) -> PyResult<&ItemResult> {
        let programs = self.results.len() / self.grids.max(1);
        if program >= programs || grid >= self.grids {
            return Err(pyo3::exceptions::PyIndexError::new_err(format!("({program}, {grid}) is outside {programs} programs x {} grids", self.grids)));
        }
        Ok(&self.results[program * self.grids + grid])
    }
}

#[pymethods]
impl Evaluation {
    /// The output of program `program` on grid `grid` as a numpy array; None when the
    /// program gives no output there. Raises BattError when outputs were not asked for.
    fn output<'py>(&self, py: Python<'py>, program: usize, grid: usize) -> PyResult<Option<Bound<'py, PyArray2<u8>>>> {
        let r = self.at(program, grid)?;
        match (&r.output, r.produced) {
            (Some(g), _) => Ok(Some(grid_array(py, g))),
            (None, false) => Ok(None),
            (None, true) => Err(error("this evaluation did not keep its outputs (evaluate(..., outputs=True) keeps them)")),
        }
    }

    /// The shape of the arrays: (programs, grids).
    #[getter]
    fn shape(&self) -> (usize, usize) {
        (self.results.len() / self.grids.max(1), self.grids)
    }

    fn __len__(&self) -> usize {
        self.results.len()
    }

    fn __repr__(&self) -> String {
        let (p, g) = self.shape();
        let exact = self.results.iter().filter(|r| r.exact).count();
        format!("<batt.Evaluation {p} programs x {g} grids, {exact} exact>")
    }
}

// ---- run ----

/// `batt.run(script=None, data=None, split=None, jobs=None, ...)`: `batt run` with these
/// flags (None: the CLI's default), returning its results.json as a dict. Output goes where
/// the CLI puts it (`out`, else a new `runs/<date>-<time>-<name>/` under the working folder).
/// A run the script stopped early raises BattError with the CLI's message; the exception's
/// `results` holds the results.json written.
#[pyfunction]
#[pyo3(signature = (script=None, data=None, split=None, jobs=None, count=None, start=None, ids=None, backend=None, device=None, out=None, name=None, timeout=None, time_budget=None, quiet=false, report=false, args=None))]
#[allow(clippy::too_many_arguments)]
fn run<'py>(
    py: Python<'py>,
    script: Option<PathBuf>,
    data: Option<PathBuf>,
    split: Option<String>,
    jobs: Option<usize>,
    count: Option<usize>,
    start: Option<usize>,
    ids: Option<Vec<String>>,
    backend: Option<String>,
    device: Option<String>,
    out: Option<PathBuf>,
    name: Option<String>,
    timeout: Option<f64>,
    time_budget: Option<String>,
    quiet: bool,
    report: bool,
    args: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyAny>> {
    let mut argv: Vec<std::ffi::OsString> = vec!["batt".into(), "run".into()];
    if let Some(s) = script {
        argv.push(s.into());
    }
    let mut flag = |name: &str, value: Option<std::ffi::OsString>| {
        if let Some(v) = value {
            argv.push(name.into());
            argv.push(v);
        }
    };
    flag("--data", data.map(Into::into));
    flag("--split", split.map(Into::into));
    flag("--jobs", jobs.map(|j| j.to_string().into()));
    flag("--count", count.map(|c| c.to_string().into()));
    flag("--start", start.map(|s| s.to_string().into()));
    flag("--backend", backend.map(Into::into));
    flag("--device", device.map(Into::into));
    flag("--out", out.map(Into::into));
    flag("--name", name.map(Into::into));
    flag("--timeout", timeout.map(|t| t.to_string().into()));
    flag("--time-budget", time_budget.map(Into::into));
    for id in ids.unwrap_or_default() {
        argv.push("--id".into());
        argv.push(id.into());
    }
    if quiet {
        argv.push("--quiet".into());
    }
    if report {
        argv.push("--report".into());
    }
    if let Some(args) = args {
        argv.push("--".into());
        argv.extend(args.into_iter().map(Into::into));
    }
    let cli = <crate::cli::Cli as clap::Parser>::try_parse_from(argv).map_err(|e| error(clap_message(&e)))?;
    let crate::cli::Command::Run(run_args) = cli.command else { unreachable!("the arguments name `run`") };
    let end = py.detach(|| crate::commands::run_once(&run_args, false)).map_err(chain)?;
    let path = end.out.join("results.json");
    let text = std::fs::read_to_string(&path).map_err(|e| error(format!("cannot read {}: {e}", path.display())))?;
    let results = py.import("json")?.call_method1("loads", (text,))?;
    match end.message {
        Some(message) if end.code != 0 => {
            let err = BattError::new_err(message);
            err.value(py).setattr("results", &results)?;
            Err(err)
        }
        _ => Ok(results),
    }
}

/// A command-line error as `batt run` prints it, without its `error: ` head and its
/// "For more information, try '--help'." tail.
fn clap_message(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let text = text.trim_end().trim_start_matches("error: ");
    let text = text.strip_suffix("For more information, try '--help'.").unwrap_or(text);
    text.trim_end().to_string()
}

// ---- Rust-side twins for the benchmark ----

/// `count` random valid programs of `steps` steps as texts, the ones `batt bench` times
/// (all ops equally likely, parameters from their whole ranges; the same for a seed).
#[pyfunction]
#[pyo3(signature = (count, steps, seed=1))]
fn random_programs(count: usize, steps: usize, seed: u64) -> PyResult<Vec<String>> {
    if !(1..=crate::engine::program::MAX_STEPS).contains(&steps) {
        return Err(error(format!("a program has 1 to {} steps, got {steps}", crate::engine::program::MAX_STEPS)));
    }
    Ok(crate::bench::random_programs(count, steps, seed).iter().map(|p| p.to_string()).collect())
}

/// `batt.alphabet(task, extended=False)`: the task's search alphabet, the one-step
/// programs (as texts) a search appends by default (`task:alphabet()` in Lua), from the op
/// table's rules and the task's train pairs.
#[pyfunction]
#[pyo3(signature = (task, extended=false))]
fn alphabet_of(task: &Bound<'_, PyAny>, extended: bool) -> PyResult<Vec<String>> {
    let task = task_from(task)?;
    let pairs: Vec<(&Grid, &Grid)> = task.train.iter().map(|p| (&p.input, &p.output)).collect();
    let options = AlphabetOptions { extended, ..AlphabetOptions::default() };
    Ok(alphabet(&pairs, &options).iter().map(Step::to_string).collect())
}

/// The op table as `batt ops` prints it: one dict per op (`name`, `usage`, `family`, `meaning`).
#[pyfunction]
fn ops<'py>(py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for op in crate::engine::program::Op::ALL {
        let spec = op.spec();
        let d = PyDict::new(py);
        d.set_item("name", spec.name)?;
        d.set_item("usage", crate::engine::program::usage(spec))?;
        d.set_item("family", spec.family)?;
        d.set_item("meaning", spec.meaning)?;
        list.append(d)?;
    }
    Ok(list)
}

#[pymodule]
fn batt(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("BattError", m.py().get_type::<BattError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<PyEngine>()?;
    m.add_class::<Evaluation>()?;
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(ops, m)?)?;
    m.add("alphabet", wrap_pyfunction!(alphabet_of, m)?)?;
    m.add_function(wrap_pyfunction!(random_programs, m)?)?;
    Ok(())
}
