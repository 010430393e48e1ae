//! The task loop on several workers (`-j N`), through the real binary: the same
//! submission.json, task lines and results (apart from times and engine counters) for
//! every N on both backends, a runaway task stopped by -t while the other workers go on,
//! Ctrl-C leaving whole output files, and a broken script reported once.

use std::fs;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;

fn batt() -> Command {
    Command::cargo_bin("batt").unwrap()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// The task lines of a run's stdout, each without its time ("12.3 ms").
fn task_lines(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| l.trim_start().split(' ').next().is_some_and(|w| w.contains('/') && w.chars().next().unwrap().is_ascii_digit()))
        .map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            let timed = |i: usize| words.get(i + 1) == Some(&"ms") && words[i].parse::<f64>().is_ok();
            let kept: Vec<&str> = (0..words.len()).filter(|&i| !(timed(i) || i > 0 && words[i] == "ms" && timed(i - 1))).map(|i| words[i]).collect();
            kept.join(" ")
        })
        .collect()
}

/// results.json without what may differ between worker counts: times, engine counters
/// (how the workers' batches met) and the worker count itself.
/// results.json without what differs from run to run by nature: times, engine counters
/// and the run's provenance (its command line, start time).
fn without_times(mut v: Value) -> Value {
    if let Value::Object(map) = &mut v {
        map.remove("provenance");
    }
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                map.retain(|k, _| !(k == "ms" || k.ends_with("_ms") || k == "timing" || k == "engine" || k == "seconds"));
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut v);
    v
}

/// Writes `source` as `name` in `dir` and runs it on the first `count` eval tasks with
/// `jobs` workers on the CPU, plus `flags`; the outputs go to `dir/out`.
fn run_on_eval(dir: &Path, name: &str, source: &str, count: &str, jobs: &str, flags: &[&str]) -> assert_cmd::assert::Assert {
    let script = dir.join(name);
    fs::write(&script, source).unwrap();
    batt()
        .arg("run")
        .arg(&script)
        .args(["--split", "eval", "-c", count, "-j", jobs, "--backend", "cpu"])
        .args(flags)
        .arg("--out")
        .arg(dir.join("out"))
        .assert()
}

/// The shipped loop (at depth 1, to keep software Vulkan's time in bounds) on 60 evaluation
/// tasks with 1, 2 and 7 workers, on the CPU and on the GPU: one submission.json, byte for
/// byte; per backend the same task lines in the same order and the same results.json apart
/// from times and engine counters.
#[test]
fn every_worker_count_on_either_backend_writes_the_same_submission() {
    let dir = tempfile::tempdir().unwrap();
    let require = std::env::var("BATT_REQUIRE_GPU").is_ok_and(|v| v == "1");
    let mut reference: Option<Vec<u8>> = None;
    for backend in ["cpu", "gpu"] {
        let mut first: Option<(Vec<String>, Value)> = None;
        for jobs in ["1", "2", "7"] {
            let out = dir.path().join(format!("{backend}-{jobs}"));
            let run = batt()
                .args(["run", "--split", "eval", "-c", "60", "--backend", backend, "-j", jobs, "--out"])
                .arg(&out)
                .args(["--", "depth=1"])
                .output()
                .unwrap();
            if backend == "gpu" && !run.status.success() {
                assert!(!require, "BATT_REQUIRE_GPU=1 but --backend gpu failed: {}", String::from_utf8_lossy(&run.stderr));
                eprintln!("SKIPPED (gpu): no Vulkan device ({})", String::from_utf8_lossy(&run.stderr));
                return;
            }
            assert!(run.status.success(), "{backend} -j {jobs}: {}", String::from_utf8_lossy(&run.stderr));
            let submission = fs::read(out.join("submission.json")).unwrap();
            match &reference {
                None => reference = Some(submission),
                Some(r) => assert!(*r == submission, "submission.json of --backend {backend} -j {jobs} differs from --backend cpu -j 1"),
            }
            let lines = task_lines(&String::from_utf8(run.stdout).unwrap());
            assert_eq!(lines.len(), 60);
            let results = without_times(read_json(&out.join("results.json")));
            match &first {
                None => first = Some((lines, results)),
                Some((l, r)) => {
                    assert_eq!(*l, lines, "task lines of --backend {backend} -j {jobs}");
                    assert!(*r == results, "results.json of --backend {backend} -j {jobs} differs beyond times and engine counters");
                }
            }
        }
    }
}

/// The shipped loop at its default settings (every op of the default alphabet, depth 2):
/// the GPU with 7 workers writes the submission the CPU writes with one.
#[test]
fn the_default_loop_on_the_gpu_with_workers_writes_the_cpu_s_submission() {
    let dir = tempfile::tempdir().unwrap();
    let require = std::env::var("BATT_REQUIRE_GPU").is_ok_and(|v| v == "1");
    let gpu = batt().args(["run", "-q", "--split", "eval", "-c", "50", "--backend", "gpu", "-j", "7", "--out"]).arg(dir.path().join("gpu")).output().unwrap();
    if !gpu.status.success() {
        assert!(!require, "BATT_REQUIRE_GPU=1 but --backend gpu failed: {}", String::from_utf8_lossy(&gpu.stderr));
        eprintln!("SKIPPED: no Vulkan device ({})", String::from_utf8_lossy(&gpu.stderr));
        return;
    }
    assert!(String::from_utf8_lossy(&gpu.stdout).contains("engine: vulkan: "));
    batt().args(["run", "-q", "--split", "eval", "-c", "50", "--backend", "cpu", "-j", "1", "--out"]).arg(dir.path().join("cpu")).assert().success();
    let a = fs::read(dir.path().join("gpu/submission.json")).unwrap();
    let b = fs::read(dir.path().join("cpu/submission.json")).unwrap();
    assert!(a == b, "submission.json differs between --backend gpu -j 7 and --backend cpu -j 1");
}

#[test]
fn a_runaway_task_is_stopped_by_the_time_limit_while_the_other_workers_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_on_eval(
        dir.path(),
        "loop.lua",
        r#"
        for task in batt.tasks() do
          if task.id == "c658a4bd" then while true do end end
          task:predict(1, task.test[1].input)
        end
        "#,
        "12",
        "3",
        &["-t", "1"],
    )
    .success();
    let stdout = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    let lines = task_lines(&stdout);
    assert_eq!(lines.len(), 12, "{stdout}");
    assert_eq!(lines.iter().filter(|l| l.contains(" timeout ")).count(), 1, "{stdout}");
    assert!(lines.iter().find(|l| l.contains("c658a4bd")).unwrap().contains("timeout"), "{stdout}");
    assert_eq!(lines.iter().filter(|l| l.contains(" done ")).count(), 11, "{stdout}");
    let results = read_json(&dir.path().join("out/results.json"));
    assert_eq!(results["timing"]["workers"], 3);
}

#[test]
fn ctrl_c_with_several_workers_leaves_whole_files_and_the_unfinished_tasks_not_run() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("slow.lua");
    // each task takes about half a second of Lua
    fs::write(
        &script,
        r#"
        for task in batt.tasks() do
          local until_ = batt.now() + 0.5
          while batt.now() < until_ do end
          task:predict(1, task.test[1].input)
        end
        "#,
    )
    .unwrap();
    let out = dir.path().join("out");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("batt"))
        .arg("run")
        .arg(&script)
        .args(["--split", "eval", "-c", "40", "-j", "3", "--backend", "cpu", "--out"])
        .arg(&out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // let a few tasks finish, then interrupt
    std::thread::sleep(Duration::from_millis(2000));
    let status = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let code = loop {
        if let Some(code) = child.try_wait().unwrap() {
            break code;
        }
        assert!(Instant::now() < deadline, "batt run did not stop after SIGINT");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(code.code(), Some(130));
    let results = read_json(&out.join("results.json"));
    let tasks = results["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 40);
    let done = tasks.iter().filter(|t| t["status"] == "done").count();
    let not_run = tasks.iter().filter(|t| t["status"] == "not_run").count();
    assert!((1..40).contains(&done), "{done} done");
    assert_eq!(done + not_run, 40, "every task is done or not run");
    let submission = read_json(&out.join("submission.json"));
    assert_eq!(submission.as_object().unwrap().len(), 40);
}

#[test]
fn a_broken_script_is_reported_once_with_file_and_line_however_many_workers() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_on_eval(dir.path(), "broken.lua", "for task in batt.tasks() do\n  local x = = 1\nend\n", "8", "4", &[]).code(1);
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert_eq!(stderr.matches("broken.lua:2:").count(), 2, "once in the report, once in the closing line: {stderr}");
    assert_eq!(stderr.matches("script error: ").count(), 1, "{stderr}");
}

/// A task's log lines come in selection order, whichever worker finishes first: here the
/// early tasks take longest, so later tasks finish before them.
#[test]
fn log_lines_come_in_selection_order_whatever_order_the_workers_finish_in() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_on_eval(
        dir.path(),
        "logs.lua",
        r#"
        for task in batt.tasks() do
          local until_ = batt.now() + 0.05 * (10 - task.index)
          while batt.now() < until_ do end
          print("from " .. task.index)
          task:predict(1, task.test[1].input)
        end
        "#,
        "9",
        "3",
        &[],
    )
    .success();
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    let order: Vec<usize> = stderr.lines().filter_map(|l| l.split("] from ").nth(1)).map(|n| n.trim().parse().unwrap()).collect();
    assert_eq!(order, (1..=9).collect::<Vec<_>>(), "{stderr}");
    let results = read_json(&dir.path().join("out/results.json"));
    for (i, task) in results["tasks"].as_array().unwrap().iter().enumerate() {
        assert_eq!(task["log"][0], format!("from {}", i + 1));
    }
}

/// An error in code after the loop ends only its worker: the others finish their tasks.
#[test]
fn an_error_after_the_loop_in_one_worker_lets_the_others_finish() {
    let dir = tempfile::tempdir().unwrap();
    // task 1 is slow: the other worker runs out of tasks and fails first
    let run = run_on_eval(
        dir.path(),
        "after.lua",
        r#"
        for task in batt.tasks() do
          local until_ = batt.now() + (task.index == 1 and 1.0 or 0.01)
          while batt.now() < until_ do end
          task:predict(1, task.test[1].input)
        end
        error("summary failed")
        "#,
        "4",
        "2",
        &[],
    )
    .code(1);
    let stdout = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert_eq!(task_lines(&stdout).iter().filter(|l| l.contains(" done ")).count(), 4, "{stdout}");
    assert!(stderr.contains("the script failed after its last task"), "{stderr}");
    assert_eq!(stderr.matches("summary failed").count(), 2, "reported once, and in the closing line: {stderr}");
}
