//! Each data layout batt reads, and each way a task can be malformed: the malformed task
//! is reported with file, task id, pair and reason while the other tasks still load.

use std::fs;
use std::path::Path;

use batt::data::dataset::{Dataset, TaskEntry};
use batt::data::task::Split;

const GOOD_TASK: &str = r#"{"train": [{"input": [[1, 2], [3, 4]], "output": [[4, 3], [2, 1]]}],
                            "test": [{"input": [[5, 6], [7, 8]], "output": [[8, 7], [6, 5]]}]}"#;

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn invalid_message(data: &Dataset, id: &str) -> String {
    match data.find(id) {
        Some(TaskEntry::Invalid(bad)) => bad.message.clone(),
        other => panic!("task {id} should be invalid, got {other:?}"),
    }
}

fn valid_count(data: &Dataset) -> usize {
    data.entries.iter().filter(|e| matches!(e, TaskEntry::Valid(_))).count()
}

#[test]
fn embedded_corpus_has_both_splits() {
    let data = Dataset::embedded().unwrap();
    assert_eq!(data.entries.len(), 800);
    assert_eq!(valid_count(&data), 800);
    assert_eq!(data.splits(), vec![Split::Train, Split::Eval]);
    let TaskEntry::Valid(t) = data.find("007bbfb7").unwrap() else { panic!() };
    assert_eq!(t.split, Some(Split::Train));
    assert!(t.test_outputs_known());
}

#[test]
fn corpus_file_layout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.json");
    write(&path, &format!(r#"{{"train": {{"aaaa0001": {GOOD_TASK}}}, "eval": {{"bbbb0002": {GOOD_TASK}}}}}"#));
    let data = Dataset::load(&path).unwrap();
    assert_eq!(data.entries.len(), 2);
    assert_eq!(data.entries[0].split(), Some(Split::Train));
    assert_eq!(data.entries[1].split(), Some(Split::Eval));
}

#[test]
fn kaggle_challenges_with_and_without_solutions() {
    let dir = tempfile::tempdir().unwrap();
    let challenges = dir.path().join("arc-agi_evaluation_challenges.json");
    write(
        &challenges,
        r#"{"t1": {"train": [{"input": [[1]], "output": [[2]]}], "test": [{"input": [[3]]}, {"input": [[4]]}]},
            "t2": {"train": [{"input": [[1]], "output": [[2]]}], "test": [{"input": [[3]]}]}}"#,
    );
    // Without a solutions file, test outputs are unknown.
    let data = Dataset::load(&challenges).unwrap();
    let TaskEntry::Valid(t1) = data.find("t1").unwrap() else { panic!() };
    assert_eq!(t1.split, Some(Split::Eval));
    assert_eq!(t1.test.len(), 2);
    assert!(t1.test.iter().all(|c| c.output.is_none()));

    // With one, outputs are attached; a count that does not match is an error of that task.
    write(&dir.path().join("arc-agi_evaluation_solutions.json"), r#"{"t1": [[[5]], [[6]]], "t2": [[[7]], [[8]]]}"#);
    let data = Dataset::load(&challenges).unwrap();
    let TaskEntry::Valid(t1) = data.find("t1").unwrap() else { panic!() };
    assert_eq!(t1.test[1].output.as_ref().unwrap().get(0, 0), 6);
    let msg = invalid_message(&data, "t2");
    assert!(msg.contains("arc-agi_evaluation_solutions.json: task t2: 2 solution(s) for 1 test input(s)"), "{msg}");
}

#[test]
fn directory_layout_with_split_folders() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("training/aaaa0001.json"), GOOD_TASK);
    write(&dir.path().join("evaluation/bbbb0002.json"), GOOD_TASK);
    write(&dir.path().join("evaluation/cccc0003.json"), "{ not json");
    let data = Dataset::load(dir.path()).unwrap();
    assert_eq!(data.entries.len(), 3);
    assert_eq!(data.find("aaaa0001").unwrap().split(), Some(Split::Train));
    assert_eq!(data.find("bbbb0002").unwrap().split(), Some(Split::Eval));
    let msg = invalid_message(&data, "cccc0003");
    assert!(msg.contains("cccc0003.json: task cccc0003: invalid JSON"), "{msg}");
}

#[test]
fn single_task_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("abcd1234.json");
    write(&path, GOOD_TASK);
    let data = Dataset::load(&path).unwrap();
    assert_eq!(data.entries.len(), 1);
    assert_eq!(data.entries[0].id(), "abcd1234");
    assert_eq!(data.entries[0].split(), None);
}

#[test]
fn unparseable_or_unreadable_data_stops_the_load() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.json");
    write(&path, r#"{"train": {"#);
    let err = format!("{:#}", Dataset::load(&path).unwrap_err());
    assert!(err.contains("broken.json is not valid JSON"), "{err}");
    let err = format!("{:#}", Dataset::load(&dir.path().join("missing.json")).unwrap_err());
    assert!(err.contains("cannot read data file"), "{err}");
}

/// One corpus with a task for each malformation, plus a good one that must survive.
#[test]
fn each_malformed_task_is_reported_with_file_task_pair_and_reason() {
    let cases = [
        ("ragged", r#"{"train": [{"input": [[1, 2], [3]], "output": [[1]]}], "test": [{"input": [[1]]}]}"#,
         "task ragged: train pair 1: input: row 2 has 1 cells but row 1 has 2"),
        ("colour12", r#"{"train": [{"input": [[1]], "output": [[1]]}, {"input": [[1]], "output": [[12]]}], "test": [{"input": [[1]]}]}"#,
         "task colour12: train pair 2: output: cell (row 1, column 1) is 12; colours must be integers 0..9"),
        ("negative", r#"{"train": [{"input": [[-1]], "output": [[1]]}], "test": [{"input": [[1]]}]}"#,
         "task negative: train pair 1: input: cell (row 1, column 1) is -1"),
        ("zeroside", r#"{"train": [{"input": [], "output": [[1]]}], "test": [{"input": [[1]]}]}"#,
         "task zeroside: train pair 1: input: grid has no rows"),
        ("emptyrow", r#"{"train": [{"input": [[1]], "output": [[]]}], "test": [{"input": [[1]]}]}"#,
         "task emptyrow: train pair 1: output: row 1 has no cells"),
        ("toowide", &format!(r#"{{"train": [{{"input": [[1]], "output": [[1]]}}], "test": [{{"input": [{}]}}]}}"#,
            serde_json::to_string(&vec![0; 31]).unwrap()),
         "task toowide: test pair 1: input: grid is 1x31; each side must be between 1 and 30"),
        ("notrain", r#"{"train": [], "test": [{"input": [[1]]}]}"#, "task notrain: no train pairs"),
        ("notest", r#"{"train": [{"input": [[1]], "output": [[1]]}], "test": []}"#, "task notest: no test inputs"),
        ("nooutput", r#"{"train": [{"input": [[1]]}], "test": [{"input": [[1]]}]}"#,
         "task nooutput: train pair 1: missing \"output\""),
        ("badtype", r#"{"train": "x", "test": [{"input": [[1]]}]}"#, "task badtype: \"train\" must be a list of pairs"),
    ];
    let mut tasks = vec![format!(r#""good0001": {GOOD_TASK}"#)];
    for (id, json, _) in &cases {
        tasks.push(format!(r#""{id}": {json}"#));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.json");
    write(&path, &format!(r#"{{"train": {{{}}}}}"#, tasks.join(",")));
    let data = Dataset::load(&path).unwrap();
    assert_eq!(data.entries.len(), cases.len() + 1);
    assert_eq!(valid_count(&data), 1, "only the good task is valid");
    for (id, _, expected) in &cases {
        let msg = invalid_message(&data, id);
        assert!(msg.starts_with(&path.display().to_string()), "{msg} should name the file");
        assert!(msg.contains(expected), "{id}: {msg:?} should contain {expected:?}");
    }
}

/// A challenges file whose first task is named "train" and is not an object (a list) is
/// still a challenges file: its other tasks load, the bad one is named (the fuzz harness
/// found it read as a single task: `batt fuzz --seed 1 --replay task:604117`).
#[test]
fn a_challenges_file_with_a_task_named_train_keeps_its_other_tasks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd_evaluation_challenges.json");
    write(&path, &format!(r#"{{"train": [1, 2, 3], "good0001": {GOOD_TASK}}}"#));
    let data = Dataset::load(&path).unwrap();
    assert_eq!(data.entries.len(), 2);
    assert_eq!(valid_count(&data), 1, "the good task loads");
    let msg = invalid_message(&data, "train");
    assert!(msg.ends_with("task train: expected an object, found a list"), "{msg}");
    // a real single task file with extra keys is still one task
    let single = dir.path().join("t.json");
    write(&single, &GOOD_TASK.replacen('{', r#"{"name": "x", "meta": {"a": 1}, "#, 1));
    let data = Dataset::load(&single).unwrap();
    assert_eq!((data.entries.len(), valid_count(&data)), (1, 1));
}
