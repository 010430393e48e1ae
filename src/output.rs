//! The files a run leaves in `--out`: `submission.json` in the ARC Prize format (every
//! selected task, one entry per test input, `attempt_1` and `attempt_2` always present)
//! and `results.json` (summary, timing and per-task records). Every file is written to a
//! temporary file in the same folder and renamed over the target, so a reader never sees
//! half a file and a crash never destroys the previous one.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::grid::Grid;
use crate::record::TaskRecord;
use crate::selection::SelectionInfo;
use crate::summary::{Summary, Timing};

/// What stands in for a missing attempt: the smallest valid grid.
fn placeholder() -> Grid {
    Grid::filled(1, 1, 0).expect("1x1 is a valid grid")
}

/// `{task_id: [{"attempt_1": grid, "attempt_2": grid}, ...]}` in selection order.
pub fn submission_json(records: &[TaskRecord]) -> Value {
    let mut out = Map::new();
    for r in records {
        let entries: Vec<Value> = (0..r.test_count.max(1))
            .map(|i| {
                let p = r.predictions.get(i);
                let attempt = |k: usize| p.and_then(|p| p.attempts.get(k)).cloned().unwrap_or_else(placeholder);
                json!({ "attempt_1": attempt(0), "attempt_2": attempt(1) })
            })
            .collect();
        out.insert(r.id.clone(), Value::Array(entries));
    }
    Value::Object(out)
}

/// results.json: everything a run (or a merge of shards) knows, in a form that reads back
/// (`batt report`, `batt merge`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Results {
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

/// submission.json is compact (one line per task) so that it stays small and diffable.
pub fn write_submission(dir: &Path, records: &[TaskRecord]) -> Result<()> {
    let Value::Object(map) = submission_json(records) else { unreachable!() };
    let mut text = String::from("{\n");
    let n = map.len();
    for (i, (id, entries)) in map.iter().enumerate() {
        text.push_str(&format!("{}: {}{}\n", serde_json::to_string(id)?, serde_json::to_string(entries)?, if i + 1 < n { "," } else { "" }));
    }
    text.push_str("}\n");
    write_atomic(&dir.join("submission.json"), text.as_bytes())
}
