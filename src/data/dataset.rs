//! Loading ARC data from any of the layouts people keep it in, chosen from what the path
//! holds: the combined corpus file (`{"train": {id: task}, "eval": {id: task}}`, as the
//! embedded ARC-AGI-1), the ARC Prize / Kaggle `*_challenges.json` (+ `*_solutions.json`),
//! a directory of `<id>.json` task files (with `training/` and `evaluation/` folders), or
//! one task file. Every task is validated; a malformed one becomes an `InvalidTask` whose
//! message names the file, task id, pair and reason, and the other tasks load as usual.
//! Only a data file that cannot be read or parsed at all is an error for the whole load.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde_json::{Map, Value};

use crate::grid::Grid;
use crate::data::task::{Pair, Split, Task, TestCase};

/// The ARC-AGI-1 corpus shipped inside the binary (see data/README.md for its licence).
pub const EMBEDDED_ARC_AGI_1: &[u8] = include_bytes!("../../data/arc-agi-1.json");
/// How the embedded corpus is named in messages.
pub const EMBEDDED_NAME: &str = "arc-agi-1.json (embedded)";

/// A task that failed validation, kept in order so selections by position stay stable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidTask {
    pub id: String,
    pub split: Option<Split>,
    /// The complete message: "FILE: task ID: PAIR: reason".
    pub message: String,
    /// How many test inputs the task declares, when that much could be read.
    pub test_count: Option<usize>,
    /// How many of its test outputs the data holds (in the task or its solutions file).
    pub outputs_known: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskEntry {
    Valid(Task),
    Invalid(InvalidTask),
}

impl TaskEntry {
    pub fn id(&self) -> &str {
        match self {
            TaskEntry::Valid(t) => &t.id,
            TaskEntry::Invalid(t) => &t.id,
        }
    }
    pub fn split(&self) -> Option<Split> {
        match self {
            TaskEntry::Valid(t) => t.split,
            TaskEntry::Invalid(t) => t.split,
        }
    }
}

/// Where the data came from, for messages and for watching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataSource {
    Embedded,
    Path(PathBuf),
}

impl DataSource {
    pub fn describe(&self) -> String {
        match self {
            DataSource::Embedded => EMBEDDED_NAME.to_string(),
            DataSource::Path(p) => p.display().to_string(),
        }
    }
}

/// Every task of a data source, in file order (directories: sorted by path).
#[derive(Debug, Clone)]
pub struct Dataset {
    pub source: DataSource,
    pub entries: Vec<TaskEntry>,
}

impl Dataset {
    /// The embedded ARC-AGI-1 corpus.
    pub fn embedded() -> Result<Dataset> {
        let value: Value = serde_json::from_slice(EMBEDDED_ARC_AGI_1).context("embedded corpus is not valid JSON")?;
        let entries = load_corpus(EMBEDDED_NAME, &value).context("embedded corpus has an unexpected layout")?;
        Ok(Dataset { source: DataSource::Embedded, entries })
    }

    /// Loads `path`, choosing the layout from what it holds.
    pub fn load(path: &Path) -> Result<Dataset> {
        let entries = if path.is_dir() {
            load_directory(path)?
        } else {
            let bytes = fs::read(path).with_context(|| format!("cannot read data file {}", path.display()))?;
            entries_from_bytes(path, &bytes)?
        };
        Ok(Dataset { source: DataSource::Path(path.to_path_buf()), entries })
    }

    /// Either the file at `path` or the embedded corpus.
    pub fn open(path: Option<&Path>) -> Result<Dataset> {
        match path {
            Some(p) => Dataset::load(p),
            None => Dataset::embedded(),
        }
    }

    /// The distinct splits present, in order train, eval, test.
    pub fn splits(&self) -> Vec<Split> {
        let mut s: Vec<Split> = self.entries.iter().filter_map(|e| e.split()).collect();
        s.sort();
        s.dedup();
        s
    }

    pub fn find(&self, id: &str) -> Option<&TaskEntry> {
        self.entries.iter().find(|e| e.id() == id)
    }
}

/// The tasks of one data file's bytes, as `Dataset::load` reads a file at `path` (a task, a
/// corpus or a challenges file, with its solutions file when one lies beside `path`).
pub fn entries_from_bytes(path: &Path, bytes: &[u8]) -> Result<Vec<TaskEntry>> {
    let value: Value = serde_json::from_slice(bytes).with_context(|| format!("{} is not valid JSON", path.display()))?;
    load_file(path, &value)
}

/// One task file of a directory layout from its bytes: the task, or an `InvalidTask`
/// naming the file and what is wrong (unreadable JSON included).
pub fn task_file_entry(path: &Path, split: Option<Split>, bytes: &[u8]) -> TaskEntry {
    let file = path.display().to_string();
    let id = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    match serde_json::from_slice::<Value>(bytes) {
        Ok(value) => parse_task(&file, &id, split, &value, None),
        Err(e) => invalid_file(&file, &id, split, &format!("invalid JSON: {e}")),
    }
}

fn invalid_file(file: &str, id: &str, split: Option<Split>, reason: &str) -> TaskEntry {
    TaskEntry::Invalid(InvalidTask { id: id.to_string(), split, message: format!("{file}: task {id}: {reason}"), test_count: None, outputs_known: 0 })
}

fn read_json(path: &Path) -> Result<Value> {
    let text = fs::read(path).with_context(|| format!("cannot read data file {}", path.display()))?;
    serde_json::from_slice(&text).with_context(|| format!("{} is not valid JSON", path.display()))
}

fn load_file(path: &Path, value: &Value) -> Result<Vec<TaskEntry>> {
    let file = path.display().to_string();
    let Some(obj) = value.as_object() else {
        bail!("{file}: expected a JSON object (a task, a corpus or a challenges file), found {}", kind_of(value));
    };
    // A single task: {"train": [...], "test": [...]}; not a challenges map that merely has
    // a task named "train" (of the wrong type) beside tasks that are objects
    let holds_tasks = obj.values().any(|v| v.get("train").is_some());
    if obj.get("train").is_some_and(Value::is_array) && !holds_tasks {
        let id = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        return Ok(vec![parse_task(&file, &id, None, value, None)]);
    }
    // The combined corpus: {"train": {id: task}, "eval": {id: task}}
    if obj.values().any(Value::is_object) && obj.keys().all(|k| split_from_corpus_key(k).is_some()) {
        return load_corpus(&file, value);
    }
    // Otherwise a challenges map {id: task}, ARC Prize / Kaggle style.
    let name = path.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let split = split_from_name(&name);
    let solutions = match solutions_path(path) {
        Some(sp) if sp.exists() => Some((sp.display().to_string(), read_json(&sp)?)),
        _ => None,
    };
    let solutions_map = match &solutions {
        Some((sfile, v)) => Some((
            sfile.as_str(),
            v.as_object().with_context(|| format!("{sfile}: expected an object of task id -> list of grids"))?,
        )),
        None => None,
    };
    Ok(obj
        .iter()
        .map(|(id, task)| {
            let solution = solutions_map.map(|(sfile, m)| (sfile, m.get(id)));
            parse_task(&file, id, split, task, solution)
        })
        .collect())
}

fn split_from_corpus_key(key: &str) -> Option<Split> {
    match key {
        "train" | "training" => Some(Split::Train),
        "eval" | "evaluation" => Some(Split::Eval),
        "test" => Some(Split::Test),
        _ => None,
    }
}

fn split_from_name(name: &str) -> Option<Split> {
    if name.contains("training") {
        Some(Split::Train)
    } else if name.contains("evaluation") {
        Some(Split::Eval)
    } else if name.contains("test") {
        Some(Split::Test)
    } else {
        None
    }
}

/// `x_challenges.json` → `x_solutions.json` beside it.
fn solutions_path(challenges: &Path) -> Option<PathBuf> {
    let name = challenges.file_name()?.to_str()?;
    let stem = name.strip_suffix("_challenges.json")?;
    Some(challenges.with_file_name(format!("{stem}_solutions.json")))
}

fn load_corpus(file: &str, value: &Value) -> Result<Vec<TaskEntry>> {
    let obj = value.as_object().with_context(|| format!("{file}: expected a JSON object"))?;
    let mut entries = Vec::new();
    for (key, tasks) in obj {
        let split = split_from_corpus_key(key).with_context(|| format!("{file}: unknown split {key:?}"))?;
        let tasks = tasks.as_object().with_context(|| format!("{file}: split {key:?} must be an object of task id -> task"))?;
        for (id, task) in tasks {
            entries.push(parse_task(file, id, Some(split), task, None));
        }
    }
    Ok(entries)
}

fn load_directory(dir: &Path) -> Result<Vec<TaskEntry>> {
    let mut files = Vec::new();
    collect_json_files(dir, &mut files)?;
    files.sort();
    if files.is_empty() {
        bail!("{}: no .json task files in this directory", dir.display());
    }
    let mut entries = Vec::new();
    for path in files {
        let split = path
            .strip_prefix(dir)
            .ok()
            .and_then(|rel| rel.components().next())
            .and_then(|first| split_from_corpus_key(&first.as_os_str().to_string_lossy()));
        let entry = match fs::read(&path) {
            Ok(bytes) => task_file_entry(&path, split, &bytes),
            Err(e) => {
                let id = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                invalid_file(&path.display().to_string(), &id, split, &e.to_string())
            }
        };
        entries.push(entry);
    }
    Ok(entries)
}

fn collect_json_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("cannot read directory {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect_json_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    Ok(())
}

/// Validates one task. `solution` is `Some((solutions file, outputs))` when a solutions file
/// exists; the outputs may be missing for this id.
fn parse_task(
    file: &str,
    id: &str,
    split: Option<Split>,
    value: &Value,
    solution: Option<(&str, Option<&Value>)>,
) -> TaskEntry {
    let test_count = value.get("test").and_then(Value::as_array).map(Vec::len);
    let outputs_known = match solution {
        Some((_, outputs)) => outputs.and_then(Value::as_array).map_or(0, Vec::len),
        None => value.get("test").and_then(Value::as_array).map_or(0, |cases| cases.iter().filter(|c| c.get("output").is_some()).count()),
    };
    match parse_task_inner(file, id, split, value, solution) {
        Ok(task) => TaskEntry::Valid(task),
        Err(message) => TaskEntry::Invalid(InvalidTask { id: id.to_string(), split, message, test_count, outputs_known }),
    }
}

fn parse_task_inner(
    file: &str,
    id: &str,
    split: Option<Split>,
    value: &Value,
    solution: Option<(&str, Option<&Value>)>,
) -> Result<Task, String> {
    let here = |what: &str| format!("{file}: task {id}: {what}");
    let obj = value.as_object().ok_or_else(|| here(&format!("expected an object, found {}", kind_of(value))))?;
    let train = list(obj, "train").map_err(|m| here(&m))?;
    if train.is_empty() {
        return Err(here("no train pairs"));
    }
    let test = list(obj, "test").map_err(|m| here(&m))?;
    if test.is_empty() {
        return Err(here("no test inputs"));
    }
    let mut train_pairs = Vec::with_capacity(train.len());
    for (i, pair) in train.iter().enumerate() {
        let at = |what: &str| here(&format!("train pair {}: {what}", i + 1));
        let input = pair_grid(pair, "input").map_err(|m| at(&m))?;
        let output = pair_grid(pair, "output").map_err(|m| at(&m))?;
        train_pairs.push(Pair { input, output });
    }
    let outputs: Option<Vec<Value>> = match solution {
        None => None,
        Some((_, None)) => None,
        Some((sfile, Some(v))) => {
            let arr = v.as_array().ok_or_else(|| format!("{sfile}: task {id}: solutions must be a list of grids"))?;
            if arr.len() != test.len() {
                return Err(format!(
                    "{sfile}: task {id}: {} solution(s) for {} test input(s)",
                    arr.len(),
                    test.len()
                ));
            }
            Some(arr.clone())
        }
    };
    let mut cases = Vec::with_capacity(test.len());
    for (i, pair) in test.iter().enumerate() {
        let at = |what: &str| here(&format!("test pair {}: {what}", i + 1));
        let input = pair_grid(pair, "input").map_err(|m| at(&m))?;
        let output = match &outputs {
            Some(outs) => Some(grid_from_json(&outs[i]).map_err(|m| {
                format!("{}: task {id}: solution {}: {m}", solution.map(|s| s.0).unwrap_or(file), i + 1)
            })?),
            None => match pair.get("output") {
                Some(v) => Some(grid_from_json(v).map_err(|m| at(&format!("output: {m}")))?),
                None => None,
            },
        };
        cases.push(TestCase { input, output });
    }
    Ok(Task { id: id.to_string(), split, train: train_pairs, test: cases })
}

fn list<'a>(obj: &'a Map<String, Value>, key: &str) -> Result<&'a Vec<Value>, String> {
    match obj.get(key) {
        Some(Value::Array(a)) => Ok(a),
        Some(other) => Err(format!("\"{key}\" must be a list of pairs, found {}", kind_of(other))),
        None => Err(format!("missing \"{key}\"")),
    }
}

fn pair_grid(pair: &Value, key: &str) -> Result<Grid, String> {
    let v = pair.get(key).ok_or_else(|| format!("missing \"{key}\""))?;
    grid_from_json(v).map_err(|m| format!("{key}: {m}"))
}

/// A grid from its JSON form, with every way it can be wrong spelled out.
pub fn grid_from_json(v: &Value) -> Result<Grid, String> {
    let rows = v.as_array().ok_or_else(|| format!("a grid must be a list of rows, found {}", kind_of(v)))?;
    let mut parsed: Vec<Vec<u8>> = Vec::with_capacity(rows.len());
    for (r, row) in rows.iter().enumerate() {
        let cells = row.as_array().ok_or_else(|| format!("row {} must be a list of colours, found {}", r + 1, kind_of(row)))?;
        let mut out = Vec::with_capacity(cells.len());
        for (c, cell) in cells.iter().enumerate() {
            match cell.as_u64() {
                Some(n) if n <= 9 => out.push(n as u8),
                _ => {
                    return Err(format!(
                        "cell (row {}, column {}) is {cell}; colours must be integers 0..9",
                        r + 1,
                        c + 1
                    ))
                }
            }
        }
        parsed.push(out);
    }
    Grid::from_rows(&parsed).map_err(|e| e.to_string())
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
