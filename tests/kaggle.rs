//! The Kaggle flow and the ARC-AGI-2 layouts, through the real binary on the CPU: a run
//! under `--time-budget` on a competition-layout `arc-agi_test_challenges.json` (100
//! tasks, test outputs removed) ends in time with a submission that passes a checker
//! written from the competition's format rules; a runaway script is stopped by the budget
//! and still leaves a complete submission (the test inputs standing in); `--time-budget`'s
//! usage errors; and a folder shaped like an ARC-AGI-2 checkout's `data/evaluation/` and an
//! ARC Prize 2025 challenges + solutions pair each run and score against their outputs.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use serde_json::{json, Map, Value};

fn batt() -> Command {
    Command::cargo_bin("batt").unwrap()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

/// The first `n` evaluation tasks of the ARC-AGI-1 corpus batt embeds, as (id, task).
fn eval_tasks(n: usize) -> Vec<(String, Value)> {
    let corpus = read_json(Path::new("data/arc-agi-1.json"));
    corpus["eval"].as_object().unwrap().iter().take(n).map(|(id, t)| (id.clone(), t.clone())).collect()
}

fn these_tasks(ids: &[&str]) -> Vec<(String, Value)> {
    let corpus = read_json(Path::new("data/arc-agi-1.json"));
    ids.iter().map(|id| (id.to_string(), corpus["eval"][*id].clone())).collect()
}

/// A task without its test outputs, as in a challenges file; and those outputs.
fn split_off_outputs(task: &Value) -> (Value, Value) {
    let mut challenge = task.clone();
    let mut outputs = Vec::new();
    for case in challenge["test"].as_array_mut().unwrap() {
        outputs.push(case.as_object_mut().unwrap().remove("output").unwrap());
    }
    (challenge, Value::Array(outputs))
}

/// Writes `<stem>_challenges.json` in `dir` (and `<stem>_solutions.json` when asked), as
/// the ARC Prize competitions lay them out; returns the challenges file.
fn write_challenges(dir: &Path, stem: &str, tasks: &[(String, Value)], solutions: bool) -> std::path::PathBuf {
    let (mut challenges, mut answers) = (Map::new(), Map::new());
    for (id, task) in tasks {
        let (challenge, outputs) = split_off_outputs(task);
        challenges.insert(id.clone(), challenge);
        answers.insert(id.clone(), outputs);
    }
    fs::create_dir_all(dir).unwrap();
    let file = dir.join(format!("{stem}_challenges.json"));
    fs::write(&file, serde_json::to_string(&challenges).unwrap()).unwrap();
    if solutions {
        fs::write(dir.join(format!("{stem}_solutions.json")), serde_json::to_string(&answers).unwrap()).unwrap();
    }
    file
}

/// The competition's rules for submission.json, checked against the challenges file:
/// an object with every challenge id and no other; for each, a list with one entry per
/// test input, in order; each entry an object with exactly `attempt_1` and `attempt_2`;
/// each attempt a grid: a non-empty list of non-empty rows of equal length, at most 30 by
/// 30, of integers 0..9. Returns every breach found.
fn format_breaches(submission: &Value, challenges: &Value) -> Vec<String> {
    let mut breaches = Vec::new();
    let (Some(sub), Some(chal)) = (submission.as_object(), challenges.as_object()) else {
        return vec!["submission.json is not a JSON object".into()];
    };
    for id in chal.keys().filter(|id| !sub.contains_key(*id)) {
        breaches.push(format!("{id}: missing"));
    }
    for id in sub.keys().filter(|id| !chal.contains_key(*id)) {
        breaches.push(format!("{id}: not a challenge id"));
    }
    for (id, task) in chal {
        let Some(entries) = sub.get(id) else { continue };
        let tests = task["test"].as_array().unwrap().len();
        let Some(entries) = entries.as_array() else {
            breaches.push(format!("{id}: not a list"));
            continue;
        };
        if entries.len() != tests {
            breaches.push(format!("{id}: {} entries for {tests} test inputs", entries.len()));
        }
        for (i, entry) in entries.iter().enumerate() {
            let keys: Vec<&String> = entry.as_object().map(|o| o.keys().collect()).unwrap_or_default();
            if keys != ["attempt_1", "attempt_2"] {
                breaches.push(format!("{id}[{i}]: keys {keys:?}, expected attempt_1 and attempt_2"));
            }
            for key in ["attempt_1", "attempt_2"] {
                if let Err(why) = check_grid(&entry[key]) {
                    breaches.push(format!("{id}[{i}].{key}: {why}"));
                }
            }
        }
    }
    breaches
}

fn check_grid(grid: &Value) -> Result<(), String> {
    let rows = grid.as_array().ok_or("not a list")?;
    if rows.is_empty() || rows.len() > 30 {
        return Err(format!("{} rows", rows.len()));
    }
    let width = rows[0].as_array().map_or(0, Vec::len);
    if width == 0 || width > 30 {
        return Err(format!("{width} columns"));
    }
    for row in rows {
        let row = row.as_array().ok_or("a row is not a list")?;
        if row.len() != width {
            return Err("rows of different lengths".into());
        }
        if !row.iter().all(|c| c.as_u64().is_some_and(|c| c <= 9)) {
            return Err(format!("a cell outside 0..9 in {row:?}"));
        }
    }
    Ok(())
}

#[test]
fn the_checker_catches_what_the_rules_forbid() {
    let challenges = json!({"a": {"train": [], "test": [{"input": [[1]]}, {"input": [[2]]}]}, "b": {"train": [], "test": [{"input": [[3]]}]}});
    let good = json!({"a": [{"attempt_1": [[1]], "attempt_2": [[0, 1]]}, {"attempt_1": [[2]], "attempt_2": [[2]]}], "b": [{"attempt_1": [[3]], "attempt_2": [[9]]}]});
    assert_eq!(format_breaches(&good, &challenges), Vec::<String>::new());
    let bad = [
        json!({"a": good["a"]}),
        json!({"a": [good["a"][0]], "b": good["b"]}),
        json!({"a": good["a"], "b": [{"attempt_1": [[3]]}]}),
        json!({"a": good["a"], "b": [{"attempt_1": [[3]], "attempt_2": [[10]]}]}),
        json!({"a": good["a"], "b": [{"attempt_1": [], "attempt_2": [[1]]}]}),
        json!({"a": good["a"], "b": [{"attempt_1": [[1], [1, 2]], "attempt_2": [[1]]}]}),
        json!({"a": good["a"], "b": good["b"], "c": good["b"]}),
    ];
    for submission in bad {
        assert!(!format_breaches(&submission, &challenges).is_empty(), "{submission}");
    }
}

/// The acceptance test of the Kaggle flow: 100 tasks in the competition's layout, a budget
/// of a few seconds; the run ends about in time (its own wall time, with generous slack for
/// a loaded machine) and writes a submission that passes the format checker.
#[test]
fn a_short_time_budget_on_a_test_challenges_file_gives_a_complete_valid_submission() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("kaggle/input/arc-prize-2025");
    let challenges = write_challenges(&input, "arc-agi_test", &eval_tasks(100), false);
    let out = dir.path().join("working");
    let assert = batt()
        .args(["run", "-q", "--backend", "cpu", "--time-budget", "5s", "--data"])
        .arg(&challenges)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(stdout.starts_with("time budget 5s: 100 tasks on "), "the plan heads the output: {stdout}");
    assert!(stdout.contains("tasks 100: "), "{stdout}");

    let breaches = format_breaches(&read_json(&out.join("submission.json")), &read_json(&challenges));
    assert!(breaches.is_empty(), "submission.json breaks the competition's rules: {breaches:#?}");
    let results = read_json(&out.join("results.json"));
    let wall_ms = results["timing"]["total_ms"].as_f64().unwrap();
    assert!(wall_ms < 5_000.0 + 15_000.0, "the run took {wall_ms} ms under --time-budget 5s");
    // the batch search ends at its part of the budget, so the task loop gets the rest:
    // tasks are started (done, or stopped at their share), not all left `not run`
    let statuses: Vec<&str> = results["tasks"].as_array().unwrap().iter().map(|t| t["status"].as_str().unwrap()).collect();
    let started = statuses.iter().filter(|&&s| s != "not_run").count();
    assert!(started > 0, "no task started: the batch search took the whole budget ({statuses:?})");
    // no test outputs in a test challenges file: nothing is scored
    assert!(stdout.contains("test outputs: unknown for these tasks"), "{stdout}");
}

/// A script stuck in every task: `-t`'s default (600 s) would hold the run for hours; the
/// budget stops each task at its share, starts none once spent, and every test input
/// still gets two attempts (the test input itself, as nothing was predicted).
#[test]
fn a_runaway_script_is_stopped_by_the_budget_and_the_submission_is_still_complete() {
    let dir = tempfile::tempdir().unwrap();
    let tasks = eval_tasks(12);
    let challenges = write_challenges(dir.path(), "arc-agi_test", &tasks, false);
    let script = dir.path().join("stuck.lua");
    fs::write(&script, "for task in batt.tasks() do\n  while true do end\nend\n").unwrap();
    let out = dir.path().join("out");
    let assert = batt()
        .arg("run")
        .arg(&script)
        .args(["--backend", "cpu", "-j", "2", "--time-budget", "3s", "--data"])
        .arg(&challenges)
        .arg("--out")
        .arg(&out)
        .timeout(std::time::Duration::from_secs(120))
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(stdout.contains("0 done"), "{stdout}");
    let results = read_json(&out.join("results.json"));
    for task in results["tasks"].as_array().unwrap() {
        let (status, error) = (task["status"].as_str().unwrap(), task["error"].as_str().unwrap_or(""));
        assert!(matches!(status, "timeout" | "not run") && error.contains("--time-budget"), "{task}");
    }
    let submission = read_json(&out.join("submission.json"));
    assert!(format_breaches(&submission, &read_json(&challenges)).is_empty());
    for (id, task) in &tasks {
        for (i, case) in task["test"].as_array().unwrap().iter().enumerate() {
            assert_eq!(submission[id][i]["attempt_1"], case["input"], "{id}: the test input stands in");
            assert_eq!(submission[id][i]["attempt_2"], case["input"], "{id}");
        }
    }
}

#[test]
fn time_budget_usage_errors_name_the_flag() {
    batt()
        .args(["run", "--backend", "cpu", "--time-budget", "soon"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("--time-budget takes a duration such as 90s, 11h or 2h30m"));
    batt().args(["run", "--backend", "cpu", "--time-budget", "0s"]).assert().failure().stderr(predicates::str::contains("more than zero"));
    batt()
        .args(["run", "--backend", "cpu", "--time-budget", "1m", "--watch"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("--time-budget is for one run, not for --watch"));
    batt()
        .args(["watch", "--backend", "cpu", "--time-budget", "1m"])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .failure()
        .stderr(predicates::str::contains("--time-budget is for one run, not for --watch"));
}

/// Eval tasks the shipped loop solves in a few milliseconds each.
const SOLVED: [&str; 3] = ["e133d23d", "358ba94e", "7953d61e"];

/// Runs the shipped loop on `data` (with `extra` arguments) into `out` and checks every
/// task ran and was right on the test; returns results.json.
fn run_and_score(data: &Path, extra: &[&str], out: &Path) -> Value {
    let assert = batt().args(["run", "-q", "--backend", "cpu", "--data"]).arg(data).args(extra).arg("--out").arg(out).assert().success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(stdout.contains("tasks 3: 3 done"), "{stdout}");
    assert!(stdout.contains("tasks fully correct (top-2) 3/3"), "scored against the outputs the data holds: {stdout}");
    let results = read_json(&out.join("results.json"));
    let mut ids: Vec<&str> = results["tasks"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    ids.sort();
    let mut expected = SOLVED.to_vec();
    expected.sort();
    assert_eq!(ids, expected);
    results
}

/// An ARC-AGI-2 checkout keeps one `<id>.json` per task (test outputs included) in
/// `data/training/` and `data/evaluation/`; `--data <checkout>/data/evaluation` runs those,
/// and so does `--data <checkout>/data --split eval` (the folders' names give the splits).
#[test]
fn an_arc_agi_2_checkout_s_evaluation_folder_runs_by_path() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("ARC-AGI-2/data");
    let evaluation = data.join("evaluation");
    fs::create_dir_all(&evaluation).unwrap();
    for (id, task) in these_tasks(&SOLVED) {
        fs::write(evaluation.join(format!("{id}.json")), serde_json::to_string(&task).unwrap()).unwrap();
    }
    // a training task the evaluation run must leave out
    fs::create_dir_all(data.join("training")).unwrap();
    let (id, task) = &eval_tasks(1)[0];
    fs::write(data.join("training").join(format!("{id}.json")), serde_json::to_string(task).unwrap()).unwrap();
    run_and_score(&evaluation, &[], &dir.path().join("by-folder"));
    let results = run_and_score(&data, &["--split", "eval"], &dir.path().join("by-split"));
    assert!(results["tasks"].as_array().unwrap().iter().all(|t| t["split"] == "eval"), "the folder's name gives the split");
}

/// ARC Prize 2025 ships each split as a challenges file and, for training and evaluation, a
/// solutions file beside it; batt reads the solutions to score the run.
#[test]
fn an_arc_prize_2025_challenges_and_solutions_pair_runs_and_scores() {
    let dir = tempfile::tempdir().unwrap();
    let challenges = write_challenges(&dir.path().join("arc-prize-2025"), "arc-agi_evaluation", &these_tasks(&SOLVED), true);
    let results = run_and_score(&challenges, &[], &dir.path().join("out"));
    assert!(results["tasks"].as_array().unwrap().iter().all(|t| t["split"] == "eval"), "the file's name gives the split");
}
