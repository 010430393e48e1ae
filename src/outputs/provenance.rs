//! Where a run came from, recorded in its results.json so that runs can be told apart
//! afterwards: the command line and the script's `-- args`, a hash of every Lua file it
//! loaded, the build (version and git commit), the data and its hash, the machine (its
//! engine and cores) and when it started. `batt diff` names what differs between two runs,
//! and the report shows it.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::data::dataset::{DataSource, EMBEDDED_ARC_AGI_1};

/// One Lua file a run loaded, and the SHA-256 of its text when the run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScriptHash {
    pub path: String,
    /// Hex SHA-256, or "unreadable" when the file was gone by the end of the run.
    pub sha256: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The run's name (`--name`, else the script's file name), as its folder under runs/ ends.
    pub name: String,
    /// The command line, one argument a string.
    pub command_line: Vec<String>,
    /// The arguments after `--` (the script's `batt.args`).
    pub args: Vec<String>,
    /// Every Lua file the run loaded (the script and what it required), by path.
    pub scripts: Vec<ScriptHash>,
    pub batt_version: String,
    /// The git commit batt was built from ("unknown" outside a checkout).
    pub commit: String,
    /// The data, as printed, and the SHA-256 of its bytes (every file of a folder, by
    /// relative path; a challenges file with its solutions file).
    pub data: String,
    pub data_sha256: String,
    /// The engine that ran the batches (device or CPU) and the machine's cores.
    pub engine: String,
    pub cores: usize,
    /// When the run started, RFC 3339 in UTC.
    pub started: String,
}

impl Provenance {
    /// The provenance of a run that started at `started` and loaded `scripts`.
    pub fn of_run(name: &str, args: &[String], scripts: &[PathBuf], data: &DataSource, engine: &str, started: SystemTime) -> Provenance {
        Provenance {
            name: name.to_string(),
            command_line: std::env::args().collect(),
            args: args.to_vec(),
            scripts: scripts.iter().map(|p| ScriptHash { path: p.display().to_string(), sha256: file_hash(p) }).collect(),
            batt_version: env!("CARGO_PKG_VERSION").to_string(),
            commit: env!("BATT_COMMIT").to_string(),
            data: data.describe(),
            data_sha256: data_hash(data),
            engine: engine.to_string(),
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            started: humantime::format_rfc3339_seconds(started).to_string(),
        }
    }

    /// The lines that say how run `b` differs from run `a` in where it came from (none
    /// when they differ in nothing recorded), for `batt diff`'s header.
    pub fn differences(a: &Provenance, b: &Provenance) -> Vec<String> {
        let mut lines = Vec::new();
        let differ = |lines: &mut Vec<String>, what: &str, x: String, y: String| {
            if x != y {
                lines.push(format!("{what}: {x} | {y}"));
            }
        };
        let args = |p: &Provenance| if p.args.is_empty() { "(none)".to_string() } else { p.args.join(" ") };
        differ(&mut lines, "args", args(a), args(b));
        let changed: Vec<String> = b
            .scripts
            .iter()
            .filter_map(|s| match a.scripts.iter().find(|t| t.path == s.path) {
                Some(t) if t.sha256 == s.sha256 => None,
                Some(_) => Some(format!("{} changed", s.path)),
                None => Some(format!("{} only in B", s.path)),
            })
            .chain(a.scripts.iter().filter(|t| !b.scripts.iter().any(|s| s.path == t.path)).map(|t| format!("{} only in A", t.path)))
            .collect();
        if !changed.is_empty() {
            lines.push(format!("scripts: {}", changed.join(", ")));
        }
        differ(&mut lines, "build", format!("{} {}", a.batt_version, short(&a.commit)), format!("{} {}", b.batt_version, short(&b.commit)));
        differ(&mut lines, "data", format!("{} ({})", a.data, short(&a.data_sha256)), format!("{} ({})", b.data, short(&b.data_sha256)));
        differ(&mut lines, "engine", format!("{}, {} cores", a.engine, a.cores), format!("{}, {} cores", b.engine, b.cores));
        lines
    }

    /// One line naming the run: its name, start, args and build.
    pub fn line(&self) -> String {
        let args = if self.args.is_empty() { String::new() } else { format!(" -- {}", self.args.join(" ")) };
        format!("{} started {}{args}; batt {} ({}); data {} ({})", self.name, self.started, self.batt_version, short(&self.commit), self.data, short(&self.data_sha256))
    }
}

/// The first 12 characters of a hash or commit, as people quote them.
fn short(hash: &str) -> &str {
    &hash[..hash.len().min(12)]
}

fn hex(digest: impl AsRef<[u8]>) -> String {
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

fn file_hash(path: &Path) -> String {
    std::fs::read(path).map_or_else(|_| "unreadable".to_string(), |bytes| hex(Sha256::digest(bytes)))
}

/// The data's SHA-256: the embedded corpus's bytes, a file's (with a challenges file's
/// solutions file), or a folder's files by relative path in sorted order.
fn data_hash(source: &DataSource) -> String {
    let path = match source {
        DataSource::Embedded => return hex(Sha256::digest(EMBEDDED_ARC_AGI_1)),
        DataSource::Path(p) => p,
    };
    let mut files = Vec::new();
    collect_files(path, &mut files);
    if let Some(solutions) = path.to_str().and_then(|p| p.strip_suffix("_challenges.json")).map(|stem| PathBuf::from(format!("{stem}_solutions.json"))) {
        if solutions.is_file() {
            files.push(solutions);
        }
    }
    let mut hasher = Sha256::new();
    for file in &files {
        let relative = file.strip_prefix(path).unwrap_or(file);
        hasher.update(relative.to_string_lossy().as_bytes());
        hasher.update([0]);
        hasher.update(std::fs::read(file).unwrap_or_default());
    }
    hex(hasher.finalize())
}

fn collect_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        out.push(path.to_path_buf());
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else { return };
    let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    children.sort();
    for child in children {
        collect_files(&child, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_name_the_args_scripts_and_build_that_differ() {
        let a = Provenance {
            name: "main".into(),
            args: vec!["pieces=0".into()],
            scripts: vec![ScriptHash { path: "s.lua".into(), sha256: "aa".into() }],
            batt_version: "0.1.0".into(),
            commit: "ffff".into(),
            ..Default::default()
        };
        let mut b = a.clone();
        assert!(Provenance::differences(&a, &b).is_empty());
        b.args.clear();
        b.scripts[0].sha256 = "bb".into();
        b.commit = "0123456789abcdef".into();
        let lines = Provenance::differences(&a, &b);
        assert_eq!(lines[0], "args: pieces=0 | (none)");
        assert_eq!(lines[1], "scripts: s.lua changed");
        assert_eq!(lines[2], "build: 0.1.0 ffff | 0.1.0 0123456789ab");
        assert_eq!(lines.len(), 3);
    }
}
