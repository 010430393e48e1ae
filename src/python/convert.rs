//! Values between Python and Rust for the `batt` module: grids (2-D numpy arrays or lists of
//! lists, checked with the loader's messages, and back as `uint8` arrays), tasks (the dicts
//! `batt.load` gives and `Engine.search` takes), program texts and backend names.

use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyArray2, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use super::error;
use crate::data::dataset::TaskEntry;
use crate::data::task::{Pair, Task, TestCase};
use crate::engine::program::Program;
use crate::engine::Backend;
use crate::grid::{Grid, MAX_SIDE};

// ---- grids ----

/// A grid from a 2-D numpy array of integers or a list of lists, checked as the loader
/// checks grids in task files (the same messages); `what` names it in an error.
pub(super) fn grid_from(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Grid> {
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

pub(super) fn type_name(obj: &Bound<'_, PyAny>) -> String {
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

pub(super) fn grid_array<'py>(py: Python<'py>, g: &Grid) -> Bound<'py, PyArray2<u8>> {
    Array2::from_shape_vec((g.rows(), g.cols()), g.cells().to_vec()).expect("a grid's cells fill its shape").into_pyarray(py)
}

pub(super) fn grids_from(list: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<Grid>> {
    let mut grids = Vec::new();
    for (i, g) in list.try_iter().map_err(|_| error(format!("{what} must be a list of grids")))?.enumerate() {
        grids.push(grid_from(&g?, &format!("{what}[{i}]"))?);
    }
    Ok(grids)
}

// ---- tasks ----

pub(super) fn task_dict<'py>(py: Python<'py>, entry: &TaskEntry) -> PyResult<Bound<'py, PyDict>> {
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
pub(super) fn task_from(obj: &Bound<'_, PyAny>) -> PyResult<Task> {
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

pub(super) fn backend_of(name: &str) -> PyResult<Backend> {
    Backend::parse(name).ok_or_else(|| error(format!("unknown backend {name:?} (auto, gpu, cpu)")))
}

pub(super) fn programs_from(programs: &Bound<'_, PyAny>) -> PyResult<Vec<Program>> {
    use rayon::prelude::*;
    let texts: Vec<String> = if let Ok(text) = programs.extract::<String>() {
        vec![text]
    } else {
        let mut texts = Vec::new();
        for p in programs.try_iter().map_err(|_| error("programs must be a list of program texts"))? {
            let p = p?;
            texts.push(p.extract().map_err(|_| error(format!("a program is its text, such as \"rot90 | tile(2x2)\", got {}", type_name(&p))))?);
        }
        texts
    };
    // parsed on every core, without the GIL; the first text that fails is the error
    let parsed: Vec<Result<Program, String>> = programs.py().detach(|| texts.par_iter().map(|t| Program::parse(t).map_err(|e| e.to_string())).collect());
    parsed.into_iter().map(|p| p.map_err(error)).collect()
}
