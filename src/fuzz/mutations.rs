//! The mutations of the fuzz harness's tasks (`tasks`): those that keep a task good
//! (`keep_good`), those that break it and what the loader must then say (`break_task`),
//! and the byte-level ones made while writing the file (`serialize_with_byte_mutation`).

use rand::rngs::Xoshiro256PlusPlus;
use rand::RngExt;
use serde_json::{json, Value};

use crate::grid::MAX_SIDE;

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

/// The pair lists of a task object (train, then test).
pub(super) fn pairs_mut<'a>(task: &'a mut Value, key: &str) -> &'a mut Vec<Value> {
    task.get_mut(key).and_then(Value::as_array_mut).expect("a seed task has its pair lists")
}

/// One mutation that leaves a good task good.
pub(super) fn keep_good(task: &mut Value, rng: &mut Xoshiro256PlusPlus, kind: u32, mutations: &mut Vec<&'static str>) {
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
pub(super) fn random_grid(rng: &mut Xoshiro256PlusPlus) -> Value {
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

pub(super) const COLOUR: &[&str] = &["colours must be integers 0..9"];

/// One mutation that makes the task bad, and what the loader must then say.
pub(super) fn break_task(task: &mut Value, rng: &mut Xoshiro256PlusPlus, mutations: &mut Vec<&'static str>, alone: bool) -> Expected {
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

/// The file's bytes, now and then reformatted (good) or broken at the byte level: the
/// expectation such a break sets, if one did.
pub(super) fn serialize_with_byte_mutation(value: &Value, rng: &mut Xoshiro256PlusPlus, mutations: &mut Vec<&'static str>, alone: bool) -> (Vec<u8>, Option<Expected>) {
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
