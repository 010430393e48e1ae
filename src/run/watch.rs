//! `batt watch` (and `batt run --watch`): run once, then re-run on every save. It watches
//! the folders of every Lua file the run loaded (the script's folder recursively, so new
//! solver files count too) and the data, debounces editors' bursts of events into one
//! re-run, and re-runs (through `runner`, with the run's `-j` workers, each in a fresh Lua
//! state) while the session keeps the Vulkan device, compiled pipelines, loaded tasks,
//! result and search caches and `batt.keep` values. After each re-run it prints what
//! changed (files, tasks newly solved or lost, best scores) before the summary. A broken script or data file is reported and the last good results stay; a
//! save during a run queues exactly one re-run after it; Ctrl-C or SIGTERM stops cleanly.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult};

use crate::cli::RunArgs;
use crate::data::dataset::{Dataset, DataSource};
use crate::outputs::diff::{task_states, TaskDelta, TaskState};
use crate::run::runner::{check_script, finish_run, handle_interrupts, print_report, run_in_session, RunOptions, Session};
use crate::data::selection::{select_tasks, SelectionInfo};

/// How long the file system must be quiet before a burst of events becomes one re-run.
const DEBOUNCE: Duration = Duration::from_millis(60);

/// Folders to watch: the script's folder (recursively: new files there count), the
/// folders of every other loaded file, and the data's folder.
fn watch_roots(script: &Path, loaded: &[PathBuf], data: Option<&Path>) -> BTreeMap<PathBuf, RecursiveMode> {
    let mut roots = BTreeMap::new();
    let dir_of = |p: &Path| -> PathBuf {
        let d = p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        d.canonicalize().unwrap_or_else(|_| d.to_path_buf())
    };
    let script_dir = dir_of(script);
    roots.insert(script_dir.clone(), RecursiveMode::Recursive);
    for f in loaded {
        let d = dir_of(f);
        if !d.starts_with(&script_dir) {
            roots.entry(d).or_insert(RecursiveMode::NonRecursive);
        }
    }
    if let Some(data) = data {
        if data.is_dir() {
            roots.insert(data.canonicalize().unwrap_or_else(|_| data.to_path_buf()), RecursiveMode::Recursive);
        } else {
            roots.entry(dir_of(data)).or_insert(RecursiveMode::NonRecursive);
        }
    }
    roots
}

/// Whether a changed path should start a re-run: a Lua file, or the data.
fn relevant(path: &Path, data: Option<&Path>) -> bool {
    if path.extension().is_some_and(|e| e == "lua") {
        return true;
    }
    let Some(data) = data else { return false };
    let data = data.canonicalize().unwrap_or_else(|_| data.to_path_buf());
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    // A data file's sibling solutions file counts too (Kaggle layout).
    path == data || path.starts_with(&data) || (path.parent() == data.parent() && path.extension().is_some_and(|e| e == "json") && !data.is_dir() && {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        name.ends_with("_solutions.json")
    })
}

/// Waits for the next batch of relevant changes; None when interrupted. Returns the
/// changed files and when the first of their events arrived.
fn next_change(rx: &Receiver<DebounceEventResult>, session: &Session, data: Option<&Path>) -> Option<(BTreeSet<PathBuf>, Instant)> {
    let mut changed = BTreeSet::new();
    let mut first: Option<Instant> = None;
    loop {
        if session.interrupt.load(Ordering::Relaxed) {
            return None;
        }
        // Once something changed, take whatever else arrives right behind it.
        let wait = if changed.is_empty() { Duration::from_millis(100) } else { Duration::from_millis(5) };
        match rx.recv_timeout(wait) {
            Ok(Ok(events)) => {
                for e in events {
                    if matches!(e.event.kind, notify::EventKind::Access(_)) {
                        continue;
                    }
                    for p in &e.event.paths {
                        if relevant(p, data) {
                            changed.insert(p.clone());
                            first = Some(first.map_or(e.time, |f| f.min(e.time)));
                        }
                    }
                }
            }
            Ok(Err(errors)) => {
                for e in errors {
                    eprintln!("watch: {e}");
                }
            }
            Err(RecvTimeoutError::Timeout) => {
                if !changed.is_empty() {
                    return Some((changed, first.unwrap_or_else(Instant::now)));
                }
            }
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    }
}

fn show(path: &Path) -> String {
    let cwd = std::env::current_dir().ok().and_then(|d| d.canonicalize().ok());
    match cwd.and_then(|d| path.strip_prefix(&d).ok().map(Path::to_path_buf)) {
        Some(rel) => rel.display().to_string(),
        None => path.display().to_string(),
    }
}

/// `batt watch`: returns the exit code (0 after Ctrl-C / SIGTERM).
pub fn watch(args: &RunArgs) -> Result<i32> {
    if args.time_budget.is_some() {
        anyhow::bail!("--time-budget is for one run, not for --watch (or batt watch): leave one of them out");
    }
    if let Some(shard) = args.shard {
        anyhow::bail!("--shard {shard} is for batt run; watch mode re-runs the whole selection");
    }
    let opts: RunOptions = args.options()?;
    check_script(&opts)?;
    let mut dataset = Dataset::open(opts.data.as_deref())?;
    // one folder for the whole watch session: each good re-run rewrites all its outputs
    let args = &args.with_output_folder()?;
    let data_path: Option<PathBuf> = match &dataset.source {
        DataSource::Path(p) => Some(p.clone()),
        DataSource::Embedded => None,
    };
    let mut session = Session::new(opts.backend, opts.device.clone())?;
    handle_interrupts(&session);

    let (tx, rx) = channel();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx).context("cannot start watching files")?;
    let mut watched: BTreeMap<PathBuf, RecursiveMode> = BTreeMap::new();
    let mut last_good: Option<BTreeMap<String, TaskState>> = None;
    let mut changed: Vec<PathBuf> = Vec::new();
    let mut run_number = 1;

    let mut skip_run = false;
    loop {
        let started = Instant::now();
        let outcome = if skip_run {
            None
        } else {
            match select_tasks(&dataset, &opts.filter) {
                Ok(selection) => {
                    let info = SelectionInfo::new(selection.iter().map(|e| e.id()), None);
                    let loaded = started.elapsed();
                    let outcome = run_in_session(&mut session, &opts.script, selection, &opts, &changed)?;
                    let script_done = started.elapsed();
                    Some((outcome, info, loaded, script_done))
                }
                Err(e) => {
                    eprintln!("error: {e:#}; fix the data or the selection, batt keeps watching");
                    None
                }
            }
        };
        skip_run = false;
        if let Some((outcome, info, loaded, script_done)) = outcome {
            if outcome.interrupted {
                println!("watch: interrupted; the output files hold the last complete run");
                return Ok(0);
            }
            // Watch what this run loaded (new requires, new solver files).
            for (root, mode) in watch_roots(&opts.script, &outcome.loaded_files, data_path.as_deref()) {
                if watched.get(&root) != Some(&mode) && root.exists() {
                    match debouncer.watch(&root, mode) {
                        Ok(()) => {
                            watched.insert(root, mode);
                        }
                        Err(e) => eprintln!("watch: cannot watch {}: {e}", root.display()),
                    }
                }
            }
            let now = task_states(&outcome.records);
            // Tasks the script now fails on that did not fail in the last good run.
            let new_failures: Vec<&String> = now
                .iter()
                .filter(|(id, s)| s.failed && last_good.as_ref().is_some_and(|g| g.get(*id).is_some_and(|p| !p.failed)))
                .map(|(id, _)| id)
                .collect();
            if outcome.script_error.is_some() || !new_failures.is_empty() {
                let what = match &outcome.script_error {
                    Some(err) => format!("{} failed: {}", opts.script.display(), err.lines().next().unwrap_or("")),
                    None => format!(
                        "new script errors in task(s) {}",
                        new_failures.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                };
                println!(
                    "watch: run {run_number} is broken ({what}; the error and traceback are above); keeping the last good results{}; fix it and save",
                    if last_good.is_some() { "" } else { " (none yet)" }
                );
            } else {
                if let Some(prev) = &last_good {
                    for line in TaskDelta::between(prev, &now).lines("delta: ") {
                        println!("{line}");
                    }
                    println!("delta: run {run_number} took {:.2} s", script_done.as_secs_f64());
                }
                let report = finish_run(args, &dataset, info, &outcome, started, loaded, script_done)?;
                print_report(args, &outcome, &report);
                last_good = Some(now);
            }
        }
        println!("watch: waiting for changes ({} folders; Ctrl-C stops)", watched.len());

        // Queue semantics: events that arrived during the run are taken now, as one re-run.
        let Some((files, first_event)) = next_change(&rx, &session, data_path.as_deref()) else {
            println!("watch: stopped");
            return Ok(0);
        };
        run_number += 1;
        let names: Vec<String> = files.iter().map(|p| show(p)).collect();
        println!(
            "\n=== re-run {run_number}: changed {} (started {} ms after the change) ===",
            names.join(", "),
            first_event.elapsed().as_millis()
        );
        changed = files.iter().cloned().collect();
        if let Some(data) = &data_path {
            if files.iter().any(|f| f.extension().is_none_or(|e| e != "lua")) {
                match Dataset::load(data) {
                    Ok(d) => dataset = d,
                    Err(e) => {
                        eprintln!("error: {e:#}; keeping the last good results; fix the data and save");
                        skip_run = true;
                    }
                }
            }
        }
    }
}
