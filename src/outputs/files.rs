//! The files a run leaves in `--out`: `submission.json` in the ARC Prize format (every
//! selected task, one entry per test input, `attempt_1` and `attempt_2` always present)
//! and `results.json` (summary, timing and per-task records; schema `RESULTS_SCHEMA`,
//! written with each grid row on one line, and read back with its schema checked). Every
//! file is written to a temporary file in the same folder and renamed over the target, so
//! a reader never sees half a file and a crash never destroys the previous one.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::grid::Grid;
use crate::run::record::TaskRecord;
use crate::data::selection::SelectionInfo;
use crate::outputs::summary::{Summary, Timing};

/// What stands in for a missing attempt: the smallest valid grid.
fn placeholder() -> Grid {
    Grid::filled(1, 1, 0).expect("1x1 is a valid grid")
}

/// `{task_id: [{"attempt_1": grid, "attempt_2": grid}, ...]}` in selection order.
pub fn submission_json(records: &[TaskRecord]) -> Value {
    submission_json_with(records, &|_, _| None)
}

/// What stands in for a missing attempt of a task's test input `i`: `fallback(id, i)`
/// (under `--time-budget`, the test input itself), else the placeholder.
pub type Fallback<'a> = &'a dyn Fn(&str, usize) -> Option<Grid>;

/// `submission_json` with `fallback` for missing attempts.
pub fn submission_json_with(records: &[TaskRecord], fallback: Fallback) -> Value {
    let mut out = Map::new();
    for r in records {
        let entries: Vec<Value> = (0..r.test_count.max(1))
            .map(|i| {
                let p = r.predictions.get(i);
                let attempt = |k: usize| p.and_then(|p| p.attempts.get(k)).cloned().or_else(|| fallback(&r.id, i)).unwrap_or_else(placeholder);
                json!({ "attempt_1": attempt(0), "attempt_2": attempt(1) })
            })
            .collect();
        out.insert(r.id.clone(), Value::Array(entries));
    }
    Value::Object(out)
}

/// The version of results.json's layout this batt writes and reads. Raise it whenever a
/// field changes meaning or goes away (adding an optional field does not need it).
pub const RESULTS_SCHEMA: u32 = 1;

/// results.json: everything a run (or a merge of shards) knows, in a form that reads back
/// (`batt report`, `batt merge`, `batt show`, `batt diff`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Results {
    /// `RESULTS_SCHEMA` when written.
    pub schema: u32,
    pub batt_version: String,
    pub script: String,
    /// The data source, as printed (a path, or the embedded corpus's name).
    pub data: String,
    /// The data file or folder to reload the tasks from; None for the embedded corpus.
    #[serde(default)]
    pub data_path: Option<String>,
    pub selection: SelectionInfo,
    pub summary: Summary,
    pub timing: Timing,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script_error: Option<String>,
    pub backend: String,
    pub engine: crate::engine::EngineStats,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub log: Vec<String>,
    /// Where the run came from (command line, args, scripts' hashes, build, data, machine,
    /// start); None in files written before batt recorded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<crate::outputs::provenance::Provenance>,
    /// For a merged run: the shard folders it was built from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged_from: Vec<String>,
    pub tasks: Vec<TaskRecord>,
}

/// Writes `bytes` to `path` atomically (temporary file in the same folder, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create output folder {}", dir.display()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).with_context(|| format!("cannot write in {}", dir.display()))?;
    tmp.write_all(bytes)?;
    // A temporary file is private (0600); the finished file gets the usual 0644.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

pub fn write_json(path: &Path, value: &impl Serialize) -> Result<()> {
    let mut bytes = serde_json::to_vec_pretty(value)?;
    bytes.push(b'\n');
    write_atomic(path, &bytes)
}

/// Writes results.json: indented JSON with every array of numbers on one line, so a grid
/// reads as one row per line, and every small flat record (a candidate's score, a passed
/// over candidate, a list of names) on one line too.
pub fn write_results(path: &Path, results: &Results) -> Result<()> {
    let mut text = String::new();
    readable_json(&serde_json::to_value(results)?, 0, &mut text);
    text.push('\n');
    write_atomic(path, text.as_bytes())
}

/// Widest record written on one line.
const INLINE_WIDTH: usize = 200;

fn readable_json(v: &Value, depth: usize, out: &mut String) {
    let pad = |d: usize| "  ".repeat(d);
    let scalar = |x: &Value| match x {
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => true,
    };
    let inline = match v {
        Value::Array(items) => items.iter().all(Value::is_number) || items.iter().all(scalar),
        Value::Object(map) => map.values().all(scalar),
        _ => true,
    };
    if inline {
        let text = match v {
            // numbers packed (grid rows); records with a space after each separator
            Value::Array(items) if items.iter().all(Value::is_number) => serde_json::to_string(v).expect("JSON values serialise"),
            Value::Object(map) => {
                let fields: Vec<String> =
                    map.iter().map(|(k, x)| format!("{}: {}", serde_json::to_string(k).expect("strings serialise"), serde_json::to_string(x).expect("JSON values serialise"))).collect();
                format!("{{{}}}", fields.join(", "))
            }
            Value::Array(items) => format!("[{}]", items.iter().map(|x| serde_json::to_string(x).expect("JSON values serialise")).collect::<Vec<_>>().join(", ")),
            other => serde_json::to_string(other).expect("JSON values serialise"),
        };
        if text.len() <= INLINE_WIDTH || matches!(v, Value::Array(items) if items.iter().all(Value::is_number)) || scalar(v) {
            out.push_str(&text);
            return;
        }
    }
    match v {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                out.push_str(&pad(depth + 1));
                readable_json(item, depth + 1, out);
            }
            out.push('\n');
            out.push_str(&pad(depth));
            out.push(']');
        }
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                out.push_str(&pad(depth + 1));
                out.push_str(&serde_json::to_string(key).expect("strings serialise"));
                out.push_str(": ");
                readable_json(item, depth + 1, out);
            }
            out.push('\n');
            out.push_str(&pad(depth));
            out.push('}');
        }
        other => out.push_str(&serde_json::to_string(other).expect("JSON values serialise")),
    }
}

/// The results.json a path names: the file itself, or `results.json` in that folder (a
/// run's `--out`).
pub fn results_path(path: &Path) -> PathBuf {
    if path.is_dir() { path.join("results.json") } else { path.to_path_buf() }
}

/// Reads a run's results.json (a path to it or to its folder), refusing one of another
/// schema with a message that says which.
pub fn read_results(path: &Path) -> Result<Results> {
    let file = results_path(path);
    let text = std::fs::read_to_string(&file).with_context(|| {
        if path.is_dir() {
            format!("cannot read {} (is {} the --out folder of a batt run?)", file.display(), path.display())
        } else {
            format!("cannot read {} (give a run's --out folder or its results.json)", file.display())
        }
    })?;
    let value: Value = serde_json::from_str(&text).with_context(|| format!("{} is not JSON", file.display()))?;
    let schema = value.get("schema").and_then(Value::as_u64);
    let version = value.get("batt_version").and_then(Value::as_str).unwrap_or("unknown");
    if schema != Some(RESULTS_SCHEMA as u64) {
        let found = schema.map_or("no schema (written before results.json had one)".to_string(), |s| format!("schema {s}"));
        anyhow::bail!(
            "{} has {found}, written by batt {version}; this batt (version {}) reads schema {RESULTS_SCHEMA}: re-run to write a new one",
            file.display(),
            env!("CARGO_PKG_VERSION")
        );
    }
    serde_json::from_value(value).with_context(|| format!("{} is not a results.json that this batt can read", file.display()))
}

/// submission.json is compact (one line per task) so that it stays small and diffable.
pub fn write_submission(dir: &Path, records: &[TaskRecord]) -> Result<()> {
    write_submission_with(dir, records, &|_, _| None)
}

/// `write_submission` with `fallback` for missing attempts (see `submission_json_with`).
pub fn write_submission_with(dir: &Path, records: &[TaskRecord], fallback: Fallback) -> Result<()> {
    let Value::Object(map) = submission_json_with(records, fallback) else { unreachable!() };
    let mut text = String::from("{\n");
    let n = map.len();
    for (i, (id, entries)) in map.iter().enumerate() {
        text.push_str(&format!("{}: {}{}\n", serde_json::to_string(id)?, serde_json::to_string(entries)?, if i + 1 < n { "," } else { "" }));
    }
    text.push_str("}\n");
    write_atomic(&dir.join("submission.json"), text.as_bytes())
}
