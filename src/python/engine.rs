//! `batt.Engine` and `batt.Evaluation`: the batch engine from Python. `search` runs the
//! program search on one task, `evaluate` many programs on many grids in one batch (scores
//! as numpy arrays, outputs kept and made into arrays when asked for); both release the GIL
//! while the engine works and record the engine's own time of the call.

use std::sync::Mutex;
use std::time::Instant;

use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyArray2};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use super::convert::{backend_of, grid_array, grids_from, programs_from, task_from};
use super::{chain, error};
use crate::engine::program::{Program, Step};
use crate::engine::search::alphabet::{alphabet, AlphabetOptions};
use crate::engine::search::{SearchLimits, SearchOptions, SearchResult, MAX_SEARCH_DEPTH};
use crate::engine::{Engine, ItemResult};
use crate::grid::Grid;

/// `batt.Engine(backend="auto", device=None, cache=True)`: the batch engine, its device
/// opened at once (under "gpu" a machine without a Vulkan device fails here, as
/// `batt run --backend gpu` does).
#[pyclass(module = "batt", name = "Engine")]
pub(super) struct PyEngine {
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
    fn backend(&self, py: Python<'_>) -> String {
        // the engine may be busy in another thread's call: wait without the GIL
        py.detach(|| self.engine().backend_name())
    }

    /// The engine's counters and times so far, as one line (`b:stats().line` in Lua).
    #[getter]
    fn stats(&self, py: Python<'_>) -> String {
        py.detach(|| self.engine().stats.line())
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
        let given: Option<Vec<Step>> = match ops {
            Some(ops) => Some(
                ops.iter()
                    .map(|text| {
                        let p = Program::parse(text).map_err(error)?;
                        match p.steps() {
                            [step] => Ok(*step),
                            _ => Err(error(format!("a search alphabet's ops are one step each, got `{p}`"))),
                        }
                    })
                    .collect::<PyResult<_>>()?,
            ),
            None => None,
        };
        let backend = backend.as_deref().map(backend_of).transpose()?;
        let (result, seconds) = py
            .detach(|| {
                // the engine's part: the task's alphabet (when not given) and the search,
                // as `task:search` does them
                let started = Instant::now();
                let steps = given.unwrap_or_else(|| {
                    let pairs: Vec<(&Grid, &Grid)> = task.train.iter().map(|p| (&p.input, &p.output)).collect();
                    alphabet(&pairs, &AlphabetOptions::default())
                });
                let inputs: Vec<Grid> = task.train.iter().map(|p| p.input.clone()).collect();
                let outputs: Vec<Grid> = task.train.iter().map(|p| p.output.clone()).collect();
                let tests: Vec<Grid> = task.test.iter().map(|c| c.input.clone()).collect();
                let options = SearchOptions::new(steps, &limits, backend);
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
pub(super) struct Evaluation {
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
        use rayon::prelude::*;
        let sizes: Vec<f64> = expected.map_or_else(|| vec![0.0; grids], |e| e.iter().map(|g| (g.rows() * g.cols()) as f64).collect());
        // each score array filled on every core, without the GIL (a million items is a
        // large part of a call otherwise)
        fn column<T: Send>(results: &[ItemResult], f: impl Fn(usize, &ItemResult) -> T + Sync + Send) -> Vec<T> {
            results.par_iter().enumerate().map(|(k, r)| f(k, r)).collect()
        }
        let (produced, exact, shape, cells, accuracy, rows, cols) = py.detach(|| {
            (
                column(&results, |_, r| r.produced),
                column(&results, |_, r| r.exact),
                column(&results, |_, r| r.shape_matched),
                column(&results, |_, r| r.cells_matched),
                column(&results, |k, r| {
                    let size = sizes[k % grids.max(1)];
                    if r.shape_matched && size > 0.0 { r.cells_matched as f64 / size } else { 0.0 }
                }),
                column(&results, |_, r| r.rows),
                column(&results, |_, r| r.cols),
            )
        });
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

