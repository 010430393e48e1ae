//! Mutated tasks for the fuzz harness: a real ARC task (from the embedded corpus) changed
//! by a few mutations that keep it a good task (pairs shuffled, dropped or repeated by the
//! thousand, grids recoloured or replaced, extra keys, reformatted text) and at most one
//! that breaks it (ragged rows, colours out of range or of the wrong type, empty and
//! oversized grids, wrong types, missing keys, truncated JSON, non-UTF-8 bytes, deep
//! nesting), laid out as a task file, a corpus or a challenges file. Each case knows what
//! the loader must say: the good tasks exactly as written, each bad one named by its file,
//! task, pair and reason; `check` compares that with what `dataset` loads.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rand::rngs::Xoshiro256PlusPlus;
use rand::RngExt;
use serde_json::{Map, Value};

pub use super::mutations::{Expected, ExpectedTask, Rows};
use super::mutations::{break_task, keep_good, serialize_with_byte_mutation, ODD_IDS};
use crate::data::dataset::{entries_from_bytes, task_file_entry, TaskEntry, EMBEDDED_ARC_AGI_1};
use crate::grid::Grid;
use crate::data::task::{Split, Task};

/// The real tasks mutations start from: every task of the embedded corpus as JSON.
pub struct Seeds {
    tasks: Vec<Value>,
}

impl Seeds {
    pub fn embedded() -> anyhow::Result<Seeds> {
        let corpus: Value = serde_json::from_slice(EMBEDDED_ARC_AGI_1)?;
        let tasks = corpus.as_object().into_iter().flat_map(|splits| splits.values()).filter_map(Value::as_object).flat_map(|tasks| tasks.values().cloned()).collect::<Vec<_>>();
        anyhow::ensure!(!tasks.is_empty(), "the embedded corpus has no tasks");
        Ok(Seeds { tasks })
    }

    fn pick(&self, rng: &mut Xoshiro256PlusPlus) -> Value {
        self.tasks[rng.random_range(0..self.tasks.len())].clone()
    }
}

/// How the mutated task is laid out on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `<split>/<id>.json` in a directory of task files.
    TaskFile,
    /// Several tasks in one `{"train": {...}, "eval": {...}}` file.
    Corpus,
    /// Several tasks in one ARC Prize `*_challenges.json` file.
    Challenges,
}

/// One fuzz case: the bytes of a data file and what loading them must give.
pub struct TaskCase {
    pub layout: Layout,
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    /// Per task id, in file order.
    pub tasks: Vec<(String, Expected)>,
    /// A byte-level break of a whole multi-task file: the load fails, naming the file.
    pub whole_file_breaks: bool,
    /// The mutations applied, for the figures and for replaying a failure.
    pub mutations: Vec<&'static str>,
}

/// What went wrong with a case, if anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Ok { valid: usize, invalid: usize },
    /// A good task that did not load, or loaded with other grids.
    LostGoodTask(String),
    /// A bad task that loaded, or whose message does not name it and what is wrong.
    BadTaskNotNamed(String),
}

/// The mutated case `index` of the run seeded with `seed` (the same pair gives the same case).
pub fn case(seeds: &Seeds, rng: &mut Xoshiro256PlusPlus, index: u64) -> TaskCase {
    let roll = rng.random_range(0..100);
    let layout = match roll {
        0..=79 => Layout::TaskFile,
        80..=89 => Layout::Corpus,
        _ => Layout::Challenges,
    };
    match layout {
        Layout::TaskFile => {
            let split = if rng.random_bool(0.5) { "training" } else { "evaluation" };
            let id = format!("fuzz{index:08}");
            let path = PathBuf::from(format!("fuzz-data/{split}/{id}.json"));
            let mut mutations = Vec::new();
            let (value, mut expected) = mutated_task(seeds, rng, &mut mutations, true);
            let (bytes, byte_break) = serialize_with_byte_mutation(&value, rng, &mut mutations, true);
            if let Some(e) = byte_break {
                expected = e;
            }
            TaskCase { layout, path, bytes, tasks: vec![(id, expected)], whole_file_breaks: false, mutations }
        }
        Layout::Corpus | Layout::Challenges => {
            let count = rng.random_range(2..=6);
            let mut mutations = Vec::new();
            let mut tasks = Vec::new();
            let mut train = Map::new();
            let mut eval = Map::new();
            for k in 0..count {
                // now and then the file's first id is an odd one (ids are any JSON key)
                let id = if k == 0 && rng.random_range(0..5) == 0 {
                    mutations.push("odd task id");
                    ODD_IDS[rng.random_range(0..ODD_IDS.len())].to_string()
                } else {
                    format!("fuzz{index:08}-{k}")
                };
                let (value, expected) = mutated_task(seeds, rng, &mut mutations, false);
                if layout == Layout::Corpus && rng.random_bool(0.5) {
                    eval.insert(id.clone(), value);
                } else {
                    train.insert(id.clone(), value);
                }
                tasks.push((id, expected));
            }
            let (path, whole) = if layout == Layout::Corpus {
                // file order: the train split, then eval
                let mut ordered: Vec<(String, Expected)> = Vec::new();
                for key in train.keys().chain(eval.keys()) {
                    let found = tasks.iter().find(|(id, _)| id == key).expect("every id has its expectation").clone();
                    ordered.push(found);
                }
                tasks = ordered;
                let mut corpus = Map::new();
                if !train.is_empty() {
                    corpus.insert("train".into(), Value::Object(train));
                }
                if !eval.is_empty() {
                    corpus.insert("eval".into(), Value::Object(eval));
                }
                (PathBuf::from(format!("fuzz-data/corpus-{index}.json")), Value::Object(corpus))
            } else {
                (PathBuf::from(format!("fuzz-data/case{index}_evaluation_challenges.json")), Value::Object(train))
            };
            let (bytes, byte_break) = serialize_with_byte_mutation(&whole, rng, &mut mutations, false);
            TaskCase { layout, path, bytes, tasks, whole_file_breaks: byte_break.is_some(), mutations }
        }
    }
}

/// Loads `case` as batt would and compares with what it must give.
pub fn check(case: &TaskCase) -> Verdict {
    let file = case.path.display().to_string();
    let entries: Vec<TaskEntry> = match case.layout {
        Layout::TaskFile => {
            let split = if file.contains("/training/") { Split::Train } else { Split::Eval };
            vec![task_file_entry(&case.path, Some(split), &case.bytes)]
        }
        Layout::Corpus | Layout::Challenges => match entries_from_bytes(&case.path, &case.bytes) {
            Ok(entries) => {
                if case.whole_file_breaks {
                    return Verdict::BadTaskNotNamed(format!("{file}: broken bytes loaded as {} task(s)", entries.len()));
                }
                entries
            }
            Err(e) => {
                let message = format!("{e:#}");
                return if !case.whole_file_breaks {
                    Verdict::LostGoodTask(format!("{file}: the whole file failed to load: {message}"))
                } else if message.starts_with(&format!("{file} is not valid JSON: ")) {
                    Verdict::Ok { valid: 0, invalid: case.tasks.len() }
                } else {
                    Verdict::BadTaskNotNamed(format!("{file}: the file's error does not name it: {message}"))
                };
            }
        },
    };
    if entries.len() != case.tasks.len() {
        return Verdict::LostGoodTask(format!("{file}: {} task(s) written, {} loaded", case.tasks.len(), entries.len()));
    }
    let (mut valid, mut invalid) = (0, 0);
    for (entry, (id, expected)) in entries.iter().zip(&case.tasks) {
        if entry.id() != id {
            return Verdict::LostGoodTask(format!("{file}: task {id} loaded as {}", entry.id()));
        }
        match (entry, expected) {
            (TaskEntry::Valid(task), Expected::Valid(want)) => {
                if !same_grids(task, want) {
                    return Verdict::LostGoodTask(format!("{file}: task {id} loaded with other grids than written"));
                }
                valid += 1;
            }
            (TaskEntry::Valid(_), Expected::Either) => valid += 1,
            (TaskEntry::Invalid(bad), Expected::Valid(_)) => return Verdict::LostGoodTask(format!("{file}: good task {id} rejected: {}", bad.message)),
            (TaskEntry::Valid(_), Expected::Invalid { locator, reasons }) => {
                return Verdict::BadTaskNotNamed(format!("{file}: task {id} loaded though {locator}{} was expected", reasons.join(" or ")))
            }
            (TaskEntry::Invalid(bad), Expected::Invalid { locator, reasons }) => {
                let named = format!("{file}: task {id}: {locator}");
                if !(bad.message.starts_with(&named) && reasons.iter().any(|r| bad.message[named.len()..].contains(r))) {
                    return Verdict::BadTaskNotNamed(format!("expected \"{named}…{}\", got \"{}\"", reasons.join("|"), bad.message));
                }
                invalid += 1;
            }
            (TaskEntry::Invalid(bad), Expected::Either) => {
                if !bad.message.starts_with(&format!("{file}: task {id}: ")) {
                    return Verdict::BadTaskNotNamed(format!("the message does not name {file} and task {id}: {}", bad.message));
                }
                invalid += 1;
            }
        }
    }
    Verdict::Ok { valid, invalid }
}

fn same_grids(task: &Task, want: &ExpectedTask) -> bool {
    task.train.len() == want.train.len()
        && task.test.len() == want.test.len()
        && task.train.iter().zip(&want.train).all(|(p, (i, o))| p.input.to_rows() == *i && p.output.to_rows() == *o)
        && task.test.iter().zip(&want.test).all(|(t, (i, o))| t.input.to_rows() == *i && t.output.as_ref().map(Grid::to_rows) == *o)
}

/// A good task with a few harmless mutations, loaded through the loader: what the program
/// fuzzing searches on.
pub fn good_task(seeds: &Seeds, rng: &mut Xoshiro256PlusPlus) -> Task {
    loop {
        let mut value = seeds.pick(rng);
        let mut mutations = Vec::new();
        for _ in 0..rng.random_range(0..=2) {
            let kind = rng.random_range(0..5);
            keep_good(&mut value, rng, kind, &mut mutations);
        }
        let bytes = serde_json::to_vec(&value).expect("a JSON value serializes");
        if let TaskEntry::Valid(task) = task_file_entry(Path::new("fuzz-data/search.json"), None, &bytes) {
            if task.train.len() <= 6 && task.test.len() <= 3 {
                return task;
            }
        }
    }
}

fn mutated_task(seeds: &Seeds, rng: &mut Xoshiro256PlusPlus, mutations: &mut Vec<&'static str>, alone: bool) -> (Value, Expected) {
    let mut value = seeds.pick(rng);
    for _ in 0..rng.random_range(0..=3) {
        let kind = rng.random_range(0..9);
        keep_good(&mut value, rng, kind, mutations);
    }
    // about half the tasks get one break
    if rng.random_bool(0.5) {
        let expected = break_task(&mut value, rng, mutations, alone);
        return (value, expected);
    }
    let expected = read_expected(&value).map_or(Expected::Either, |t| Expected::Valid(Box::new(t)));
    (value, expected)
}

/// The grids of a good task read plainly from its JSON (None when it is not one).
fn read_expected(task: &Value) -> Option<ExpectedTask> {
    fn grid(v: &Value) -> Option<Rows> {
        v.as_array()?.iter().map(|row| row.as_array()?.iter().map(|c| c.as_u64().map(|c| c as u8)).collect()).collect()
    }
    let pairs = |key: &str| task.get(key).and_then(Value::as_array);
    let train = pairs("train")?.iter().map(|p| Some((grid(p.get("input")?)?, grid(p.get("output")?)?))).collect::<Option<Vec<_>>>()?;
    let test = pairs("test")?
        .iter()
        .map(|p| {
            let output = match p.get("output") {
                Some(o) => Some(grid(o)?),
                None => None,
            };
            Some((grid(p.get("input")?)?, output))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(ExpectedTask { train, test })
}

/// A case in a few lines, for a failure report.
pub fn describe(case: &TaskCase) -> String {
    let mut s = format!("{} ({:?}, {} bytes): {}", case.path.display(), case.layout, case.bytes.len(), case.mutations.join(", "));
    if case.bytes.len() <= 400 {
        let _ = write!(s, "\n  bytes: {}", String::from_utf8_lossy(&case.bytes));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzz::mutations::COLOUR;

    fn one_task_case(bytes: &[u8], expected: Expected) -> TaskCase {
        TaskCase { layout: Layout::TaskFile, path: PathBuf::from("fuzz-data/training/t1.json"), bytes: bytes.to_vec(), tasks: vec![("t1".into(), expected)], whole_file_breaks: false, mutations: Vec::new() }
    }

    const GOOD: &[u8] = br#"{"train": [{"input": [[1, 2]], "output": [[2, 1]]}], "test": [{"input": [[3]]}]}"#;

    fn good_expectation() -> Expected {
        Expected::Valid(Box::new(ExpectedTask { train: vec![(vec![vec![1, 2]], vec![vec![2, 1]])], test: vec![(vec![vec![3]], None)] }))
    }

    #[test]
    fn a_good_task_loaded_as_written_passes() {
        assert_eq!(check(&one_task_case(GOOD, good_expectation())), Verdict::Ok { valid: 1, invalid: 0 });
    }

    #[test]
    fn the_checker_catches_a_good_task_lost_or_changed() {
        let broken = &GOOD[..GOOD.len() - 1];
        assert!(matches!(check(&one_task_case(broken, good_expectation())), Verdict::LostGoodTask(_)));
        let changed = String::from_utf8(GOOD.to_vec()).unwrap().replace("[[3]]", "[[4]]");
        assert!(matches!(check(&one_task_case(changed.as_bytes(), good_expectation())), Verdict::LostGoodTask(_)));
    }

    #[test]
    fn the_checker_catches_a_bad_task_that_loads_or_is_named_wrongly() {
        let wants_colour = Expected::Invalid { locator: "train pair 1: input: ".into(), reasons: COLOUR };
        assert!(matches!(check(&one_task_case(GOOD, wants_colour.clone())), Verdict::BadTaskNotNamed(_)));
        // the right reason at the wrong pair, then the wrong reason at the right one
        let colour_in_output = String::from_utf8(GOOD.to_vec()).unwrap().replace("[[2, 1]]", "[[2, 10]]");
        assert!(matches!(check(&one_task_case(colour_in_output.as_bytes(), wants_colour.clone())), Verdict::BadTaskNotNamed(_)));
        let ragged_input = String::from_utf8(GOOD.to_vec()).unwrap().replace("[[1, 2]]", "[[1, 2], [1]]");
        assert!(matches!(check(&one_task_case(ragged_input.as_bytes(), wants_colour)), Verdict::BadTaskNotNamed(_)));
        let colour_in_input = String::from_utf8(GOOD.to_vec()).unwrap().replace("[[1, 2]]", "[[1, 12]]");
        let named = Expected::Invalid { locator: "train pair 1: input: ".into(), reasons: COLOUR };
        assert_eq!(check(&one_task_case(colour_in_input.as_bytes(), named)), Verdict::Ok { valid: 0, invalid: 1 });
    }

    #[test]
    fn a_broken_multi_task_file_must_fail_naming_the_file() {
        let corpus = br#"{"train": {"a": {"train": [{"input": [[1]], "output": [[1]]}], "test": [{"input": [[1]]}]}}}"#;
        let case = |bytes: &[u8], whole_file_breaks| TaskCase {
            layout: Layout::Corpus,
            path: PathBuf::from("fuzz-data/corpus.json"),
            bytes: bytes.to_vec(),
            tasks: vec![("a".into(), Expected::Either)],
            whole_file_breaks,
            mutations: Vec::new(),
        };
        assert_eq!(check(&case(corpus, false)), Verdict::Ok { valid: 1, invalid: 0 });
        assert!(matches!(check(&case(corpus, true)), Verdict::BadTaskNotNamed(_)), "a break that loads is caught");
        assert_eq!(check(&case(&corpus[..40], true)), Verdict::Ok { valid: 0, invalid: 1 });
        assert!(matches!(check(&case(&corpus[..40], false)), Verdict::LostGoodTask(_)));
    }
}
