//! What a researcher reaches for, through the real binary: `-i` across splits in the order
//! given, `batt tasks` filters, the candidate behind each attempt (task line, results.json,
//! `batt show --results`), `batt diff` between two runs, messages that say what happened,
//! and a compact results.json whose schema every reader checks.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn batt() -> Command {
    Command::cargo_bin("batt").unwrap()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn stdout_of(run: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(run.get_output().stdout.clone()).unwrap()
}

fn stderr_of(run: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(run.get_output().stderr.clone()).unwrap()
}

#[test]
fn ids_are_found_in_any_split_and_run_in_the_order_given() {
    let out = tempfile::tempdir().unwrap();
    // e9b4f6fc is an eval task, 007bbfb7 a training one; no --split
    let run = batt().args(["run", "-q", "--backend", "cpu", "-i", "e9b4f6fc", "007bbfb7", "--out"]).arg(out.path()).assert().success();
    let results = read_json(&out.path().join("results.json"));
    let ids: Vec<&str> = results["tasks"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["e9b4f6fc", "007bbfb7"], "{}", stdout_of(&run));
    // with a --split that does not hold it, the message says where it is
    let wrong = batt().args(["run", "--split", "train", "-i", "e9b4f6fc", "--out"]).arg(out.path()).assert().code(2);
    let stderr = stderr_of(&wrong);
    assert!(stderr.contains("e9b4f6fc (in split eval)") && stderr.contains("leave out --split"), "{stderr}");
    let unknown = batt().args(["run", "-i", "deadbeef", "--out"]).arg(out.path()).assert().code(2);
    assert!(stderr_of(&unknown).contains("not found") && stderr_of(&unknown).contains("batt tasks"), "{}", stderr_of(&unknown));
}

#[test]
fn tasks_lists_and_filters_as_ids_or_a_table() {
    let ids = |args: &[&str]| -> Vec<String> {
        let run = batt().arg("tasks").args(args).assert();
        stdout_of(&run).lines().map(str::to_string).collect()
    };
    assert_eq!(ids(&["--split", "eval"]).len(), 400);
    assert_eq!(ids(&[]).len(), 800);
    let same = ids(&["--split", "eval", "--shape", "same"]);
    let constant = ids(&["--split", "eval", "--shape", "constant"]);
    let other = ids(&["--split", "eval", "--shape", "other"]);
    assert_eq!(same.len() + constant.len() + other.len(), 400);
    assert!(same.contains(&"e9b4f6fc".to_string()) || constant.contains(&"e9b4f6fc".to_string()) || other.contains(&"e9b4f6fc".to_string()));
    // 007bbfb7: 3x3 inputs, 9x9 outputs (one size), five colours over its grids
    let small = ids(&["--split", "train", "--max-side", "9", "--colors", "5", "--shape", "constant"]);
    assert!(small.contains(&"007bbfb7".to_string()), "{small:?}");
    assert!(!ids(&["--split", "train", "--max-side", "8"]).contains(&"007bbfb7".to_string()));
    // a table on request, with a count line
    let table = stdout_of(&batt().args(["tasks", "--split", "train", "--max-side", "3", "--table"]).assert());
    assert!(table.starts_with("id ") && table.trim_end().lines().last().unwrap().contains(" of 800 tasks"), "{table}");
    // solved and unsolved in a saved run
    let out = tempfile::tempdir().unwrap();
    batt().args(["run", "-q", "--backend", "cpu", "-i", "007bbfb7", "e9b4f6fc", "--out"]).arg(out.path()).arg("--").args(["pieces=0"]).assert().success();
    let solved = ids(&["--solved", out.path().to_str().unwrap()]);
    assert_eq!(solved, ["007bbfb7"]);
    let unsolved = ids(&["--unsolved", out.path().join("results.json").to_str().unwrap()]);
    assert_eq!(unsolved, ["e9b4f6fc"]);
    // no match: exit code 1, said on stderr, nothing on stdout
    let none = batt().args(["tasks", "--max-side", "1"]).assert().code(1);
    let out = none.get_output();
    assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("no task matches these filters (of 800 tasks in the data)"), "{said}");
}

/// A loop whose best candidate is exact on the train pairs but fails on the test input:
/// attempt 1 comes from the second, and the first is recorded as passed over, with why.
const PASSED_OVER_LOOP: &str = r#"
local predict = require("predict")
local solve = dofile("scripts/solvers/007bbfb7.lua")
for task in batt.tasks() do
  local function flaky(input, t)
    if input == task.test[1].input then error("not on this one") end
    return solve(input, t)
  end
  local scored = {}
  scored[1] = {fn = flaky, score = task:score("flaky", flaky)}
  scored[2] = {fn = solve, score = task:score("solver", solve)}
  predict.best_two(task, scored)
end
"#;

#[test]
fn the_attempt_s_source_and_the_passed_over_candidates_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // the shipped loop: the task line names the candidate behind attempt 1
    let run = batt().args(["run", "--backend", "cpu", "-i", "007bbfb7", "--out"]).arg(&out).assert().success();
    let line = stdout_of(&run).lines().find(|l| l.contains("007bbfb7")).unwrap().to_string();
    assert!(line.contains("  by solver:007bbfb7"), "{line}");
    let results = read_json(&out.join("results.json"));
    assert_eq!(results["tasks"][0]["predictions"][0]["sources"][0], "solver:007bbfb7");

    let script = dir.path().join("loop.lua");
    fs::write(&script, PASSED_OVER_LOOP).unwrap();
    let out2 = dir.path().join("out2");
    let run = batt().arg("run").arg(&script).args(["--backend", "cpu", "-i", "007bbfb7", "--out"]).arg(&out2).assert().success();
    assert!(stdout_of(&run).contains("  by solver"), "{}", stdout_of(&run));
    let results = read_json(&out2.join("results.json"));
    let prediction = &results["tasks"][0]["predictions"][0];
    assert_eq!(prediction["passed_over"][0]["name"], "flaky", "{prediction}");
    let reason = prediction["passed_over"][0]["reason"].as_str().unwrap();
    assert!(reason.starts_with("error on the test input: ") && reason.contains("not on this one"), "{reason}");
    // the attempt's place and terms in the ranking: flaky ranked first (tried first, tied)
    let terms = &prediction["terms"][0];
    assert_eq!((terms["rank"].as_u64(), terms["tried"].as_u64(), terms["exact"].as_bool()), (Some(2), Some(2), Some(true)), "{prediction}");
    assert_eq!(terms["pairs_exact"], terms["pairs"], "{prediction}");
    assert!(terms.get("steps").is_none(), "a Lua function has no steps: {prediction}");
    // batt show says the same
    let show = batt().args(["show", "007bbfb7", "--color", "never", "--results"]).arg(&out2).assert().success();
    let text = stdout_of(&show);
    assert!(text.contains("test 1: attempt 1 by solver"), "{text}");
    assert!(text.contains("  passed over flaky: error on the test input: "), "{text}");
    assert!(text.contains("  attempt 1: ranked 2nd (exact on every train pair; test output of the predicted size; gathered 2nd)"), "{text}");
}

/// Two candidates exact on the train pairs, the first gathered a rule with as many cases as
/// an output has cells (81: it could memorise one): the other ranks first, and the terms
/// say why.
const MEMORISING_LOOP: &str = r#"
local predict = require("predict")
local solve = dofile("scripts/solvers/007bbfb7.lua")
for task in batt.tasks() do
  local function memoriser(input, t)
    if input == task.test[1].input then return batt.grid{{0}} end
    return solve(input, t)
  end
  local scored = {}
  scored[1] = {fn = memoriser, score = task:score("memoriser", memoriser), cases = 81}
  scored[2] = {fn = solve, score = task:score("solver", solve), cases = 80}
  predict.best_two(task, scored)
end
"#;

#[test]
fn a_rule_that_could_memorise_an_output_ranks_after_one_that_could_not() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("loop.lua");
    fs::write(&script, MEMORISING_LOOP).unwrap();
    let out = dir.path().join("out");
    batt().arg("run").arg(&script).args(["-q", "--backend", "cpu", "-i", "007bbfb7", "--out"]).arg(&out).assert().success();
    let results = read_json(&out.join("results.json"));
    let prediction = &results["tasks"][0]["predictions"][0];
    assert_eq!(prediction["sources"], serde_json::json!(["solver", "memoriser"]), "{prediction}");
    assert_eq!(prediction["correct_top1"], true, "{prediction}");
    let terms = &prediction["terms"];
    assert_eq!((terms[0]["rank"].as_u64(), terms[0]["memorises"].as_bool(), terms[0]["cases"].as_u64()), (Some(1), Some(false), Some(80)), "{prediction}");
    assert_eq!((terms[1]["rank"].as_u64(), terms[1]["memorises"].as_bool(), terms[1]["tried"].as_u64()), (Some(2), Some(true), Some(1)), "{prediction}");
    let show = batt().args(["show", "007bbfb7", "--color", "never", "--results"]).arg(&out).assert().success();
    let text = stdout_of(&show);
    // (its [[0]] also lacks the input's 7, which every train output keeps)
    assert!(text.contains("  attempt 2: ranked 2nd (exact on every train pair; test output of colours the train pairs' colour rule does not allow; could memorise an output; test output of the predicted size; 81 cases; gathered 1st)"), "{text}");
}

/// Two candidates exact on the train pairs, the first gathered giving the test input an
/// output with a colour no train pair shows (007bbfb7's outputs keep their inputs' two
/// colours): the other ranks first, and the terms say why.
const PALETTE_LOOP: &str = r#"
local predict = require("predict")
local solve = dofile("scripts/solvers/007bbfb7.lua")
for task in batt.tasks() do
  local function recolourer(input, t)
    local out = solve(input, t)
    if input == task.test[1].input then out:set(1, 1, 5) end
    return out
  end
  local scored = {}
  scored[1] = {fn = recolourer, score = task:score("recolourer", recolourer)}
  scored[2] = {fn = solve, score = task:score("solver", solve)}
  predict.best_two(task, scored)
end
"#;

#[test]
fn an_output_of_colours_the_train_pairs_never_show_ranks_after_one_that_follows_them() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("loop.lua");
    fs::write(&script, PALETTE_LOOP).unwrap();
    let out = dir.path().join("out");
    batt().arg("run").arg(&script).args(["-q", "--backend", "cpu", "-i", "007bbfb7", "--out"]).arg(&out).assert().success();
    let results = read_json(&out.join("results.json"));
    let prediction = &results["tasks"][0]["predictions"][0];
    assert_eq!(prediction["sources"], serde_json::json!(["solver", "recolourer"]), "{prediction}");
    assert_eq!(prediction["correct_top1"], true, "{prediction}");
    let terms = &prediction["terms"];
    assert_eq!((terms[0]["rank"].as_u64(), terms[0]["palette"].as_bool(), terms[0]["tried"].as_u64()), (Some(1), Some(true), Some(2)), "{prediction}");
    assert_eq!((terms[1]["rank"].as_u64(), terms[1]["palette"].as_bool(), terms[1]["tried"].as_u64()), (Some(2), Some(false), Some(1)), "{prediction}");
    let show = batt().args(["show", "007bbfb7", "--color", "never", "--results"]).arg(&out).assert().success();
    let text = stdout_of(&show);
    assert!(text.contains("  attempt 2: ranked 2nd (exact on every train pair; test output of colours the train pairs' colour rule does not allow; test output of the predicted size; gathered 1st)"), "{text}");
}

#[test]
fn diff_names_what_a_change_solved_and_lost_with_its_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let ids = ["-i", "007bbfb7", "a740d043", "e9b4f6fc"];
    batt().args(["run", "-q", "--backend", "cpu"]).args(ids).arg("--out").arg(&a).args(["--", "pieces=0"]).assert().success();
    // without the hand-written solvers, 007bbfb7 is lost
    batt().args(["run", "-q", "--backend", "cpu"]).args(ids).arg("--out").arg(&b).args(["--", "pieces=0", "solvers=0"]).assert().success();
    let lost = batt().arg("diff").arg(&a).arg(&b).assert().code(1);
    let text = stdout_of(&lost);
    assert!(text.contains("newly lost 1: 007bbfb7"), "{text}");
    assert!(text.contains("newly solved 0: none"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("time total: ")), "{text}");
    assert!(text.starts_with("A ") && text.contains("\nB "), "{text}");
    // the other way round nothing is lost (results.json files work as well as folders)
    let gained = batt().arg("diff").arg(b.join("results.json")).arg(a.join("results.json")).assert().code(0);
    assert!(stdout_of(&gained).contains("newly solved 1: 007bbfb7"), "{}", stdout_of(&gained));
    // a run against itself: nothing changed
    let same = batt().arg("diff").arg(&a).arg(&a).assert().code(0);
    assert!(stdout_of(&same).contains("best score changed 0: none"));
}

#[test]
fn results_json_is_compact_and_versioned_and_readers_check_the_version() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    batt().args(["run", "-q", "-c", "20", "--backend", "cpu", "--out"]).arg(&out).assert().success();
    let text = fs::read_to_string(out.join("results.json")).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["schema"], 1);
    // the same document written one number per line, as batt wrote it before
    let spread = serde_json::to_string_pretty(&value).unwrap();
    // (2.5 times: long candidate names, which both forms write alike, make up much of it)
    assert!(2 * spread.len() >= 5 * text.len(), "results.json is {} bytes, spread out {}", text.len(), spread.len());
    // a grid is one row per line
    assert!(text.contains("[\n") && text.lines().any(|l| l.trim_start().starts_with('[') && l.contains(',') && l.trim_end().trim_end_matches(',').ends_with(']')));
    // readers refuse another schema, saying which
    let old = dir.path().join("old");
    fs::create_dir_all(&old).unwrap();
    let mut other = value.clone();
    other["schema"] = Value::from(0);
    fs::write(old.join("results.json"), serde_json::to_string(&other).unwrap()).unwrap();
    for args in [vec!["diff", old.to_str().unwrap(), out.to_str().unwrap()], vec!["merge", old.to_str().unwrap(), "--out", dir.path().join("m").to_str().unwrap()], vec!["show", "007bbfb7", "--results", old.to_str().unwrap()], vec!["report", old.to_str().unwrap()]] {
        let run = batt().args(&args).assert().code(2);
        let stderr = stderr_of(&run);
        assert!(stderr.contains("has schema 0") && stderr.contains("reads schema 1"), "{args:?}: {stderr}");
    }
}

#[test]
fn messages_say_what_happened() {
    let dir = tempfile::tempdir().unwrap();
    // a task file with one ragged grid still has its test output: it is scored, as missed
    let task = dir.path().join("ragged.json");
    fs::write(&task, r#"{"train": [{"input": [[1, 2], [3]], "output": [[1]]}], "test": [{"input": [[1]], "output": [[1]]}]}"#).unwrap();
    let run = batt().arg("run").arg("--data").arg(&task).arg("--out").arg(dir.path().join("o1")).assert().success();
    let text = stdout_of(&run);
    assert!(text.contains("test outputs correct: top-1 0/1") && !text.contains("no solutions in the data"), "{text}");
    // a main script with a syntax error: the data's outputs are still known
    let broken = dir.path().join("broken.lua");
    fs::write(&broken, "for task in batt.tasks() do\n  local = 1\nend\n").unwrap();
    let run = batt().arg("run").arg(&broken).args(["--split", "eval", "-c", "3", "--out"]).arg(dir.path().join("o2")).assert().code(1);
    let text = stdout_of(&run);
    assert!(text.contains("test outputs correct: top-1 0/") && !text.contains("no solutions in the data"), "{text}");
    assert!(stderr_of(&run).contains("the run stopped early (3 tasks not reached)"), "{}", stderr_of(&run));
    // an error after the task loop: every task ran, and the message says so
    let after = dir.path().join("after.lua");
    fs::write(&after, "for task in batt.tasks() do end\nerror(\"summary failed\")\n").unwrap();
    let run = batt().arg("run").arg(&after).args(["-c", "2", "--out"]).arg(dir.path().join("o3")).assert().code(1);
    let stderr = stderr_of(&run);
    assert!(stderr.contains("the script failed after its last task (every task ran") && !stderr.contains("stopped early"), "{stderr}");
    // a parameter out of range names its range
    let range = dir.path().join("range.lua");
    fs::write(&range, "local ok, err = pcall(batt.program, \"upscale(5)\")\nprint(err)\n").unwrap();
    let run = batt().arg("run").arg(&range).args(["-c", "1", "--out"]).arg(dir.path().join("o4")).assert().success();
    assert!(stderr_of(&run).contains("upscale: factor must be 2-4, got 5"), "{}", stderr_of(&run));
    // bench: one meaning of auto in its help, each row printed once
    let help = stdout_of(&batt().args(["bench", "--help"]).assert().success());
    assert!(help.contains("auto: The CPU, and Vulkan too") && !help.contains("A Vulkan device if one works"), "{help}");
    let bench = batt().args(["bench", "--backend", "cpu", "--steps", "1", "--sizes", "1,10", "--min-time", "0"]).assert().success();
    let rows = stdout_of(&bench).lines().filter(|l| l.starts_with("| 1 |")).count();
    assert_eq!(rows, 2, "{}", stdout_of(&bench));
    assert!(!stderr_of(&bench).contains("| 1 |"), "{}", stderr_of(&bench));
}

/// Runs without --out are kept apart under runs/ (runs/latest the newest), results.json
/// records where each came from, and `batt diff` names two runs by name and says that
/// their `-- args` differ, from their records alone.
#[test]
fn kept_runs_record_their_provenance_and_diff_tells_them_apart() {
    let dir = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/main.lua");
    let run = |extra: &[&str]| {
        batt().current_dir(dir.path()).arg("run").arg(&script).args(["-q", "--backend", "cpu", "-i", "007bbfb7", "a740d043"]).args(extra).assert().success()
    };
    let first = run(&["--", "pieces=0", "variants=none"]);
    assert!(stdout_of(&first).contains("wrote runs/"), "{}", stdout_of(&first));
    run(&["--name", "plain"]);
    let runs: Vec<String> = fs::read_dir(dir.path().join("runs")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
    assert_eq!(runs.len(), 3, "two run folders and latest: {runs:?}");
    let latest = fs::read_link(dir.path().join("runs/latest")).unwrap();
    assert!(latest.to_string_lossy().ends_with("-plain"), "{latest:?}");

    let results = read_json(&dir.path().join("runs/latest/results.json"));
    let provenance = &results["provenance"];
    assert_eq!(provenance["name"], "plain");
    assert_eq!(provenance["args"], serde_json::json!([]));
    assert!(provenance["command_line"].as_array().unwrap().iter().any(|a| a == "--name"), "{provenance}");
    let scripts = provenance["scripts"].as_array().unwrap();
    assert!(scripts.iter().any(|s| s["path"].as_str().unwrap().ends_with("main.lua") && s["sha256"].as_str().unwrap().len() == 64), "{provenance}");
    assert_eq!(provenance["data_sha256"].as_str().unwrap().len(), 64);
    assert!(provenance["cores"].as_u64().unwrap() >= 1 && provenance["started"].as_str().unwrap().ends_with('Z'), "{provenance}");
    assert!(!provenance["commit"].as_str().unwrap().is_empty());

    // by name: `main` is the newest run named main, `latest` the newest of all
    let diff = batt().current_dir(dir.path()).args(["diff", "main", "latest"]).assert().code(0);
    let text = stdout_of(&diff);
    assert!(text.contains("A was main started ") && text.contains(" -- pieces=0 variants=none;"), "{text}");
    assert!(text.contains("B was plain started "), "{text}");
    assert!(text.contains("differ in args: pieces=0 variants=none | (none)"), "{text}");
    let unknown = batt().current_dir(dir.path()).args(["diff", "nosuchrun", "latest"]).assert().code(2);
    assert!(stderr_of(&unknown).contains("no run nosuchrun") && stderr_of(&unknown).contains("-plain"), "{}", stderr_of(&unknown));
    // the other commands take names too
    batt().current_dir(dir.path()).args(["show", "007bbfb7", "--color", "never", "--results", "plain"]).assert().success();
    batt().current_dir(dir.path()).arg("report").assert().success();
    assert!(dir.path().join("runs/latest/report.html").exists());

    // an explicit --out is used as it is, and a report an earlier run left there goes
    let out = dir.path().join("mine");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("report.html"), "an earlier run's report").unwrap();
    batt().current_dir(dir.path()).arg("run").arg(&script).args(["-q", "--backend", "cpu", "-i", "007bbfb7", "--out"]).arg(&out).assert().success();
    assert!(out.join("results.json").exists() && !out.join("report.html").exists());
    assert_eq!(fs::read_link(dir.path().join("runs/latest")).unwrap(), latest, "an --out run is not a kept run");
}

/// `batt show ID --results RUN --export lua` writes the search program behind attempt 1 as
/// scripts/solvers/<id>.lua; run as a solver it gives the same attempt (a place step
/// included, which needs each input's output size), and it keeps a solver file already
/// there unless --force.
#[test]
fn an_exported_program_run_as_a_solver_reproduces_the_attempt() {
    let dir = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/main.lua");
    // attempt 1 of each: split_combine(side,and,2), unpad | place, pick(colors,smallest);
    // 007bbfb7's is an overlay
    let ids = ["0520fde7", "5c0a986e", "846bdb03"];
    batt().current_dir(dir.path()).arg("run").arg(&script).args(["-q", "--backend", "cpu", "--name", "searched", "-i"]).args(ids).arg("007bbfb7").args(["--", "solvers=0"]).assert().success();
    for id in ids {
        let export = batt().current_dir(dir.path()).args(["show", id, "--results", "searched", "--export", "lua"]).assert().success();
        assert!(stdout_of(&export).contains(&format!("wrote scripts/solvers/{id}.lua")), "{}", stdout_of(&export));
    }
    let again = batt().current_dir(dir.path()).args(["show", ids[0], "--results", "searched", "--export", "lua"]).assert().code(2);
    assert!(stderr_of(&again).contains("is already there") && stderr_of(&again).contains("--force"), "{}", stderr_of(&again));
    batt().current_dir(dir.path()).args(["show", ids[0], "--results", "searched", "--export", "lua", "--force"]).assert().success();
    // an overlay is exported too, as its layers' programs (tests/export.rs runs every kind)
    batt().current_dir(dir.path()).args(["show", "007bbfb7", "--results", "searched", "--export", "lua"]).assert().success();
    assert!(fs::read_to_string(dir.path().join("scripts/solvers/007bbfb7.lua")).unwrap().contains("batt.dsl.lay(laid, fill)"));

    let check = dir.path().join("check.lua");
    fs::write(
        &check,
        r#"
for task in batt.tasks() do
  local solver = dofile("scripts/solvers/" .. task.id .. ".lua")
  task:predict(1, solver(task.test[1].input, task))
end
"#,
    )
    .unwrap();
    batt().current_dir(dir.path()).arg("run").arg(&check).args(["-q", "--backend", "cpu", "--name", "exported", "-i"]).args(ids).assert().success();
    let exported = read_json(&dir.path().join("runs/latest/submission.json"));
    let original = {
        let name = fs::read_dir(dir.path().join("runs")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).find(|n| n.ends_with("-searched")).unwrap();
        read_json(&dir.path().join("runs").join(name).join("submission.json"))
    };
    for id in ids {
        assert_eq!(exported[id][0]["attempt_1"], original[id][0]["attempt_1"], "{id}");
    }
}
