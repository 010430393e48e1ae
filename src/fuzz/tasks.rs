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
use serde_json::{json, Map, Value};

use crate::dataset::{entries_from_bytes, task_file_entry, TaskEntry, EMBEDDED_ARC_AGI_1};
use crate::grid::{Grid, MAX_SIDE};
use crate::task::{Split, Task};

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

/// What the loader must make of a task.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    /// A good task: loaded with exactly these grids.
    Valid(Box<ExpectedTask>),
    /// A bad task: its message names the file and task, then `locator` (e.g. "train pair
    /// 3: output: "), then one of `reasons`.
    Invalid { locator: String, reasons: &'static [&'static str] },
    /// Either (a random byte changed): no panic, and a bad one still named.
    Either,
}

/// A grid as rows of colours.
pub type Rows = Vec<Vec<u8>>;

/// The grids a good task holds, read from its JSON without the loader's code.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedTask {
    pub train: Vec<(Rows, Rows)>,
    pub test: Vec<(Rows, Option<Rows>)>,
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

/// The pair lists of a task object (train, then test).
fn pairs_mut<'a>(task: &'a mut Value, key: &str) -> &'a mut Vec<Value> {
    task.get_mut(key).and_then(Value::as_array_mut).expect("a seed task has its pair lists")
}

/// One mutation that leaves a good task good.
fn keep_good(task: &mut Value, rng: &mut Xoshiro256PlusPlus, kind: u32, mutations: &mut Vec<&'static str>) {
    match kind {
        0 => {
            mutations.push("shuffle train pairs");
            let pairs = pairs_mut(task, "train");
            for i in (1..pairs.len()).rev() {
                pairs.swap(i, rng.random_range(0..=i));
            }
        }
        1 => {
            mutations.push("drop train pairs");
            let pairs = pairs_mut(task, "train");
            let keep = rng.random_range(1..=pairs.len());
            pairs.truncate(keep);
        }
        2 => {
            mutations.push("recolour a grid");
            let mut perm: Vec<u64> = (0..10).collect();
            for i in (1..10).rev() {
                perm.swap(i, rng.random_range(0..=i));
            }
            if let Some(grid) = random_grid_slot(task, rng) {
                for row in grid.as_array_mut().into_iter().flatten() {
                    for cell in row.as_array_mut().into_iter().flatten() {
                        if let Some(c) = cell.as_u64() {
                            *cell = json!(perm[c as usize]);
                        }
                    }
                }
            }
        }
        3 => {
            mutations.push("replace a grid by a random one");
            let grid = random_grid(rng);
            if let Some(slot) = random_grid_slot(task, rng) {
                *slot = grid;
            }
        }
        4 => {
            mutations.push("extra keys");
            let obj = task.as_object_mut().expect("a seed task is an object");
            obj.insert("name".into(), json!("fuzz ✓ ünïcödé"));
            obj.insert("meta".into(), json!({"source": [1, 2, {"deep": null}]}));
            for pair in pairs_mut(task, "train") {
                if let Some(p) = pair.as_object_mut() {
                    p.insert("note".into(), json!(rng.random_range(0..1000)));
                }
            }
        }
        5 => {
            mutations.push("drop test outputs");
            for pair in pairs_mut(task, "test") {
                if let Some(p) = pair.as_object_mut() {
                    p.remove("output");
                }
            }
        }
        6 => {
            mutations.push("thousands of train pairs");
            let pairs = pairs_mut(task, "train");
            let target = if rng.random_range(0..50) == 0 { rng.random_range(1000..=3000) } else { rng.random_range(5..=40) };
            let base = pairs.clone();
            while pairs.len() < target {
                pairs.push(base[pairs.len() % base.len()].clone());
            }
        }
        7 => {
            mutations.push("many test inputs");
            let pairs = pairs_mut(task, "test");
            let target = if rng.random_range(0..20) == 0 { rng.random_range(50..=300) } else { rng.random_range(2..=10) };
            let base = pairs.clone();
            while pairs.len() < target {
                pairs.push(base[pairs.len() % base.len()].clone());
            }
        }
        _ => {
            mutations.push("input and output keys swapped in order");
            for pair in pairs_mut(task, "train") {
                if let Some(p) = pair.as_object_mut() {
                    if let Some(input) = p.shift_remove("input") {
                        p.insert("input".into(), input);
                    }
                }
            }
        }
    }
}

/// A random valid grid, its sides weighted toward the extremes (1 and 30).
fn random_grid(rng: &mut Xoshiro256PlusPlus) -> Value {
    let side = |rng: &mut Xoshiro256PlusPlus| match rng.random_range(0..6) {
        0 => 1,
        1 => MAX_SIDE,
        _ => rng.random_range(1..=MAX_SIDE),
    };
    let (rows, cols) = (side(rng), side(rng));
    let colours = rng.random_range(1..=10u64);
    let rows: Vec<Value> = (0..rows).map(|_| Value::Array((0..cols).map(|_| json!(rng.random_range(0..colours))).collect())).collect();
    Value::Array(rows)
}

/// Where a grid lies, for a locator: the pair list, the pair (0-based) and the key.
#[derive(Debug, Clone, Copy)]
struct Slot {
    list: &'static str,
    pair: usize,
    key: &'static str,
}

impl Slot {
    fn locator(&self) -> String {
        format!("{} pair {}: {}: ", self.list, self.pair + 1, self.key)
    }
}

fn random_slot(task: &Value, rng: &mut Xoshiro256PlusPlus) -> Option<Slot> {
    let mut slots = Vec::new();
    for list in ["train", "test"] {
        for (i, pair) in task.get(list).and_then(Value::as_array).into_iter().flatten().enumerate() {
            for key in ["input", "output"] {
                if pair.get(key).is_some_and(Value::is_array) {
                    slots.push(Slot { list: if list == "train" { "train" } else { "test" }, pair: i, key: if key == "input" { "input" } else { "output" } });
                }
            }
        }
    }
    (!slots.is_empty()).then(|| slots[rng.random_range(0..slots.len())])
}

fn slot_mut(task: &mut Value, slot: Slot) -> &mut Value {
    &mut pairs_mut(task, slot.list)[slot.pair][slot.key]
}

fn random_grid_slot<'a>(task: &'a mut Value, rng: &mut Xoshiro256PlusPlus) -> Option<&'a mut Value> {
    let slot = random_slot(task, rng)?;
    Some(slot_mut(task, slot))
}

const COLOUR: &[&str] = &["colours must be integers 0..9"];

/// One mutation that makes the task bad, and what the loader must then say.
fn break_task(task: &mut Value, rng: &mut Xoshiro256PlusPlus, mutations: &mut Vec<&'static str>, alone: bool) -> Expected {
    let Some(slot) = random_slot(task, rng) else { return Expected::Either };
    let invalid = |locator: String, reasons: &'static [&'static str]| Expected::Invalid { locator, reasons };
    let kind = rng.random_range(0..14);
    match kind {
        0 => {
            mutations.push("ragged rows");
            let grid = slot_mut(task, slot).as_array_mut().expect("a grid slot holds a list");
            if grid.len() == 1 {
                grid.push(json!([0, 0]));
                if grid[0].as_array().map_or(0, Vec::len) == 2 {
                    grid[1] = json!([0]);
                }
            } else {
                let r = rng.random_range(0..grid.len());
                let row = grid[r].as_array_mut().expect("a row is a list");
                if row.len() > 1 && rng.random_bool(0.5) {
                    row.pop();
                } else {
                    row.push(json!(1));
                }
            }
            invalid(slot.locator(), &["rows must all be the same length"])
        }
        1 => {
            mutations.push("colour out of range");
            let bad = [json!(10), json!(11), json!(255), json!(256), json!(-1), json!(1_000_000_000u64), json!(u64::MAX), json!(i64::MIN)];
            let value = bad[rng.random_range(0..bad.len())].clone();
            set_random_cell(slot_mut(task, slot), rng, value);
            invalid(slot.locator(), COLOUR)
        }
        2 => {
            mutations.push("colour of the wrong type");
            let bad = [json!("3"), Value::Null, json!(true), json!(2.5), json!(1.0), json!([1]), json!({"c": 1}), json!(1e300)];
            let value = bad[rng.random_range(0..bad.len())].clone();
            set_random_cell(slot_mut(task, slot), rng, value);
            invalid(slot.locator(), COLOUR)
        }
        3 => {
            mutations.push("empty grid");
            let (grid, reason): (Value, &'static [&'static str]) = match rng.random_range(0..3) {
                0 => (json!([]), &["grid has no rows"]),
                1 => (json!([[]]), &["row 1 has no cells"]),
                _ => (json!([[], []]), &["row 1 has no cells"]),
            };
            *slot_mut(task, slot) = grid;
            invalid(slot.locator(), reason)
        }
        4 => {
            mutations.push("oversized grid");
            let (rows, cols) = match rng.random_range(0..4) {
                0 => (100, 100),
                1 => (MAX_SIDE + 1, rng.random_range(1..=MAX_SIDE)),
                2 => (rng.random_range(1..=MAX_SIDE), rng.random_range(31..=300)),
                _ => (rng.random_range(31..=150), rng.random_range(31..=150)),
            };
            *slot_mut(task, slot) = Value::Array((0..rows).map(|r| Value::Array((0..cols).map(|c| json!((r + c) % 10)).collect())).collect());
            invalid(slot.locator(), &["each side must be between 1 and 30"])
        }
        5 => {
            mutations.push("grid of the wrong type");
            let bad = [json!("[[1,2],[3,4]]"), json!(7), Value::Null, json!({"rows": [[1]]}), json!(false)];
            *slot_mut(task, slot) = bad[rng.random_range(0..bad.len())].clone();
            invalid(slot.locator(), &["a grid must be a list of rows"])
        }
        6 => {
            mutations.push("row of the wrong type");
            let grid = slot_mut(task, slot).as_array_mut().expect("a grid slot holds a list");
            let r = rng.random_range(0..grid.len());
            let bad = [json!(12), json!("0123"), Value::Null, json!({"0": 1})];
            grid[r] = bad[rng.random_range(0..bad.len())].clone();
            invalid(slot.locator(), &["must be a list of colours"])
        }
        7 => {
            mutations.push("pair list of the wrong type");
            let key = if rng.random_bool(0.5) { "train" } else { "test" };
            let bad = [json!({"0": {}}), json!("pairs"), json!(3), Value::Null];
            task[key] = bad[rng.random_range(0..bad.len())].clone();
            invalid(String::new(), &["must be a list of pairs"])
        }
        8 => {
            mutations.push("missing key");
            match rng.random_range(0..3) {
                0 => {
                    let key = if rng.random_bool(0.5) { "train" } else { "test" };
                    task.as_object_mut().expect("a seed task is an object").shift_remove(key);
                    invalid(String::new(), if key == "train" { &["missing \"train\""] } else { &["missing \"test\""] })
                }
                _ => {
                    // a test pair may lack its output; an input is always needed
                    let key = if slot.list == "train" { slot.key } else { "input" };
                    pairs_mut(task, slot.list)[slot.pair].as_object_mut().expect("a pair is an object").shift_remove(key);
                    let reasons: &'static [&'static str] = if key == "input" { &["missing \"input\""] } else { &["missing \"output\""] };
                    invalid(format!("{} pair {}: ", slot.list, slot.pair + 1), reasons)
                }
            }
        }
        9 => {
            mutations.push("empty pair list");
            if rng.random_bool(0.5) {
                task["train"] = json!([]);
                invalid(String::new(), &["no train pairs"])
            } else {
                task["test"] = json!([]);
                invalid(String::new(), &["no test inputs"])
            }
        }
        10 => {
            mutations.push("pair of the wrong type");
            let bad = [json!(5), json!([1, 2]), json!("pair"), Value::Null];
            pairs_mut(task, slot.list)[slot.pair] = bad[rng.random_range(0..bad.len())].clone();
            invalid(format!("{} pair {}: ", slot.list, slot.pair + 1), &["missing \"input\""])
        }
        11 => {
            mutations.push("task of the wrong type");
            let bad = [json!([1, 2, 3]), json!("task"), json!(42), Value::Null];
            *task = bad[rng.random_range(0..bad.len())].clone();
            invalid(String::new(), &["expected an object"])
        }
        12 => {
            mutations.push("shallow nesting in a grid");
            let grid = slot_mut(task, slot);
            let mut nested = grid.take();
            for _ in 0..rng.random_range(1..=60) {
                nested = Value::Array(vec![nested]);
            }
            *grid = nested;
            invalid(slot.locator(), COLOUR)
        }
        _ if alone => {
            // deep nesting is written into the bytes (a Value that deep would overflow the
            // stack when serialized or dropped); the placeholder marks where
            mutations.push(DEEP_NESTING);
            *slot_mut(task, slot) = json!(DEEP_PLACEHOLDER);
            Expected::Invalid { locator: String::new(), reasons: &["invalid JSON: recursion limit exceeded"] }
        }
        _ => {
            mutations.push("colour out of range");
            set_random_cell(slot_mut(task, slot), rng, json!(10));
            invalid(slot.locator(), COLOUR)
        }
    }
}

/// Task ids a JSON key may be, that outputs, messages and file names must survive.
pub const ODD_IDS: &[&str] = &["", " ", "../../etc/passwd", "a\nb", "<script>alert(1)</script>", "🙂 ünï", "\"quoted\"", "nul\u{0}char", "C:\\con", "0", "train", "id with spaces and a / slash"];

const DEEP_PLACEHOLDER: &str = "\u{1}deep\u{1}";
const DEEP_NESTING: &str = "deep nesting (past the JSON depth limit)";

fn set_random_cell(grid: &mut Value, rng: &mut Xoshiro256PlusPlus, value: Value) {
    let rows = grid.as_array_mut().expect("a grid slot holds a list");
    let r = rng.random_range(0..rows.len());
    let row = rows[r].as_array_mut().expect("a row is a list");
    let c = rng.random_range(0..row.len());
    row[c] = value;
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

/// The file's bytes, now and then reformatted (good) or broken at the byte level: the
/// expectation such a break sets, if one did.
fn serialize_with_byte_mutation(value: &Value, rng: &mut Xoshiro256PlusPlus, mutations: &mut Vec<&'static str>, alone: bool) -> (Vec<u8>, Option<Expected>) {
    let mut bytes = if rng.random_range(0..4) == 0 {
        mutations.push("pretty-printed");
        serde_json::to_vec_pretty(value).expect("a JSON value serializes")
    } else {
        serde_json::to_vec(value).expect("a JSON value serializes")
    };
    let placeholder = serde_json::to_vec(&json!(DEEP_PLACEHOLDER)).expect("a string serializes");
    if let Some(at) = mutations.contains(&DEEP_NESTING).then(|| find(&bytes, &placeholder)).flatten() {
        let depth = if rng.random_range(0..20) == 0 { rng.random_range(10_000..=100_000) } else { rng.random_range(129..=2_000) };
        let mut nested = String::with_capacity(2 * depth + 1);
        nested.extend(std::iter::repeat_n('[', depth));
        nested.push('1');
        nested.extend(std::iter::repeat_n(']', depth));
        bytes.splice(at..at + placeholder.len(), nested.into_bytes());
        return (bytes, None);
    }
    let broken = match rng.random_range(0..10) {
        // a cut object or list never parses (a cut number may: "42" to "4")
        0 if matches!(bytes.first(), Some(b'{' | b'[')) => {
            mutations.push("truncated JSON");
            let cut = rng.random_range(0..bytes.len());
            bytes.truncate(cut);
            true
        }
        1 => {
            mutations.push("non-UTF-8 bytes");
            let bad: &[&[u8]] = &[b"\xff", b"\xfe\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\x80"];
            let at = rng.random_range(0..=bytes.len());
            let insert = bad[rng.random_range(0..bad.len())];
            bytes.splice(at..at, insert.iter().copied());
            true
        }
        2 if alone => {
            mutations.push("a random byte changed");
            let at = rng.random_range(0..bytes.len());
            bytes[at] = rng.random_range(0x20..0x7f);
            return (bytes, Some(Expected::Either));
        }
        _ => false,
    };
    (bytes, broken.then(|| Expected::Invalid { locator: String::new(), reasons: &["invalid JSON"] }))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
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
