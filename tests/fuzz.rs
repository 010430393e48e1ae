//! The fuzz harness (`batt fuzz`) as CI runs it: a short run over every executor finds no
//! failure (with BATT_REQUIRE_GPU=1 the Vulkan executor must take part), every kind of
//! mutation is drawn, injected panics and hangs are caught and named with the command
//! that replays them, and mutated task files through a whole `batt run` keep every good
//! task and name every bad one in results.json.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use batt::fuzz::tasks::{Expected, Layout, Seeds};
use serde_json::Value;

fn batt() -> Command {
    Command::cargo_bin("batt").unwrap()
}

fn gpu_required() -> bool {
    std::env::var("BATT_REQUIRE_GPU").is_ok_and(|v| v == "1")
}

#[test]
fn a_short_fuzz_run_finds_no_failure_on_any_executor() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("fuzz.json");
    let assert = batt().args(["fuzz", "--tasks", "20000", "--programs", "2000", "-q", "--json"]).arg(&json).assert();
    let out = assert.get_output();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "batt fuzz failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("failures: panics 0, hangs 0, lost good tasks 0, bad tasks not named 0, disagreements 0"), "{stdout}");
    let f: Value = serde_json::from_str(&fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(f["tasks"]["cases"], 20000);
    assert!(f["tasks"]["tasks_loaded_valid"].as_u64().unwrap() > 5000, "{f}");
    assert!(f["tasks"]["tasks_named_invalid"].as_u64().unwrap() > 5000, "{f}");
    for layout in ["task_files", "corpus_files", "challenges_files"] {
        assert!(f["tasks"][layout].as_u64().unwrap() > 500, "{layout}: {f}");
    }
    let mutations = f["tasks"]["mutations"].as_object().unwrap();
    for kind in [
        "shuffle train pairs",
        "drop train pairs",
        "recolour a grid",
        "replace a grid by a random one",
        "extra keys",
        "drop test outputs",
        "thousands of train pairs",
        "many test inputs",
        "input and output keys swapped in order",
        "pretty-printed",
        "ragged rows",
        "colour out of range",
        "colour of the wrong type",
        "empty grid",
        "oversized grid",
        "grid of the wrong type",
        "row of the wrong type",
        "pair list of the wrong type",
        "missing key",
        "empty pair list",
        "pair of the wrong type",
        "task of the wrong type",
        "shallow nesting in a grid",
        "deep nesting (past the JSON depth limit)",
        "truncated JSON",
        "non-UTF-8 bytes",
        "a random byte changed",
    ] {
        assert!(mutations.get(kind).and_then(Value::as_u64).unwrap_or(0) > 50, "mutation {kind:?} drawn too rarely: {mutations:?}");
    }
    let p = &f["programs"];
    assert_eq!(p["programs"], 2000);
    assert_eq!(p["items_reference_vs_cpu"], 16000);
    assert_eq!(p["texts_round_tripped"], 2000);
    let s = &f["searches"];
    assert_eq!(s["rounds"], 20);
    assert!(s["candidates"].as_u64().unwrap() > 0, "{s}");
    if gpu_required() {
        assert_eq!(p["items_gpu_vs_cpu"], 16000, "the GPU took part in every batch");
        assert_eq!(s["gpu_vs_cpu"], s["searches"], "the GPU took part in every search");
    }
}

#[test]
fn an_injected_panic_is_counted_and_named_with_its_replay() {
    let assert = batt().args(["fuzz", "--tasks", "50", "--programs", "1", "--searches", "1", "--backend", "cpu", "-q"]).env("BATT_FUZZ_INJECT", "panic@task:17").assert().code(1);
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(stdout.contains("failures: panics 1, hangs 0"), "{stdout}");
    assert!(stdout.contains("FAILED task:17: making the case panicked at src/fuzz/mod.rs"), "{stdout}");
    assert!(stdout.contains("replay: batt fuzz --seed 1 --replay task:17"), "{stdout}");
    // the replay meets the same panic, and only that case runs
    let replay = batt().args(["fuzz", "--replay", "task:17", "--backend", "cpu", "-q"]).env("BATT_FUZZ_INJECT", "panic@task:17").assert().code(1);
    let stdout = String::from_utf8_lossy(&replay.get_output().stdout).to_string();
    assert!(stdout.contains("tasks: 1 cases") && stdout.contains("panics 1"), "{stdout}");
    let search_panic = batt().args(["fuzz", "--tasks", "1", "--programs", "1", "--searches", "2", "--backend", "cpu", "-q"]).env("BATT_FUZZ_INJECT", "panic@search:1").assert().code(1);
    let stdout = String::from_utf8_lossy(&search_panic.get_output().stdout).to_string();
    assert!(stdout.contains("searches: 2 rounds") && stdout.contains("FAILED search:1: panicked"), "{stdout}");
}

#[test]
fn a_hang_stops_the_run_naming_the_case() {
    let assert = batt().args(["fuzz", "--tasks", "200", "--programs", "1", "--backend", "cpu", "--hang-after", "1", "-q"]).env("BATT_FUZZ_INJECT", "stall@task:42").timeout(std::time::Duration::from_secs(60)).assert().code(3);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("HANG: task:42 has run for"), "{stderr}");
    assert!(stderr.contains("batt fuzz --seed 1 --replay task:42"), "{stderr}");
}

/// Mutated task files in a folder, through a whole run of a Lua loop: every good task is
/// run, every bad one is recorded as invalid with the loader's message, and the
/// submission has every task.
#[test]
fn a_run_over_mutated_task_files_keeps_every_good_task_and_names_every_bad_one() {
    let seeds = Seeds::embedded().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut written = Vec::new();
    let mut index = 0;
    while written.len() < 60 {
        let case = batt::fuzz::task_case(&seeds, 99, index);
        index += 1;
        if case.layout != Layout::TaskFile {
            continue;
        }
        // one split folder: a run takes one split
        let path = dir.path().join("fuzz-data/training").join(case.path.file_name().unwrap());
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, &case.bytes).unwrap();
        let (id, expected) = case.tasks[0].clone();
        written.push((path, id, expected));
    }
    let data = dir.path().join("fuzz-data");
    let out = dir.path().join("out");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/minimal_loop.lua");
    batt().args(["run", "-q", "--backend", "cpu", "--data"]).arg(&data).arg("--out").arg(&out).arg(&script).assert().success();
    let results: Value = serde_json::from_str(&fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    let submission: Value = serde_json::from_str(&fs::read_to_string(out.join("submission.json")).unwrap()).unwrap();
    let records = results["tasks"].as_array().unwrap();
    assert_eq!(records.len(), written.len());
    let (mut good, mut bad) = (0, 0);
    for (path, id, expected) in &written {
        let record = records.iter().find(|r| r["id"] == id.as_str()).unwrap_or_else(|| panic!("task {id} has no record"));
        assert!(submission.get(id).is_some(), "task {id} is missing from submission.json");
        let status = record["status"].as_str().unwrap();
        let error = record["error"].as_str().unwrap_or("");
        match expected {
            Expected::Valid(_) => {
                assert_ne!(status, "invalid", "good task {id} was lost: {error}");
                good += 1;
            }
            Expected::Invalid { locator, reasons } => {
                let named = format!("{}: task {id}: {locator}", path.display());
                assert_eq!(status, "invalid", "bad task {id} ran");
                assert!(error.starts_with(&named) && reasons.iter().any(|r| error.contains(r)), "task {id}: {error:?} should start {named:?} and say one of {reasons:?}");
                bad += 1;
            }
            Expected::Either => {
                if status == "invalid" {
                    assert!(error.starts_with(&format!("{}: task {id}: ", path.display())), "{error}");
                }
            }
        }
    }
    assert!(good >= 10 && bad >= 10, "{good} good and {bad} bad tasks written");
}

/// Task ids are any JSON key: odd ones (empty, a path, a newline, HTML, NUL, emoji) come
/// through a run into submission.json, results.json and an escaped report unchanged.
#[test]
fn odd_task_ids_come_through_a_run_and_its_report() {
    let corpus: Value = serde_json::from_slice(batt::data::dataset::EMBEDDED_ARC_AGI_1).unwrap();
    let good = corpus["train"].as_object().unwrap().values().next().unwrap().clone();
    let challenges: serde_json::Map<String, Value> = batt::fuzz::mutations::ODD_IDS.iter().map(|id| (id.to_string(), good.clone())).collect();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("odd_evaluation_challenges.json");
    fs::write(&data, serde_json::to_vec(&challenges).unwrap()).unwrap();
    let out = dir.path().join("out");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/minimal_loop.lua");
    batt().args(["run", "-q", "--backend", "cpu", "--data"]).arg(&data).arg("--out").arg(&out).arg(&script).assert().success();
    let submission: Value = serde_json::from_str(&fs::read_to_string(out.join("submission.json")).unwrap()).unwrap();
    let ids: Vec<&str> = submission.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(ids, batt::fuzz::mutations::ODD_IDS, "every id, in file order");
    let results: Value = serde_json::from_str(&fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    for record in results["tasks"].as_array().unwrap() {
        assert_eq!(record["status"], "done", "{record}");
    }
    batt().arg("report").arg(&out).assert().success();
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!html.contains("<script>alert(1)</script>"), "an id is written into the report escaped");
    // in the report's embedded data, with "</" written "<\/" so that no id closes the script
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || html.contains("<script>alert(1)<\\/script>"), "the id is in the report");
}
