//! `batt show ID --results RUN --export lua` through the real binary (`--backend cpu`): the
//! candidate behind attempt 1 of each kind (a search program, per-cell rules plain,
//! colour-ranked and shape-made, an overlay, programs and overlays found on the normalised,
//! shaped and transposed variants, an outer product, a library candidate re-derived by its
//! name) is written as scripts/solvers/<id>.lua, and the next run, taking it as the task's
//! hand-written solver, gives the same attempt 1 for every test input it made; a
//! hand-written solver's attempt is refused, naming its file; `batt show` prints a cell
//! rule's cases.

mod common;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn batt(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("batt").unwrap();
    cmd.current_dir(dir);
    cmd
}

fn stdout_of(run: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(run.get_output().stdout.clone()).unwrap()
}

fn stderr_of(run: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(run.get_output().stderr.clone()).unwrap()
}

/// A folder holding a copy of the shipped scripts, without the hand-written solvers.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts"), &dir.path().join("scripts"));
    for entry in fs::read_dir(dir.path().join("scripts/solvers")).unwrap() {
        fs::remove_file(entry.unwrap().path()).unwrap();
    }
    dir
}

/// The tasks of the run named `name` in `dir`, by id.
fn tasks(dir: &Path, name: &str) -> serde_json::Map<String, Value> {
    let run = fs::read_dir(dir.join("runs")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).find(|n| n.ends_with(&format!("-{name}"))).unwrap();
    let results: Value = serde_json::from_str(&fs::read_to_string(dir.join("runs").join(run).join("results.json")).unwrap()).unwrap();
    results["tasks"].as_array().unwrap().iter().map(|t| (t["id"].as_str().unwrap().to_string(), t.clone())).collect()
}

fn source(task: &Value, test: usize) -> &str {
    task["predictions"][test]["sources"][0].as_str().unwrap_or("")
}

/// Runs `cases` ((id, what attempt 1's source starts with, what the exported file holds))
/// with `args` and no hand-written solvers, exports each, runs them again with the exported
/// solvers and checks every test input attempt 1 came from that candidate.
fn exported_runs_give_the_attempts_again(cases: &[(&str, &str, &str)], args: &[&str]) {
    let dir = workspace();
    let ids: Vec<&str> = cases.iter().map(|c| c.0).collect();
    let run = |name: &str, solvers: &str| {
        batt(dir.path()).args(["run", "scripts/main.lua", "-q", "--backend", "cpu", "--name", name, "-i"]).args(&ids).arg("--").args(args).arg(solvers).assert().success();
    };
    run("found", "solvers=0");
    let found = tasks(dir.path(), "found");
    for &(id, kind, holds) in cases {
        let made = source(&found[id], 0);
        assert!(made.starts_with(kind), "{id}: attempt 1 now comes from `{made}`, not a `{kind}…`: choose another task of that kind");
        let export = batt(dir.path()).args(["show", id, "--results", "found", "--export", "lua"]).assert().success();
        assert!(stdout_of(&export).contains(&format!("wrote scripts/solvers/{id}.lua")), "{}", stdout_of(&export));
        let text = fs::read_to_string(dir.path().join(format!("scripts/solvers/{id}.lua"))).unwrap();
        assert!(text.contains(holds), "{id}: the exported file lacks `{holds}`:\n{text}");
    }
    run("exported", "solvers=1");
    let again = tasks(dir.path(), "exported");
    for &(id, _, _) in cases {
        let (before, after) = (&found[id], &again[id]);
        assert_eq!(after["error"], Value::Null, "{id}");
        let made = source(before, 0);
        for test in 0..before["predictions"].as_array().unwrap().len() {
            if source(before, test) != made {
                continue; // another candidate made this input's attempt 1
            }
            assert_eq!(source(after, test), format!("solver:{id}"), "{id} test {}", test + 1);
            assert_eq!(after["predictions"][test]["attempts"][0], before["predictions"][test]["attempts"][0], "{id} test {}: the exported `{made}` gives another attempt", test + 1);
        }
    }
}

#[test]
fn every_kind_of_candidate_exported_gives_its_attempt_again() {
    exported_runs_give_the_attempts_again(
        &[
            ("f45f5ca7", "unpad | place", "batt.program(\"unpad | place\")"),
            ("ce039d91", "cell rule (colour, mirror left-right)", "copy = \"colour\""),
            ("9ddd00f0", "colours ranked, then cell rule (", "batt.dsl.colour_ranks(input)"),
            ("2072aba6", "upscale(2,2) then cell rule (", "pcall(batt.dsl.upscale, input, 2, 2)"),
            ("1da012fc", "cell rule (object size, object width): 10 cases, unseen cells kept", "keep_unseen = true"),
            ("bbb1b8b6", "overlay(", "batt.dsl.lay(laid, fill)"),
            ("1c02dbbe", "normalised: overlay(", "batt.dsl.variant_input(task, \"normalised\", input)"),
            ("f21745ec", "shaped: recolor(2->0)", "batt.dsl.variant_input(task, \"shaped\", input)"),
            ("ccd554ac", "outer product (copies, ", "products.rebuild(a, b, \"copies\")"),
            ("47996f11", "repair the pattern hidden by colour 6", "candidates.named(task, name)"),
        ],
        &[],
    );
}

#[test]
fn a_program_found_on_the_transposed_variant_exported_gives_its_attempt_again() {
    exported_runs_give_the_attempts_again(&[("780d0b14", "transposed: ", "if size then size = { size[2], size[1] } end")], &["variants=transposed"]);
}

#[test]
fn a_hand_written_solvers_attempt_is_refused_naming_its_file() {
    let dir = workspace();
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/solvers/007bbfb7.lua");
    fs::copy(&shipped, dir.path().join("scripts/solvers/007bbfb7.lua")).unwrap();
    batt(dir.path()).args(["run", "scripts/main.lua", "-q", "--backend", "cpu", "--name", "solved", "-i", "007bbfb7"]).assert().success();
    assert_eq!(source(&tasks(dir.path(), "solved")["007bbfb7"], 0), "solver:007bbfb7");
    let refused = batt(dir.path()).args(["show", "007bbfb7", "--results", "solved", "--export", "lua", "--force"]).assert().code(2);
    let stderr = stderr_of(&refused);
    assert!(stderr.contains("hand-written solver scripts/solvers/007bbfb7.lua"), "{stderr}");
    assert_eq!(fs::read(dir.path().join("scripts/solvers/007bbfb7.lua")).unwrap(), fs::read(&shipped).unwrap(), "the solver file is left as it was");
}

#[test]
fn show_prints_a_cell_rules_cases() {
    let dir = workspace();
    batt(dir.path()).args(["run", "scripts/main.lua", "-q", "--backend", "cpu", "--name", "rules", "-i", "ce039d91", "9ddd00f0"]).assert().success();
    let shown = stdout_of(&batt(dir.path()).args(["show", "ce039d91", "--results", "rules", "--color", "never"]).assert().success());
    assert!(shown.contains("attempt 1 by cell rule (colour, mirror left-right): 4 cases"), "{shown}");
    let cases: Vec<&str> = shown.lines().skip_while(|l| !l.contains("its 4 cases (feature values → output colour")).skip(1).take_while(|l| l.starts_with("      ")).collect();
    assert_eq!(cases.len(), 4, "{shown}");
    assert!(cases.iter().all(|l| l.trim_start().starts_with("colour ") && l.contains(", mirror left-right ") && l.contains(" → ")), "{cases:?}");
    let ranked = stdout_of(&batt(dir.path()).args(["show", "9ddd00f0", "--results", "rules", "--color", "never"]).assert().success());
    assert!(ranked.contains("colours being ranks in the input, 0 its commonest"), "{ranked}");
}
