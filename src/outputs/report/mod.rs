//! report.html: one self-contained page (inline CSS and JavaScript, grids drawn on canvases
//! from data embedded in the page, no network fetches) showing a run's summary and timing,
//! then per task its train pairs, each test input with attempts 1 and 2 and the expected
//! output when known (right/wrong marked), the programs that produced the attempts, the
//! best-scoring candidates and the task's batch-engine stats; tasks can be filtered by
//! outcome, searched by id and sorted, all in the browser. Built from results.json and the
//! tasks' data, so `batt run --report`, `batt report` and `batt merge` write the same page.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use crate::data::dataset::{Dataset, TaskEntry};
use crate::grid::Grid;
use crate::millis::rounded_ms;
use crate::outputs::files::{write_atomic, Results};
use crate::run::record::{CandidateScore, TaskRecord, TaskStatus};
use crate::data::task::{Split, Task};

const PAGE: &str = include_str!("page.html");

/// How a task came out, as the report's filters name it.
pub fn outcome(record: &TaskRecord) -> &'static str {
    match record.status {
        TaskStatus::Done => match record.test_correct(true) {
            Some((c, k)) if c == k => "solved",
            Some(_) => "wrong",
            None => "unchecked",
        },
        TaskStatus::Error => "error",
        TaskStatus::Timeout => "timeout",
        TaskStatus::Invalid => "invalid",
        TaskStatus::NotRun => "not_run",
    }
}

#[derive(Serialize)]
struct PageData<'a> {
    palette: Vec<String>,
    tasks: Vec<TaskView<'a>>,
}

#[derive(Serialize)]
struct TaskView<'a> {
    id: &'a str,
    position: usize,
    split: Option<Split>,
    status: &'static str,
    outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    ms: f64,
    candidates_tried: usize,
    best: &'a [CandidateScore],
    train_solved: bool,
    /// None when the task's data could not be found (it is then drawn without its pairs).
    train: Option<Vec<[&'a Grid; 2]>>,
    test: Vec<TestView<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    engine: Option<EngineView>,
    log: &'a [String],
}

#[derive(Serialize)]
struct TestView<'a> {
    input: Option<&'a Grid>,
    expected: Option<&'a Grid>,
    attempts: &'a [Grid],
    sources: &'a [String],
    /// Per attempt: right, wrong, or unknown (no expected output).
    correct: Vec<Option<bool>>,
}

#[derive(Serialize)]
struct EngineView {
    items: u64,
    evaluated: u64,
    batches: u64,
    cache_hits: u64,
    gpu_ms: f64,
    cpu_ms: f64,
    /// The most used ops, most first.
    ops: Vec<(String, u64)>,
}

fn task_view<'a>(record: &'a TaskRecord, task: Option<&'a Task>) -> TaskView<'a> {
    let test = (0..record.test_count.max(task.map_or(0, |t| t.test.len())))
        .map(|i| {
            let case = task.and_then(|t| t.test.get(i));
            let expected = case.and_then(|c| c.output.as_ref());
            let prediction = record.predictions.get(i);
            let attempts = prediction.map_or(&[][..], |p| &p.attempts[..]);
            TestView {
                input: case.map(|c| &c.input),
                expected,
                attempts,
                sources: prediction.map_or(&[][..], |p| &p.sources[..]),
                correct: attempts.iter().map(|a| expected.map(|e| e == a)).collect(),
            }
        })
        .collect();
    let engine = record.engine.as_ref().filter(|e| e.items_added > 0).map(|e| {
        let mut ops: Vec<(String, u64)> = e.per_op.iter().map(|(k, v)| (k.clone(), *v)).collect();
        ops.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        ops.truncate(8);
        EngineView {
            items: e.items_added,
            evaluated: e.items_evaluated,
            batches: e.batches,
            cache_hits: e.cache_hits,
            gpu_ms: rounded_ms(e.upload + e.compute + e.readback),
            cpu_ms: rounded_ms(e.cpu),
            ops,
        }
    });
    TaskView {
        id: &record.id,
        position: record.position,
        split: record.split,
        status: record.status.name(),
        outcome: outcome(record),
        error: record.error.as_deref(),
        // as results.json holds it, so a page drawn from a run and from its file agree
        ms: rounded_ms(record.ms),
        candidates_tried: record.candidates_tried,
        best: &record.best,
        train_solved: record.train_solved(),
        train: task.map(|t| t.train.iter().map(|p| [&p.input, &p.output]).collect()),
        test,
        engine,
        log: &record.log,
    }
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The page for `results`, drawing each task's grids from `dataset` when it holds the task.
pub fn render(results: &Results, dataset: Option<&Dataset>) -> Result<String> {
    let tasks: HashMap<&str, &Task> = dataset
        .map(|d| {
            d.entries
                .iter()
                .filter_map(|e| match e {
                    TaskEntry::Valid(t) => Some((t.id.as_str(), t)),
                    TaskEntry::Invalid(_) => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let data = PageData {
        palette: (0..10).map(crate::outputs::palette::css_hex).collect(),
        tasks: results.tasks.iter().map(|r| task_view(r, tasks.get(r.id.as_str()).copied())).collect(),
    };
    // `</` cannot end the script element from inside a JSON string once written as `<\/`.
    let json = serde_json::to_string(&data)?.replace("</", "<\\/");

    let wall = std::time::Duration::from_secs_f64(results.timing.total_ms.max(0.0) / 1e3);
    let mut header: Vec<String> = results.summary.lines(wall);
    if !results.merged_from.is_empty() {
        let last = header.len() - 1;
        header[last] = format!("time summed over {} shards {:.2} s", results.merged_from.len(), wall.as_secs_f64());
        header.push(format!("merged from {}", results.merged_from.join(", ")));
    }
    if let Some(shard) = results.selection.shard {
        header.push(format!("shard {shard} of a selection of {} tasks", results.selection.total));
    }
    header.push(format!("engine: {}; {}", results.backend, results.engine.line()));
    header.push(results.timing.line());
    if let Some(provenance) = &results.provenance {
        header.push(format!("run: {}", provenance.line()));
        header.push(format!("command: {}", provenance.command_line.join(" ")));
    }
    if let Some(err) = &results.script_error {
        header.push(format!("script error: {}", err.lines().next().unwrap_or("")));
    }
    let undrawn = results.tasks.iter().filter(|r| r.status != TaskStatus::Invalid && !tasks.contains_key(r.id.as_str())).count();
    if undrawn > 0 {
        header.push(format!(
            "{undrawn} tasks' grids are not drawn: their data was not found (give it with --data; the run used {})",
            results.data
        ));
    }
    let summary_html: String = header.iter().map(|l| format!("<li>{}</li>", escape_html(l))).collect();
    let title = format!("batt report: {} on {}", results.script, results.data);
    Ok(PAGE.replace("{{TITLE}}", &escape_html(&title)).replace("{{SUMMARY}}", &summary_html).replace("{{DATA}}", &json))
}

/// Writes the page atomically to `path`.
pub fn write_report(path: &Path, results: &Results, dataset: Option<&Dataset>) -> Result<()> {
    write_atomic(path, render(results, dataset)?.as_bytes())
}
