//! End-to-end runs of the real `batt` binary on real ARC tasks: task lines and summary,
//! submission.json contents, a broken solver, malformed data, a runaway script stopped by
//! -t, usage errors, and every shipped hand-written solver solving its task.

use std::fs;
use std::path::Path;

mod common;

use assert_cmd::Command;
use predicates::prelude::PredicateBooleanExt;
use serde_json::Value;

fn batt() -> Command {
    Command::cargo_bin("batt").unwrap()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// A copy of the shipped scripts folder, to break things in.
fn copy_scripts(to: &Path) {
    common::copy_dir(Path::new("scripts"), to);
}

fn task_lines(stdout: &str) -> Vec<&str> {
    stdout.lines().filter(|l| l.trim_start().split(' ').next().is_some_and(|w| w.contains('/') && w.chars().next().unwrap().is_ascii_digit())).collect()
}

#[test]
fn run_twenty_tasks_prints_lines_summary_and_a_complete_submission() {
    let out = tempfile::tempdir().unwrap();
    let assert = batt().args(["run", "-c", "20", "--timing", "--out"]).arg(out.path()).assert().success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert_eq!(task_lines(&stdout).len(), 20, "{stdout}");
    assert!(stdout.contains("tasks 20: 20 done"), "{stdout}");
    assert!(stdout.contains("test outputs correct: top-1"), "{stdout}");
    assert!(stdout.contains("timing: load"), "{stdout}");
    // the shipped loop searches, so --timing splits the searches' time too
    let search = stdout.lines().find(|l| l.starts_with("search (part of candidate evaluation): device ")).expect(&stdout);
    assert!(search.contains(" + transfers ") && search.contains(" + cpu evaluation ") && search.contains(" + host "), "{search}");

    let submission = read_json(&out.path().join("submission.json"));
    let submission = submission.as_object().unwrap();
    assert_eq!(submission.len(), 20);
    let results = read_json(&out.path().join("results.json"));
    let tasks = results["tasks"].as_array().unwrap();
    for (record, (id, entries)) in tasks.iter().zip(submission) {
        assert_eq!(record["id"].as_str().unwrap(), id, "same order in both files");
        let entries = entries.as_array().unwrap();
        assert_eq!(entries.len() as u64, record["test_count"].as_u64().unwrap(), "{id}");
        for e in entries {
            for key in ["attempt_1", "attempt_2"] {
                let grid = e[key].as_array().unwrap_or_else(|| panic!("{id} {key}"));
                assert!(!grid.is_empty() && grid.iter().all(|row| !row.as_array().unwrap().is_empty()));
            }
        }
    }
    // train-solved tasks wrong on the test: counted from the records, in the summary and printed
    let wrong = tasks
        .iter()
        .filter(|r| {
            let best = &r["best"][0];
            let train_exact = best["pairs"].as_u64().is_some_and(|p| p > 0 && best["pairs_exact"].as_u64() == Some(p));
            train_exact && r["predictions"].as_array().unwrap().iter().any(|p| p["correct_top2"] == false)
        })
        .count();
    assert_eq!(results["summary"]["train_solved_test_wrong"].as_u64(), Some(wrong as u64));
    assert!(stdout.contains(&format!("; {wrong} of them wrong on the test")), "{stdout}");
    // the timing parts add up to the total
    let t = &results["timing"];
    let parts: f64 = ["load_ms", "lua_ms", "engine_ms", "output_ms"].iter().map(|k| t[k].as_f64().unwrap()).sum();
    assert!((parts - t["total_ms"].as_f64().unwrap()).abs() < 0.01, "{t}");
}

#[test]
fn a_syntax_error_in_one_solver_is_reported_with_file_and_line_and_the_rest_run() {
    let dir = tempfile::tempdir().unwrap();
    let scripts = dir.path().join("scripts");
    copy_scripts(&scripts);
    fs::write(scripts.join("solvers/5582e5ca.lua"), "return function(input)\n  local x = = 1\nend\n").unwrap();
    let assert = batt()
        .arg("run")
        .arg(scripts.join("main.lua"))
        .args(["-i", "007bbfb7", "5582e5ca", "a740d043", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let broken = format!("{}:2:", scripts.join("solvers/5582e5ca.lua").display());
    let line = stdout.lines().find(|l| l.contains("5582e5ca")).unwrap();
    assert!(line.contains("error") && line.contains(&broken), "{line}");
    assert!(stdout.contains("tasks 3: 2 done, 1 errors"), "{stdout}");
    let results = read_json(&dir.path().join("out/results.json"));
    assert!(results["tasks"].as_array().unwrap().iter().any(|t| t["id"] == "5582e5ca" && t["error"].as_str().unwrap().contains(&broken)));
}

#[test]
fn malformed_tasks_are_reported_and_the_rest_run_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = read_json(Path::new("data/arc-agi-1.json"));
    let train = corpus["train"].as_object().unwrap();
    let mut bad = serde_json::Map::new();
    for (i, (id, task)) in train.iter().take(4).enumerate() {
        let mut task = task.clone();
        match i {
            1 => task["train"][0]["input"][1] = serde_json::json!([1]), // ragged rows
            2 => task["train"][1]["output"][0][0] = serde_json::json!(12), // colour 12
            _ => {}
        }
        bad.insert(id.clone(), task);
    }
    let ids: Vec<String> = bad.keys().cloned().collect();
    let path = dir.path().join("bad.json");
    fs::write(&path, serde_json::to_string(&serde_json::json!({"train": bad})).unwrap()).unwrap();

    let assert = batt().arg("run").arg("--data").arg(&path).arg("--out").arg(dir.path().join("out")).assert().success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(!stderr.contains("panicked") && !stdout.contains("panicked"));
    let file = path.display().to_string();
    let ragged = stdout.lines().find(|l| l.contains(&ids[1])).unwrap();
    assert!(ragged.contains("invalid") && ragged.contains(&format!("{file}: task {}: train pair 1: input: row 2 has 1 cells", ids[1])), "{ragged}");
    let colour = stdout.lines().find(|l| l.contains(&ids[2])).unwrap();
    assert!(colour.contains("invalid") && colour.contains(&format!("{file}: task {}: train pair 2: output: cell (row 1, column 1) is 12", ids[2])), "{colour}");
    assert!(stdout.contains("tasks 4: 2 done, 0 errors, 0 timeouts, 2 invalid"), "{stdout}");
    // every selected task is in the submission, the malformed ones too
    assert_eq!(read_json(&dir.path().join("out/submission.json")).as_object().unwrap().len(), 4);
}

#[test]
fn a_runaway_solver_is_stopped_by_the_time_limit_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let scripts = dir.path().join("scripts");
    copy_scripts(&scripts);
    fs::write(scripts.join("solvers/a740d043.lua"), "return function(input)\n  while true do end\nend\n").unwrap();
    let assert = batt()
        .arg("run")
        .arg(scripts.join("main.lua"))
        .args(["-i", "a740d043", "007bbfb7", "-t", "1", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let line = stdout.lines().find(|l| l.contains("a740d043")).unwrap();
    assert!(line.contains("timeout"), "{line}");
    let other = stdout.lines().find(|l| l.contains("007bbfb7")).unwrap();
    assert!(other.contains("done") && other.contains("test 1/1"), "{other}");
    assert!(stdout.contains("1 timeouts"), "{stdout}");
}

/// `-t` bounds a task's share of the batch search too: a task with 10,000 test inputs
/// (each rides along every candidate) stops searching once its share passes the limit, and
/// is a timeout that says how much of its time the search took.
#[test]
fn the_time_limit_covers_a_tasks_share_of_the_batch_search() {
    let dir = tempfile::tempdir().unwrap();
    let corpus: serde_json::Value = serde_json::from_slice(batt::data::dataset::EMBEDDED_ARC_AGI_1).unwrap();
    let train = corpus["train"]["007bbfb7"]["train"].clone();
    // 10,000 test inputs of 3x3 cells of colours 0 and 7, all different patterns in turn
    let tests: Vec<serde_json::Value> = (0..10_000u32)
        .map(|n| {
            let cell = |i: u32| if (n.wrapping_mul(2_654_435_761) >> (i + 7)) & 1 == 1 { 7 } else { 0 };
            serde_json::json!({"input": [[cell(0), cell(1), cell(2)], [cell(3), cell(4), cell(5)], [cell(6), cell(7), cell(8)]]})
        })
        .collect();
    let data = dir.path().join("many_tests.json");
    fs::write(&data, serde_json::json!({"train": train, "test": tests}).to_string()).unwrap();
    let assert = batt().arg("run").arg("--data").arg(&data).args(["-t", "1", "--backend", "cpu", "--out"]).arg(dir.path().join("out")).assert().success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let line = stdout.lines().find(|l| l.contains("many_tests")).unwrap();
    assert!(line.contains("timeout") && line.contains("of them its share of the batch search), over the -t limit of 1.0 s"), "{line}");
    assert!(stdout.contains("train-solved 0/1"), "{stdout}");
}

/// A task that found a solving candidate and then ran out of time is a timeout, not
/// solved; `-t 0` lifts the limit.
#[test]
fn a_task_that_times_out_is_not_counted_as_solved() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("late.lua");
    let solver = fs::canonicalize("scripts/solvers/007bbfb7.lua").unwrap();
    fs::write(
        &script,
        format!(
            "local solve = dofile({:?})\nfor task in batt.tasks() do\n  assert(task:score(\"solver\", solve).exact)\n  if batt.args[1] == \"loop\" then while true do end end\nend\n",
            solver.display().to_string()
        ),
    )
    .unwrap();
    let run = |args: &[&str]| {
        let out = dir.path().join("out");
        let assert = batt().arg("run").arg(&script).args(["-i", "007bbfb7", "--backend", "cpu", "--out"]).arg(&out).args(args).assert().success();
        String::from_utf8(assert.get_output().stdout.clone()).unwrap()
    };
    let late = run(&["-t", "0.5", "--", "loop"]);
    assert!(late.contains("1 timeouts") && late.contains("train-solved 0/1"), "{late}");
    let free = run(&["-t", "0"]);
    assert!(free.contains("0 timeouts") && free.contains("train-solved 1/1"), "{free}");
}

#[test]
fn usage_errors_are_clear_and_exit_2() {
    let out = tempfile::tempdir().unwrap();
    batt().args(["run", "-i", "nosuchid", "--out"]).arg(out.path()).assert().code(2).stderr(predicates::str::contains("task id(s) not found in arc-agi-1.json (embedded): nosuchid (`batt tasks` lists the ids there are)"));
    batt().args(["run", "missing.lua"]).assert().code(2).stderr(predicates::str::contains("script missing.lua not found"));
    batt().args(["run", "--data", "nowhere.json"]).assert().code(2).stderr(predicates::str::contains("cannot read data file nowhere.json"));
    batt().args(["run", "-t=-1"]).assert().code(2).stderr(predicates::str::contains("-t must be a positive number of seconds (or 0 for no limit)"));
}

#[test]
fn every_shipped_hand_written_solver_solves_its_task() {
    let mut ids: Vec<String> = fs::read_dir("scripts/solvers")
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension().is_some_and(|x| x == "lua")).then(|| p.file_stem().unwrap().to_string_lossy().into_owned())
        })
        .collect();
    ids.sort();
    assert!(ids.len() >= 10, "at least 10 hand-written solvers ship, found {}", ids.len());
    let out = tempfile::tempdir().unwrap();
    batt().args(["run", "-q", "--split", "all", "-i"]).args(&ids).arg("--out").arg(out.path()).assert().success();
    let results = read_json(&out.path().join("results.json"));
    let tasks = results["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), ids.len());
    for t in tasks {
        let id = t["id"].as_str().unwrap();
        let best = &t["best"][0];
        assert_eq!(best["name"], format!("solver:{id}"), "{id}: the hand-written solver ranks first");
        assert_eq!(best["pairs_exact"], best["pairs"], "{id}: solves every train pair");
        for p in t["predictions"].as_array().unwrap() {
            assert_eq!(p["sources"][0], format!("solver:{id}"), "{id}");
            assert_eq!(p["correct_top1"], true, "{id}: test output right on the first attempt");
        }
    }
}

#[test]
fn a_gpu_failure_mid_run_falls_back_to_the_cpu_under_auto_and_fails_under_gpu() {
    let dir = tempfile::tempdir().unwrap();
    let require = std::env::var("BATT_REQUIRE_GPU").is_ok_and(|v| v == "1");
    let probe = batt().arg("devices").output().unwrap();
    if !probe.status.success() {
        assert!(!require, "BATT_REQUIRE_GPU=1 but no Vulkan device");
        eprintln!("SKIPPED: no Vulkan device");
        return;
    }
    batt().args(["run", "-q", "-c", "6", "--backend", "cpu", "--out"]).arg(dir.path().join("cpu")).assert().success();
    let auto = batt()
        .env("BATT_GPU_FAIL_AFTER", "3")
        .args(["run", "-q", "-c", "6", "--backend", "auto", "--device", "0", "--out"])
        .arg(dir.path().join("auto"))
        .assert()
        .success();
    let stderr = String::from_utf8(auto.get_output().stderr.clone()).unwrap();
    assert_eq!(stderr.matches("warning: GPU failed (device lost (simulated by BATT_GPU_FAIL_AFTER=3))").count(), 1, "{stderr}");
    assert_eq!(
        fs::read(dir.path().join("auto/submission.json")).unwrap(),
        fs::read(dir.path().join("cpu/submission.json")).unwrap(),
        "the recomputed batches give the same answers"
    );
    batt()
        .env("BATT_GPU_FAIL_AFTER", "3")
        .args(["run", "-q", "-c", "6", "--backend", "gpu", "--out"])
        .arg(dir.path().join("gpu"))
        .assert()
        .failure()
        .stderr(predicates::str::contains("GPU evaluation failed"))
        .stderr(predicates::str::contains("device lost (simulated by BATT_GPU_FAIL_AFTER=3)"));
}

/// One engine batch per task (each task scores two programs on its train pairs), one task
/// at a time, so `BATT_GPU_FAIL_AFTER=N` fails the GPU in task N + 1.
const BATCH_PER_TASK_SCRIPT: &str = r#"
for task in batt.tasks() do
  local scores = task:score_programs({"rot90", "flip_updown"})
  local best = scores[1].cell_accuracy >= scores[2].cell_accuracy and "rot90" or "flip_updown"
  task:predict(1, task.test[1].input, nil, {best})
end
"#;

#[test]
fn a_device_out_of_memory_mid_run_falls_back_under_auto_and_stops_under_gpu_with_the_finished_tasks_written() {
    let dir = tempfile::tempdir().unwrap();
    let require = std::env::var("BATT_REQUIRE_GPU").is_ok_and(|v| v == "1");
    if !batt().arg("devices").output().unwrap().status.success() {
        assert!(!require, "BATT_REQUIRE_GPU=1 but no Vulkan device");
        eprintln!("SKIPPED: no Vulkan device");
        return;
    }
    let script = dir.path().join("per_task.lua");
    fs::write(&script, BATCH_PER_TASK_SCRIPT).unwrap();
    let run = |name: &str, backend: &str, fail: &str| {
        let mut cmd = batt();
        cmd.env("BATT_GPU_FAIL_AFTER", fail).arg("run").arg(&script).args(["-q", "-c", "5", "-j", "1", "--backend", backend]);
        if backend == "auto" {
            cmd.args(["--device", "0"]);
        }
        cmd.arg("--out").arg(dir.path().join(name)).assert()
    };
    let cpu = run("cpu", "cpu", "2:out_of_memory").success();
    assert!(String::from_utf8_lossy(&cpu.get_output().stderr).is_empty(), "the CPU backend never reads the setting");
    let auto = run("auto", "auto", "2:out_of_memory").success();
    let stderr = String::from_utf8(auto.get_output().stderr.clone()).unwrap();
    assert_eq!(stderr.matches("warning: GPU failed (out of GPU memory: simulated by BATT_GPU_FAIL_AFTER=2:out_of_memory)").count(), 1, "{stderr}");
    let submission = |name: &str| fs::read(dir.path().join(name).join("submission.json")).unwrap();
    assert_eq!(submission("auto"), submission("cpu"), "the batches after the failure are recomputed on the CPU, with the same answers");
    // under gpu: the third task's batch fails; the two finished tasks' records are written
    let gpu = run("gpu", "gpu", "2:out_of_memory").failure();
    let stderr = String::from_utf8(gpu.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("out of GPU memory: simulated by BATT_GPU_FAIL_AFTER=2:out_of_memory") && stderr.contains("the run stopped early"), "{stderr}");
    let results = read_json(&dir.path().join("gpu/results.json"));
    let tasks = results["tasks"].as_array().unwrap();
    let finished: Vec<&Value> = tasks.iter().filter(|t| t["status"] == "done").collect();
    assert_eq!(finished.len(), 2, "{results}");
    for t in tasks.iter().filter(|t| t["status"] != "done") {
        assert!(t["status"] == "error" && t["error"].as_str().is_some_and(|e| e.contains("out of GPU memory")), "the others say why: {t}");
    }
    let cpu_results = read_json(&dir.path().join("cpu/results.json"));
    for t in finished {
        let same = cpu_results["tasks"].as_array().unwrap().iter().find(|c| c["id"] == t["id"]).unwrap();
        assert_eq!(t["predictions"], same["predictions"], "a finished task's record is the CPU's");
    }
    // a setting batt cannot read is an error naming it under gpu
    run("bad", "gpu", "soon").failure().stderr(predicates::str::contains("bad setting: BATT_GPU_FAIL_AFTER=soon is not N, N:device_lost or N:out_of_memory"));
    // so are the limits' settings, under auto too (on the named device)
    for (name, value) in [("BATT_GPU_MAX_BUFFER", "128MiB"), ("BATT_GPU_MEMORY_LIMIT", "-1"), ("BATT_GPU_WORKGROUP_SIZE", "many")] {
        for backend in ["gpu", "auto"] {
            batt()
                .env(name, value)
                .arg("run")
                .arg(&script)
                .args(["-q", "-c", "1", "--backend", backend, "--device", "0", "--out"])
                .arg(dir.path().join("bad-limit"))
                .assert()
                .code(2)
                .stderr(predicates::str::contains(format!("bad setting: {name}={value} is not a whole number")).and(predicates::str::contains("correct or unset the variable it names")));
        }
    }
}

#[test]
fn a_device_that_does_not_exist_is_an_error_naming_the_devices() {
    let out = tempfile::tempdir().unwrap();
    let run = batt().args(["run", "-q", "-c", "1", "--device", "no-such-gpu", "--out"]).arg(out.path()).assert().failure();
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("error: no usable Vulkan device: "), "{stderr}");
    if std::env::var("BATT_REQUIRE_GPU").is_ok_and(|v| v == "1") {
        // with a Vulkan loader and device present, the message lists the devices there are
        assert!(stderr.contains("--device no-such-gpu: no such Vulkan device (devices: [0] "), "{stderr}");
    }
}

#[test]
fn the_shipped_example_scripts_run() {
    let out = tempfile::tempdir().unwrap();
    for (script, expect) in [
        ("examples/minimal_loop.lua", "tasks 3: 3 done"),
        ("examples/compare_wirings.lua", "train-solved: wiring A"),
        ("examples/sweep_batch_sizes.lua", "batch"),
    ] {
        let assert = batt().args(["run", script, "-c", "3", "--backend", "cpu", "--out"]).arg(out.path()).assert().success();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&assert.get_output().stdout),
            String::from_utf8_lossy(&assert.get_output().stderr)
        );
        assert!(all.contains(expect), "{script}: {all}");
        assert!(!all.contains("traceback") && !all.contains("error:"), "{script}: {all}");
    }
    // the search benchmark times both backends (a Vulkan device is needed: lavapipe here)
    let bench = batt()
        .args(["run", "examples/search_bench.lua", "--split", "eval", "-c", "4", "-q", "--backend", "gpu", "--out"])
        .arg(out.path())
        .args(["--", "depth=2", "rounds=1"])
        .output()
        .unwrap();
    let stdout = format!("{}{}", String::from_utf8_lossy(&bench.stdout), String::from_utf8_lossy(&bench.stderr));
    if std::env::var("BATT_REQUIRE_GPU").is_ok_and(|v| v == "1") || bench.status.success() {
        assert!(bench.status.success(), "{stdout}");
        assert_eq!(stdout.matches("M candidates/s").count(), 2, "{stdout}");
    }
}

/// docs/engine.md's op table is `batt ops --markdown`: generated from the op table, never edited
/// by hand. `batt ops` lists every op with how it is written.
#[test]
fn the_guide_op_table_is_the_generated_one() {
    let generated = batt().args(["ops", "--markdown"]).assert().success().get_output().stdout.clone();
    let generated = String::from_utf8(generated).unwrap();
    let readme = fs::read_to_string("docs/engine.md").unwrap();
    let begin = readme.find("<!-- op-table:begin").expect("docs/engine.md has the op-table:begin marker");
    let body = &readme[begin..];
    let body = &body[body.find('\n').unwrap() + 1..];
    let in_readme = &body[..body.find("<!-- op-table:end -->").expect("docs/engine.md has the op-table:end marker")];
    assert_eq!(in_readme, generated, "docs/engine.md's op table is stale: replace it with the output of `batt ops --markdown`");
    assert_eq!(generated.lines().count(), 2 + batt::engine::program::Op::ALL.len() + 2, "header, one row per op, a blank line, the totals");
    assert!(generated.trim_end().ends_with("count once)."), "the totals line closes the table");

    let listing = batt().arg("ops").assert().success().get_output().stdout.clone();
    let listing = String::from_utf8(listing).unwrap();
    for text in ["tile(down 1-4 x across 1-4)", "half(top/bottom/left/right)", "recolor(from -> to)", "permute(10 colours)"] {
        assert!(listing.contains(text), "{text} in:\n{listing}");
    }
}

/// Searches every task exhaustively to depth 3 over 16 steps spread through its shipped
/// alphabet (all tasks together through batt.search_all), logs the programs found with
/// their scores and the search stats, and predicts with the best.
const DEPTH_3_SCRIPT: &str = r#"
local programs = require("programs")
local function alphabet(task)
  local all, few = programs.steps(task), {}
  local stride = math.max(1, math.floor(#all / 16))
  for i = 1, #all, stride do
    if #few < 16 then few[#few + 1] = all[i] end
  end
  return few
end
local summary = batt.search_all{ops = alphabet, depth = 3, keep = 8}
assert(summary.tasks == batt.task_count(), "every task searched")
for task in batt.tasks() do
  local found, stats = task:search{ops = alphabet(task), depth = 3, keep = 8}
  local names = {}
  for i, f in ipairs(found) do
    names[i] = ("%s=%d/%.9f"):format(f.name, f.pairs_exact, f.cell_accuracy)
  end
  task:log(table.concat(names, ", "), stats.kept, stats.duplicates, stats.evaluated)
  for i, case in ipairs(task.test) do
    local program = found[1] and found[1].program or "identity"
    local out = batt.eval({program}, {case.input}, nil, {outputs = true})[1][1].output
    task:predict(i, out or case.input)
  end
end
"#;

/// Each task's log lines in a results.json.
fn task_logs(results: &Value) -> Vec<(String, Value)> {
    results["tasks"].as_array().unwrap().iter().map(|t| (t["id"].as_str().unwrap().to_string(), t["log"].clone())).collect()
}

fn run_depth_3(dir: &Path, name: &str, backend: &str, env: &[(&str, &str)]) -> std::process::Output {
    let script = dir.join("scripts/depth3.lua");
    if !script.exists() {
        copy_scripts(&dir.join("scripts"));
        fs::write(&script, DEPTH_3_SCRIPT).unwrap();
    }
    let mut cmd = batt();
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.args(["run", "-q", "--split", "eval", "-c", "40", "--backend", backend]).arg(&script).arg("--out").arg(dir.join(name));
    if backend == "auto" {
        cmd.args(["--device", "0"]);
    }
    cmd.output().unwrap()
}

#[test]
fn exhaustive_depth_3_finds_the_same_programs_on_gpu_and_cpu_even_in_chunks() {
    let dir = tempfile::tempdir().unwrap();
    let require = std::env::var("BATT_REQUIRE_GPU").is_ok_and(|v| v == "1");
    let cpu = run_depth_3(dir.path(), "cpu", "cpu", &[]);
    assert!(cpu.status.success(), "{}", String::from_utf8_lossy(&cpu.stderr));
    let gpu = run_depth_3(dir.path(), "gpu", "gpu", &[]);
    if !gpu.status.success() {
        assert!(!require, "BATT_REQUIRE_GPU=1 but --backend gpu failed: {}", String::from_utf8_lossy(&gpu.stderr));
        eprintln!("SKIPPED: no Vulkan device ({})", String::from_utf8_lossy(&gpu.stderr));
        return;
    }
    let cpu_results = read_json(&dir.path().join("cpu/results.json"));
    for t in cpu_results["tasks"].as_array().unwrap() {
        assert_eq!(t["search"]["alphabet"], 16, "each task's alphabet size is in results.json: {}", t["search"]);
        assert_eq!(t["search"]["depth"], 3);
    }
    let logs = task_logs(&cpu_results);
    assert_eq!(logs.len(), 40);
    assert!(logs.iter().all(|(_, log)| log.as_array().is_some_and(|l| l.len() == 1)), "one line per task: {logs:?}");
    let submission = fs::read(dir.path().join("cpu/submission.json")).unwrap();
    let same = |name: &str| {
        assert_eq!(task_logs(&read_json(&dir.path().join(name).join("results.json"))), logs, "{name}: programs found");
        assert!(fs::read(dir.path().join(name).join("submission.json")).unwrap() == submission, "{name}: submission.json differs");
    };
    same("gpu");
    // A device memory limit that holds one task's frontier but not all of them: the batch
    // is split by tasks, with the same answers.
    let chunked = run_depth_3(dir.path(), "chunked", "gpu", &[("BATT_GPU_MEMORY_LIMIT", "4000000")]);
    assert!(chunked.status.success(), "{}", String::from_utf8_lossy(&chunked.stderr));
    same("chunked");
    // A storage buffer of 4 MiB (lavapipe's is 128 MiB): levels expand in chunks and
    // batches split so that no buffer spans more, under --backend gpu, with the same answers.
    let small_buffers = run_depth_3(dir.path(), "small_buffers", "gpu", &[("BATT_GPU_MAX_BUFFER", "4194304")]);
    assert!(small_buffers.status.success(), "{}", String::from_utf8_lossy(&small_buffers.stderr));
    same("small_buffers");
    // Few search threads of an odd workgroup size (the knobs of docs/search.md): each thread
    // takes many items in turn (the grid-stride loop a large device takes past 65,535
    // workgroups), with the same answers.
    let capped = run_depth_3(dir.path(), "capped", "gpu", &[("BATT_SEARCH_WORKGROUPS", "3"), ("BATT_SEARCH_CELL_WORKGROUPS", "2"), ("BATT_SEARCH_WORKGROUP_SIZE", "16")]);
    assert!(capped.status.success(), "{}", String::from_utf8_lossy(&capped.stderr));
    same("capped");
    // A limit no task fits: under auto the search falls back to the CPU, same answers.
    let tiny = run_depth_3(dir.path(), "tiny", "auto", &[("BATT_GPU_MEMORY_LIMIT", "100000")]);
    assert!(tiny.status.success(), "{}", String::from_utf8_lossy(&tiny.stderr));
    let stderr = String::from_utf8_lossy(&tiny.stderr);
    assert!(stderr.contains("warning: GPU failed (out of GPU memory"), "{stderr}");
    same("tiny");
}

/// Evaluates many programs on many train inputs with their outputs (a cross batch and a
/// batch of items) and prints a checksum of every output: under a storage-buffer limit of
/// 256 KiB (289 output grids a flush) both run as several flushes.
const MANY_OUTPUTS_SCRIPT: &str = r#"
local programs = {}
for _, op in ipairs(batt.ops()) do
  if #op.params == 0 then programs[#programs + 1] = op.name end
end
programs[#programs + 1] = "recolor(0->3) | rot90"
local inputs = {}
for task in batt.tasks() do
  for _, pair in ipairs(task.train) do inputs[#inputs + 1] = pair.input end
end
local function checksum(g)
  if not g then return "none" end
  local sum = g.rows * 31 + g.cols
  for r = 1, g.rows do for c = 1, g.cols do sum = (sum * 7 + g:get(r, c) + r * c) % 1000000007 end end
  return tostring(sum)
end
local cross = batt.eval(programs, inputs, nil, {outputs = true})
local sums = {}
for p = 1, #programs do
  for i = 1, #inputs do sums[#sums + 1] = checksum(cross[p][i].output) end
end
local batch = batt.batch({outputs = true, size = 100000})
local handles = {}
for p = 1, #programs do
  for i = 1, #inputs do handles[#handles + 1] = batch:add(programs[p], inputs[i], inputs[1]) end
end
batch:flush()
for _, h in ipairs(handles) do
  local exact, cells = h:score()
  sums[#sums + 1] = tostring(exact) .. "/" .. cells .. "/" .. checksum(h:output())
end
print(#programs * #inputs, table.concat(sums, ","))
"#;

#[test]
fn evaluation_batches_larger_than_one_storage_buffer_run_as_several_flushes() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("many.lua");
    fs::write(&script, MANY_OUTPUTS_SCRIPT).unwrap();
    let run = |backend: &str, env: &[(&str, &str)]| {
        let mut cmd = batt();
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.args(["run", "-q", "--split", "eval", "-c", "12", "-j", "1", "--backend", backend]).arg(&script).arg("--out").arg(dir.path().join(backend)).output().unwrap();
        // the script's print (a count, a tab, the checksums), wherever the run sends it
        let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
        let printed = text.lines().find(|l| l.contains('\t')).unwrap_or_default().to_string();
        (out.status.success(), printed, String::from_utf8_lossy(&out.stderr).to_string())
    };
    let (ok, cpu, err) = run("cpu", &[]);
    assert!(ok, "{err}");
    let count: usize = cpu.split_whitespace().next().and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("no count printed: {cpu:?} {err}"));
    assert!(count > 2 * 289, "more outputs than two flushes hold: {count}");
    let (ok, gpu, err) = run("gpu", &[("BATT_GPU_MAX_BUFFER", "262144")]);
    let require = std::env::var("BATT_REQUIRE_GPU").is_ok_and(|v| v == "1");
    if !ok {
        assert!(!require, "BATT_REQUIRE_GPU=1 but --backend gpu failed: {err}");
        eprintln!("SKIPPED: no Vulkan device ({err})");
        return;
    }
    assert!(gpu == cpu, "outputs differ between the CPU and the GPU under a 256 KiB buffer limit");
}

#[test]
fn output_into_a_pipe_closed_early_ends_quietly() {
    use std::io::Read;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("batt"))
        .arg("ops")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away before batt writes a line
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// A task only an overlay of two programs solves: the output is the input where it is
/// non-zero, and its quarter turn elsewhere (square grids of several sizes).
const OVERLAY_TASK: &str = r#"{"overlay_task": {"train": [
 {"input": [[1,4,0,1],[0,0,0,3],[0,0,0,0],[0,0,0,0]], "output": [[1,4,0,1],[0,0,0,3],[0,0,0,0],[0,0,3,1]]},
 {"input": [[0,0,0,0,0],[1,0,6,0,0],[0,0,0,0,0],[0,0,0,0,0],[2,0,0,6,0]], "output": [[2,0,0,1,0],[1,0,6,0,0],[0,0,0,6,0],[6,0,0,0,0],[2,0,0,6,0]]},
 {"input": [[0,0,0,0,3],[6,0,0,0,4],[0,0,0,0,0],[0,0,0,0,0],[1,6,1,0,0]], "output": [[1,0,0,6,3],[6,0,0,0,4],[1,0,0,0,0],[0,0,0,0,0],[1,6,1,4,3]]}],
 "test": [{"input": [[0,0,0,0,0,0],[0,0,0,6,0,0],[0,3,0,0,0,0],[0,0,6,0,0,0],[0,0,1,4,0,0],[0,2,0,0,0,0]],
           "output": [[0,0,0,0,0,0],[2,0,0,6,0,0],[0,3,6,0,0,0],[0,4,6,0,6,0],[0,0,1,4,0,0],[0,2,0,0,0,0]]}]}}"#;

/// Runs the shipped loop (`--backend cpu`) on a data file holding one task, once with the
/// script arguments `args` and once with none: the first test input's prediction of each
/// (results.json), as (with `args`, with the defaults).
fn first_predictions_with_and_without(task_json: &str, args: &[&str]) -> (Value, Value) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("task.json");
    fs::write(&data, task_json).unwrap();
    let run = |name: &str, args: &[&str]| {
        let out = dir.path().join(name);
        batt().args(["run", "-q", "--backend", "cpu", "--data"]).arg(&data).arg("--out").arg(&out).arg("--").args(args).assert().success();
        read_json(&out.join("results.json"))["tasks"][0]["predictions"][0].clone()
    };
    (run("with_args", args), run("defaults", &[]))
}

#[test]
fn a_task_only_a_two_layer_overlay_solves_is_solved_by_the_shipped_loop() {
    let (without, with) = first_predictions_with_and_without(OVERLAY_TASK, &["pieces=0"]);
    assert_eq!(without["correct_top2"], false, "no single program solves it: {without}");
    assert_eq!(with["correct_top1"], true, "{with}");
    let source = with["sources"][0].as_str().unwrap();
    assert!(source.starts_with("overlay(") && source.matches(" as ").count() == 2, "{source}");
    // its terms in the ranking: exact, two layers, each of at least one step
    let terms = &with["terms"][0];
    assert_eq!((terms["exact"].as_bool(), terms["layers"].as_u64()), (Some(true), Some(2)), "{with}");
    assert!(terms["steps"].as_u64().is_some_and(|s| s >= 1) && terms["rank"].as_u64().is_some_and(|r| r >= 1), "{with}");
}

/// A task only an outer product solves: the output is 3x3 blocks, each the input's 3x3
/// pattern (cropped out of a larger blank grid) turned a quarter, or blank where the
/// pattern's cell is 0.
const PRODUCT_TASK: &str = r#"{"product_task":{"train":[{"input":[[0,0,0,0,0,0],[0,0,1,0,2,0],[0,0,0,3,0,0],[0,0,0,0,3,0],[0,0,0,0,0,0]],"output":[[0,0,1,0,0,0,0,0,1],[0,3,0,0,0,0,0,3,0],[3,0,2,0,0,0,3,0,2],[0,0,0,0,0,1,0,0,0],[0,0,0,0,3,0,0,0,0],[0,0,0,3,0,2,0,0,0],[0,0,0,0,0,0,0,0,1],[0,0,0,0,0,0,0,3,0],[0,0,0,0,0,0,3,0,2]]},{"input":[[0,0,0,0,0],[0,0,0,0,0],[0,4,4,0,0],[0,0,0,6,0],[0,6,0,0,0],[0,0,0,0,0]],"output":[[6,0,4,6,0,4,0,0,0],[0,0,4,0,0,4,0,0,0],[0,6,0,0,6,0,0,0,0],[0,0,0,0,0,0,6,0,4],[0,0,0,0,0,0,0,0,4],[0,0,0,0,0,0,0,6,0],[6,0,4,0,0,0,0,0,0],[0,0,4,0,0,0,0,0,0],[0,6,0,0,0,0,0,0,0]]},{"input":[[0,7,0,0,0],[8,0,0,0,0],[0,8,8,0,0],[0,0,0,0,0],[0,0,0,0,0]],"output":[[0,0,0,0,8,0,0,0,0],[0,0,0,8,0,7,0,0,0],[0,0,0,8,0,0,0,0,0],[0,8,0,0,0,0,0,0,0],[8,0,7,0,0,0,0,0,0],[8,0,0,0,0,0,0,0,0],[0,0,0,0,8,0,0,8,0],[0,0,0,8,0,7,8,0,7],[0,0,0,8,0,0,8,0,0]]}],"test":[{"input":[[0,0,0,0,0,0],[0,0,0,0,0,0],[0,0,0,0,0,0],[0,0,5,0,0,0],[0,0,0,0,9,0],[0,0,2,2,0,0]],"output":[[2,0,5,0,0,0,0,0,0],[2,0,0,0,0,0,0,0,0],[0,9,0,0,0,0,0,0,0],[0,0,0,0,0,0,2,0,5],[0,0,0,0,0,0,2,0,0],[0,0,0,0,0,0,0,9,0],[2,0,5,2,0,5,0,0,0],[2,0,0,2,0,0,0,0,0],[0,9,0,0,9,0,0,0,0]]}]}}"#;

#[test]
fn a_task_only_an_outer_product_solves_is_solved_by_the_shipped_loop() {
    let (without, with) = first_predictions_with_and_without(PRODUCT_TASK, &["products=0"]);
    assert_eq!(without["correct_top2"], false, "nothing else solves it: {without}");
    assert_eq!(with["correct_top1"], true, "{with}");
    let source = with["sources"][0].as_str().unwrap();
    assert!(source.starts_with("outer product (copies, blocks of 3x3): layout crop_content"), "{source}");
}

/// A task only the colour-normalised search solves: each pair swaps its two colours (the
/// commoner and the rarer), different colours in every pair.
const SWAP_TASK: &str = r#"{"swap_task": {"train": [
 {"input": [[3,3,0],[3,4,0]], "output": [[4,4,0],[4,3,0]]},
 {"input": [[0,6,6],[2,0,6]], "output": [[0,2,2],[6,0,2]]},
 {"input": [[7,0,8],[7,7,0]], "output": [[8,0,7],[8,8,0]]}],
 "test": [{"input": [[5,1,5],[0,5,0]], "output": [[1,5,1],[0,1,0]]}]}}"#;

/// A script that predicts each task with the first result of one search.
const FIRST_RESULT_SCRIPT: &str = r#"
local variants = {}
for _, a in ipairs(batt.args) do variants[#variants + 1] = a end
for task in batt.tasks() do
  local found = task:search{ops = function(t) return {"rot90", "flip_updown", "permute(0213456789)"} end, depth = 1, keep = 5, variants = variants}
  local attempts, names = {}, {}
  for _, f in ipairs(found) do
    if f.exact then attempts[#attempts + 1] = f.test_outputs[1]; names[#names + 1] = f.name end
  end
  task:predict(1, attempts[1], nil, names)
end
"#;

#[test]
fn a_normalised_search_answers_in_the_task_s_own_colours() {
    let dir = tempfile::tempdir().unwrap();
    let (data, script) = (dir.path().join("swap.json"), dir.path().join("first.lua"));
    fs::write(&data, SWAP_TASK).unwrap();
    fs::write(&script, FIRST_RESULT_SCRIPT).unwrap();
    let run = |name: &str, args: &[&str]| {
        let out = dir.path().join(name);
        batt().arg("run").arg(&script).args(["-q", "--backend", "cpu", "--data"]).arg(&data).arg("--out").arg(&out).arg("--").args(args).assert().success();
        read_json(&out.join("results.json"))["tasks"][0]["predictions"][0].clone()
    };
    let plain = run("plain", &[]);
    assert_eq!(plain["correct_top1"], false, "no program is exact on the task's own colours: {plain}");
    let normalised = run("normalised", &["normalised", "transposed"]);
    assert_eq!(normalised["correct_top1"], true, "{normalised}");
    assert_eq!(normalised["sources"][0], "normalised: permute(0213456789)", "{normalised}");
    // an unknown variant is an error that names the known ones
    let out = dir.path().join("bad");
    let assert = batt().arg("run").arg(&script).args(["-q", "--backend", "cpu", "--data"]).arg(&data).arg("--out").arg(&out).args(["--", "sideways"]).assert();
    let text = String::from_utf8(assert.get_output().stdout.clone()).unwrap() + &String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(text.contains("unknown search variant `sideways` (known: normalised, shaped, transposed)"), "{text}");
}

/// The sample run in README.md's quick start is what the command prints today (times,
/// the wall time and the engine line aside), so it cannot go stale.
#[test]
fn readme_sample_run_is_what_batt_prints() {
    let readme = fs::read_to_string("README.md").unwrap();
    let command = "$ cargo run --release -- run -c 20 --backend cpu\n";
    let start = readme.find(command).expect("README.md shows the sample command") + command.len();
    let block = &readme[start..start + readme[start..].find("```").unwrap()];
    let out = tempfile::tempdir().unwrap();
    let run = batt().args(["run", "-c", "20", "--backend", "cpu", "--out"]).arg(out.path()).assert().success();
    let stdout = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    // a line without its times: every "<number> ms" and "<number> s" word pair dropped
    let untimed = |line: &str| -> String {
        let words: Vec<&str> = line.split_whitespace().collect();
        let timed = |i: usize| matches!(words.get(i + 1), Some(&"ms") | Some(&"s")) && words[i].parse::<f64>().is_ok();
        (0..words.len()).filter(|&i| !(timed(i) || i > 0 && timed(i - 1))).map(|i| words[i]).collect::<Vec<_>>().join(" ")
    };
    let printed: Vec<String> = stdout.lines().map(untimed).collect();
    let mut shown = 0;
    for line in block.lines().filter(|l| *l != "..." && !l.starts_with("engine: ") && !l.starts_with("wrote ")) {
        assert!(printed.contains(&untimed(line)), "README.md shows a line batt no longer prints:\n{line}\nbatt printed:\n{stdout}");
        shown += 1;
    }
    assert!(shown >= 6, "the sample shows task lines and the summary");
    assert!(stdout.lines().any(|l| l.starts_with("engine: cpu (rayon, ")), "{stdout}");
}
