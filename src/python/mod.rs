//! The `batt` Python module (cargo feature `python`, built into a wheel by maturin from
//! `pyproject.toml`): the same crate seen from Python, no second implementation.
//! `load` reads tasks as `batt run --data` does (grids as numpy arrays), `Engine` wraps the
//! batch engine (`search` on one task, `evaluate` of many programs on many grids in one
//! batch), `run` is `batt run` returning its results.json; every error is a
//! `batt.BattError` with the message the CLI prints. `Engine._bench_evaluate` times the
//! same batch through the Rust API alone, for `examples/python/bench_evaluate.py`.
//! docs/python.md documents it. Here: the module, its errors, `load`, `run` and the op
//! helpers; `convert` turns grids, tasks and programs between Python and Rust; `engine`
//! is `Engine` and `Evaluation`.


mod convert;
mod engine;

use std::path::PathBuf;

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::data::dataset::Dataset;
use crate::data::task::Split;
use crate::engine::program::Step;
use crate::engine::search::alphabet::{alphabet, AlphabetOptions};
use crate::grid::Grid;
use convert::{task_dict, task_from};

create_exception!(batt, BattError, PyException, "An error from batt, with the message the batt command line prints.");

pub(crate) fn error(message: impl std::fmt::Display) -> PyErr {
    BattError::new_err(message.to_string())
}

/// An anyhow error as the CLI prints it after `error: ` (the whole chain).
pub(crate) fn chain(e: anyhow::Error) -> PyErr {
    BattError::new_err(format!("{e:#}"))
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
        Some("train") => Some(Split::Train),
        Some("eval") => Some(Split::Eval),
        Some("test") => Some(Split::Test),
        Some(other) => return Err(error(format!("unknown split {other:?} (train, eval, test, all)"))),
    };
    let list = PyList::empty(py);
    for e in &dataset.entries {
        if wanted.is_none() || e.split() == wanted {
            list.append(task_dict(py, e)?)?;
        }
    }
    Ok(list)
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
            // the CLI's message after its `error: ` head, as every BattError
            let err = BattError::new_err(message.strip_prefix("error: ").unwrap_or(&message).to_string());
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

// ---- helpers ----

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
    m.add_class::<engine::PyEngine>()?;
    m.add_class::<engine::Evaluation>()?;
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(ops, m)?)?;
    m.add("alphabet", wrap_pyfunction!(alphabet_of, m)?)?;
    m.add_function(wrap_pyfunction!(random_programs, m)?)?;
    Ok(())
}

