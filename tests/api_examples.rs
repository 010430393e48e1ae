//! The examples of scripts/lib/batt_api.lua stay true: every function there has exactly
//! one `---e.g. ` line, and each example runs as a script of its own through the library's
//! run path (CPU backend, task 007bbfb7 of the embedded data), with its trailing
//! `-- claim` asserted. docs/lua-api.md shows the same lines (tests/api_reference.rs).

use std::fs;
use std::path::Path;
use std::time::Duration;

use batt::data::dataset::Dataset;
use batt::data::selection::{select_tasks, TaskFilter};
use batt::run::record::TaskStatus;
use batt::run::runner::{run_script, RunOptions};

/// Every `function NAME(...)` of the API file with the examples its comment block gives.
fn functions_with_examples(api: &str) -> Vec<(String, Vec<String>)> {
    let mut functions = Vec::new();
    let mut examples = Vec::new();
    for line in api.lines() {
        if let Some(comment) = line.strip_prefix("---") {
            if let Some(example) = comment.trim().strip_prefix("e.g. ") {
                examples.push(example.to_string());
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("function ") {
            let name = rest.split_once('(').expect("function NAME(PARAMS) end").0;
            functions.push((name.to_string(), std::mem::take(&mut examples)));
        }
        examples.clear();
    }
    functions
}

/// Whether `word` occurs in `code` as a name of its own (not `tasks`, not `my_input`).
fn names(code: &str, word: &str) -> bool {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    code.match_indices(word).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + word.len()..].chars().next();
        !before.is_some_and(is_name) && !after.is_some_and(is_name)
    })
}

/// The script that runs one example: the example's code, then its claim as an assert; an
/// example naming `task` or `input` first takes the task from the loop.
fn example_script(function: &str, example: &str) -> String {
    let (code, claim) = match example.split_once(" -- ") {
        Some((code, claim)) => (code.trim(), Some(claim.trim())),
        None => (example.trim(), None),
    };
    let mut script = format!("-- the example of {function} in scripts/lib/batt_api.lua\n");
    if names(code, "task") || names(code, "input") || claim.is_some_and(|c| names(c, "task") || names(c, "input")) {
        script.push_str("local task = batt.tasks()()\nlocal input = task.train[1].input\n");
    }
    script.push_str(code);
    script.push('\n');
    if let Some(claim) = claim {
        script.push_str(&format!("assert({claim}, \"the claim does not hold: \" .. [==[{claim}]==])\n"));
    }
    script
}

fn api() -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/lib/batt_api.lua")).unwrap()
}

#[test]
fn every_api_function_has_one_example() {
    let functions = functions_with_examples(&api());
    assert!(functions.len() >= 40, "{} functions found in batt_api.lua", functions.len());
    let wrong: Vec<String> = functions.iter().filter(|(_, e)| e.len() != 1).map(|(name, e)| format!("{name} ({} examples)", e.len())).collect();
    assert!(wrong.is_empty(), "each function in scripts/lib/batt_api.lua needs exactly one `---e.g. ` line: {wrong:?}");
}

#[test]
fn every_api_example_runs_and_its_claim_holds() {
    let data = Dataset::embedded().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut ran = 0;
    for (function, examples) in functions_with_examples(&api()) {
        for example in examples {
            let script = dir.path().join(format!("{}.lua", function.replace([':', '.'], "_")));
            fs::write(&script, example_script(&function, &example)).unwrap();
            let opts = RunOptions {
                script: script.clone(),
                data: None,
                filter: TaskFilter { split: None, start: 0, count: Some(1), ids: vec!["007bbfb7".into()] },
                task_timeout: Some(Duration::from_secs(60)),
                plan: None,
                args: Vec::new(),
                quiet: true,
                backend: batt::engine::Backend::Cpu,
                device: None,
                task_stats: false,
                jobs: 1,
            };
            let selection = select_tasks(&data, &opts.filter).unwrap();
            let outcome = run_script(&script, selection, &opts).unwrap();
            let task_error = outcome.records.iter().find(|r| matches!(r.status, TaskStatus::Error | TaskStatus::Timeout | TaskStatus::Invalid));
            if let Some(error) = outcome.script_error.clone().or_else(|| task_error.map(|r| r.error.clone().unwrap_or_else(|| format!("task {}", r.status.name())))) {
                failures.push(format!("{function}: `{example}`\n  {}", error.lines().next().unwrap_or("")));
            }
            ran += 1;
        }
    }
    assert!(ran >= 40, "{ran} examples ran");
    assert!(failures.is_empty(), "examples in scripts/lib/batt_api.lua that fail:\n{}", failures.join("\n"));
}
