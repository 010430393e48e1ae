//! Comparing two runs: what each was (its recorded provenance, and what differs), which
//! tasks one solves that the other does not, whose best train score changed, and where the
//! time went in each. `batt diff A B` compares any two saved runs (folders, results.json
//! files or kept runs' names, merged shards too); watch mode prints the same `delta:` lines
//! after every re-run.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;

use crate::outputs::files::{read_results, results_path, Results};
use crate::outputs::provenance::Provenance;
use crate::run::record::{TaskRecord, TaskStatus};

/// What a task looked like in a run, for comparing runs.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskState {
    /// Every known test output right in one of two attempts; with no known outputs, every
    /// train pair reproduced.
    pub solved: bool,
    pub best: Option<f64>,
    /// The script raised an error on this task.
    pub failed: bool,
}

/// Each task's state in a run, by id.
pub fn task_states(records: &[TaskRecord]) -> BTreeMap<String, TaskState> {
    records
        .iter()
        .map(|r| {
            let solved = match r.test_correct(true) {
                Some((c, k)) => c == k,
                None => r.train_solved(),
            };
            (r.id.clone(), TaskState { solved, best: r.best_score(), failed: r.status == TaskStatus::Error })
        })
        .collect()
}

/// How the tasks of two runs differ (tasks in only one of them are counted apart).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskDelta {
    pub gained: Vec<String>,
    pub lost: Vec<String>,
    /// `id before -> after`, best train score to three decimals.
    pub best_changed: Vec<String>,
    pub only_before: Vec<String>,
    pub only_after: Vec<String>,
}

impl TaskDelta {
    pub fn between(before: &BTreeMap<String, TaskState>, after: &BTreeMap<String, TaskState>) -> TaskDelta {
        let mut d = TaskDelta::default();
        for (id, s) in after {
            let Some(p) = before.get(id) else {
                d.only_after.push(id.clone());
                continue;
            };
            if s.solved && !p.solved {
                d.gained.push(id.clone());
            }
            if !s.solved && p.solved {
                d.lost.push(id.clone());
            }
            if s.best.map(|b| (b * 1000.0).round()) != p.best.map(|b| (b * 1000.0).round()) {
                let fmt = |b: Option<f64>| b.map_or("-".to_string(), |b| format!("{b:.3}"));
                d.best_changed.push(format!("{id} {} -> {}", fmt(p.best), fmt(s.best)));
            }
        }
        d.only_before = before.keys().filter(|id| !after.contains_key(*id)).cloned().collect();
        d
    }

    /// The lines that say it, each starting with `prefix` ("delta: " in watch mode).
    pub fn lines(&self, prefix: &str) -> Vec<String> {
        let list = |v: &[String]| if v.is_empty() { "none".to_string() } else { v.join(", ") };
        let mut lines = vec![
            format!("{prefix}newly solved {}: {}", self.gained.len(), list(&self.gained)),
            format!("{prefix}newly lost {}: {}", self.lost.len(), list(&self.lost)),
            format!("{prefix}best score changed {}: {}", self.best_changed.len(), list(&self.best_changed)),
        ];
        if !self.only_before.is_empty() || !self.only_after.is_empty() {
            lines.push(format!(
                "{prefix}tasks in one run only: {} only before ({}), {} only after ({})",
                self.only_before.len(),
                list(&self.only_before),
                self.only_after.len(),
                list(&self.only_after)
            ));
        }
        lines
    }
}

/// One run's headline: tasks, solved, top-2 test outputs, backend, wall time.
fn headline(label: &str, path: &Path, r: &Results) -> String {
    let s = &r.summary;
    let outputs = if s.test_outputs_known > 0 {
        format!("test outputs top-2 {}/{}", s.test_correct_top2, s.test_outputs_known)
    } else {
        "test outputs unknown".to_string()
    };
    format!(
        "{label} {}: {} tasks, train-solved {}, {outputs}, {:.2} s ({} worker{}; {})",
        results_path(path).display(),
        s.tasks,
        s.train_solved,
        r.timing.total_ms / 1e3,
        r.timing.workers,
        if r.timing.workers == 1 { "" } else { "s" },
        r.backend
    )
}

/// What each run was (name, start, args, build, data) and how they differ, as recorded.
fn provenance_lines(a: &Results, b: &Results) -> Vec<String> {
    match (&a.provenance, &b.provenance) {
        (Some(pa), Some(pb)) => {
            let mut lines = vec![format!("A was {}", pa.line()), format!("B was {}", pb.line())];
            let differences = Provenance::differences(pa, pb);
            if differences.is_empty() {
                lines.push("differ in: nothing recorded (same args, scripts, build, data and engine)".to_string());
            }
            lines.extend(differences.into_iter().map(|d| format!("differ in {d}")));
            lines
        }
        _ => vec!["provenance: not recorded in one of the runs (written by a batt before 0.1.0's provenance)".to_string()],
    }
}

/// `time:` lines: each phase before and after, with the change.
fn time_lines(a: &Results, b: &Results) -> Vec<String> {
    let (ta, tb) = (&a.timing, &b.timing);
    let phases = [
        ("load", ta.load_ms, tb.load_ms),
        ("lua", ta.lua_ms, tb.lua_ms),
        ("engine", ta.engine_ms, tb.engine_ms),
        ("output", ta.output_ms, tb.output_ms),
        ("total", ta.total_ms, tb.total_ms),
    ];
    phases
        .iter()
        .map(|(name, x, y)| {
            let change = if *x > 0.0 { format!(" ({:+.0}%)", 100.0 * (y - x) / x) } else { String::new() };
            format!("time {name}: {:.1} ms -> {:.1} ms{change}", x, y)
        })
        .collect()
}

/// `batt diff A B`: prints how run B differs from run A; exit code 1 when B lost a task A
/// solved, else 0.
pub fn diff(a: &Path, b: &Path) -> Result<i32> {
    let (a, b) = (crate::outputs::runs::resolve(a)?, crate::outputs::runs::resolve(b)?);
    let (a, b) = (a.as_path(), b.as_path());
    let (ra, rb) = (read_results(a)?, read_results(b)?);
    println!("{}", headline("A", a, &ra));
    println!("{}", headline("B", b, &rb));
    for line in provenance_lines(&ra, &rb) {
        println!("{line}");
    }
    let delta = TaskDelta::between(&task_states(&ra.tasks), &task_states(&rb.tasks));
    for line in delta.lines("") {
        println!("{line}");
    }
    for line in time_lines(&ra, &rb) {
        println!("{line}");
    }
    Ok(if delta.lost.is_empty() { 0 } else { 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(solved: bool, best: Option<f64>) -> TaskState {
        TaskState { solved, best, failed: false }
    }

    #[test]
    fn gained_lost_changed_and_one_sided_tasks() {
        let before: BTreeMap<String, TaskState> =
            [("a", state(true, Some(1.0))), ("b", state(false, Some(0.5))), ("c", state(false, None))].into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        let after: BTreeMap<String, TaskState> =
            [("a", state(false, Some(0.9))), ("b", state(true, Some(1.0))), ("d", state(true, Some(1.0)))].into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        let d = TaskDelta::between(&before, &after);
        assert_eq!(d.gained, ["b"]);
        assert_eq!(d.lost, ["a"]);
        assert_eq!(d.best_changed, ["a 1.000 -> 0.900", "b 0.500 -> 1.000"]);
        assert_eq!((d.only_before.as_slice(), d.only_after.as_slice()), (&["c".to_string()][..], &["d".to_string()][..]));
        assert_eq!(d.lines("delta: ")[1], "delta: newly lost 1: a");
    }
}
