//! The kept runs: a `batt run` (or `batt merge`) without `--out` writes a new folder under
//! runs/, `runs/<date>-<time>-<name>` (UTC), and `runs/latest` points at the newest, so no
//! run overwrites another. Commands that read a run (`batt diff`, `batt show --out`,
//! `batt report`) take a folder, a results.json, or a run's name: `latest`, a folder name
//! under runs/, or the end of one (`main`: the newest run named main).

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{bail, Context, Result};

/// Where kept runs go, under the current folder.
pub const RUNS_DIR: &str = "runs";
/// The link (a file holding the name, where links are not available) to the newest run.
pub const LATEST: &str = "latest";

/// A run name as a folder name ends: letters, digits, `.`, `_` and `-`; anything else `-`.
pub fn folder_safe(name: &str) -> String {
    let safe: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || "._-".contains(c) { c } else { '-' }).collect();
    if safe.is_empty() { "run".to_string() } else { safe }
}

/// Makes a new, empty folder for a run named `name` that started at `started`:
/// `runs/2026-12-04-040122-main` (`-2`, `-3`, ... when two runs start in one second).
pub fn new_run_dir(name: &str, started: SystemTime) -> Result<PathBuf> {
    let stamp: String = humantime::format_rfc3339_seconds(started).to_string();
    // 2026-12-04T04:01:22Z -> 2026-12-04-040122
    let (date, time) = stamp.trim_end_matches('Z').split_once('T').unwrap_or((&stamp, ""));
    let base = format!("{date}-{}-{}", time.replace(':', ""), folder_safe(name));
    std::fs::create_dir_all(RUNS_DIR).with_context(|| format!("cannot create the runs folder {RUNS_DIR}/ (give --out DIR to write elsewhere)"))?;
    for n in 1..1000 {
        let dir = Path::new(RUNS_DIR).join(if n == 1 { base.clone() } else { format!("{base}-{n}") });
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot create the run folder {}", dir.display())),
        }
    }
    bail!("runs/ already holds 999 runs named {base}: give --out DIR or --name NAME")
}

/// Points runs/latest at `dir` (a folder under runs/), replacing the link in one step.
pub fn mark_latest(dir: &Path) -> Result<()> {
    let runs = Path::new(RUNS_DIR);
    let name = dir.file_name().context("a run folder has a name")?;
    let temporary = runs.join(format!(".{LATEST}-{}", std::process::id()));
    let _ = std::fs::remove_file(&temporary);
    #[cfg(unix)]
    std::os::unix::fs::symlink(name, &temporary).with_context(|| format!("cannot link {}", temporary.display()))?;
    #[cfg(not(unix))]
    std::fs::write(&temporary, name.to_string_lossy().as_bytes())?;
    std::fs::rename(&temporary, runs.join(LATEST)).with_context(|| format!("cannot update {RUNS_DIR}/{LATEST}"))?;
    Ok(())
}

/// The run `arg` names: an existing folder or file as it is, else a run under runs/ by
/// its folder name (`latest` included), else the newest run whose folder name ends with
/// `-<arg>`.
pub fn resolve(arg: &Path) -> Result<PathBuf> {
    if arg.exists() {
        return Ok(arg.to_path_buf());
    }
    let runs = Path::new(RUNS_DIR);
    let named = runs.join(arg);
    if named.is_dir() {
        return Ok(named);
    }
    #[cfg(not(unix))]
    if arg == Path::new(LATEST) {
        if let Ok(name) = std::fs::read_to_string(&named) {
            return Ok(runs.join(name.trim()));
        }
    }
    let wanted = format!("-{}", arg.display());
    let mut names = kept_runs();
    names.retain(|n| n.ends_with(&wanted));
    match names.last() {
        Some(newest) => Ok(runs.join(newest)),
        None => {
            let kept = kept_runs();
            let recent = kept.iter().rev().take(5).cloned().collect::<Vec<_>>();
            let listing = if recent.is_empty() { format!("{RUNS_DIR}/ holds no runs") } else { format!("the newest under {RUNS_DIR}/: {}", recent.join(", ")) };
            bail!("no run {}: not a folder or results.json here, and no run under {RUNS_DIR}/ is named so ({listing})", arg.display())
        }
    }
}

/// The folder names of the kept runs, oldest first.
pub fn kept_runs() -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(RUNS_DIR) else { return Vec::new() };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_folder_names() {
        assert_eq!(folder_safe("pieces=0 variants"), "pieces-0-variants");
        assert_eq!(folder_safe("main"), "main");
        assert_eq!(folder_safe(""), "run");
    }
}
