//! What a run learns about each task: its status, the candidates the script scored and how
//! well, its predictions for the test inputs and whether they were right, its timings.
//! Task records are filled while the Lua script runs and then feed the task lines (made
//! here, `task_line`), the summary, `results.json` and `submission.json`.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::engine::EngineStats;
use crate::grid::Grid;
use crate::data::task::Split;

/// How a task ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// The script ran the task to the end (whether or not it found a solution).
    Done,
    /// The script raised an error while working on the task.
    Error,
    /// The task's Lua time ran past `-t`.
    Timeout,
    /// The task's data is malformed; it was reported and not run.
    Invalid,
    /// The script finished without asking for this task.
    NotRun,
}

impl TaskStatus {
    pub fn name(self) -> &'static str {
        match self {
            TaskStatus::Done => "done",
            TaskStatus::Error => "error",
            TaskStatus::Timeout => "timeout",
            TaskStatus::Invalid => "invalid",
            TaskStatus::NotRun => "not run",
        }
    }
}

/// A candidate's score over the task's train pairs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateScore {
    pub name: String,
    /// Train pairs reproduced exactly.
    pub pairs_exact: usize,
    pub pairs: usize,
    /// Train pairs whose output had the expected shape.
    pub shapes_matched: usize,
    /// Mean over train pairs of the fraction of cells right (0 for a wrong shape or an error).
    pub cell_accuracy: f64,
    /// The first error the candidate raised, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl CandidateScore {
    pub fn solves_train(&self) -> bool {
        self.pairs > 0 && self.pairs_exact == self.pairs
    }

    /// A single number for ranking: exact pairs first, then cell accuracy.
    pub fn value(&self) -> f64 {
        if self.pairs == 0 {
            return 0.0;
        }
        if self.solves_train() { 1.0 } else { self.cell_accuracy.min(0.999_999) }
    }
}

/// A candidate ranked above an attempt's that did not make one, and why.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PassedOver {
    pub name: String,
    pub reason: String,
}

/// Where an attempt's candidate stood in the ranking that chose it (scripts/lib/predict.lua):
/// the ranking's keys in the order they decide, and what the candidate is made of.
/// serde's default for a term that holds unless recorded otherwise.
fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RankTerms {
    /// Its place in the ranking (1: the best candidate).
    pub rank: usize,
    /// Exact on every train pair (score value 1), the first key.
    pub exact: bool,
    /// A rule that keeps a test input's cells where it meets a case no train pair showed
    /// (exact on the train pairs by construction): it ranks with the inexact candidates.
    #[serde(default)]
    pub guesses: bool,
    /// Its test outputs follow the colour rule every train pair follows (only the input's
    /// colours and those train outputs add; all of the input's where every train output
    /// keeps its input's), the second key among the leading candidates.
    #[serde(default = "yes")]
    pub palette: bool,
    /// A per-cell rule with at least as many cases as the smallest train output has cells
    /// (it could memorise one), the second key: such rules come after the others.
    #[serde(default)]
    pub memorises: bool,
    /// Its test outputs have the sizes the train pairs predict (or no size is predicted).
    pub sized: bool,
    pub pairs_exact: usize,
    pub pairs: usize,
    /// The score value: 1 when exact, else the cell accuracy over the train pairs.
    pub value: f64,
    /// Its place in the order the candidates were gathered, the last key.
    pub tried: usize,
    /// A per-cell rule's cases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cases: Option<usize>,
    /// A search program's steps (an overlay: its deepest layer's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<usize>,
    /// An overlay's layers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layers: Option<usize>,
}

/// Up to two attempts for one test input, and whether they match the known output.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TestPrediction {
    pub attempts: Vec<Grid>,
    /// Candidates that produced the attempts, when the script said.
    pub sources: Vec<String>,
    /// Candidates ranked above the attempts' that the script passed over, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passed_over: Vec<PassedOver>,
    /// Each attempt's place and terms in the ranking, when the script said.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<RankTerms>,
    /// None when the output is unknown.
    pub correct_top1: Option<bool>,
    pub correct_top2: Option<bool>,
}

/// What a task's search (`task:search`) tried: its alphabet's size (single steps, each
/// parameter value one), its limits, and what the search did. The last search when a
/// script searches a task more than once.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchRecord {
    pub alphabet: usize,
    pub depth: usize,
    /// Step applications (candidates times train inputs).
    pub evaluated: usize,
    /// Distinct programs kept.
    pub kept: usize,
    pub duplicates: usize,
}

/// Time spent on one task, by kind of work.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TaskTimings {
    pub total: Duration,
    pub candidate_eval: Duration,
    pub scoring: Duration,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskRecord {
    pub id: String,
    /// 0-based place in the run's whole selection (a shard's tasks keep their place, so
    /// `batt merge` can put shards back in order).
    pub position: usize,
    pub split: Option<Split>,
    pub status: TaskStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub candidates_tried: usize,
    /// The best candidates, best first (at most `BEST_KEPT`).
    pub best: Vec<CandidateScore>,
    pub predictions: Vec<TestPrediction>,
    /// Number of test inputs the task has (predictions may be fewer when the script gave none).
    pub test_count: usize,
    #[serde(with = "crate::millis")]
    pub ms: Duration,
    #[serde(with = "crate::millis")]
    pub candidate_eval_ms: Duration,
    #[serde(with = "crate::millis")]
    pub scoring_ms: Duration,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub log: Vec<String>,
    /// What the batch engine did for this task (left out of results.json when nothing).
    #[serde(default, skip_serializing_if = "engine_idle")]
    pub engine: Option<EngineStats>,
    /// What its search tried, when the script searched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search: Option<SearchRecord>,
}

/// How many of the best candidates a record keeps.
pub const BEST_KEPT: usize = 5;

impl TaskRecord {
    pub fn new(id: &str, position: usize, split: Option<Split>, test_count: usize) -> TaskRecord {
        TaskRecord {
            id: id.to_string(),
            position,
            split,
            status: TaskStatus::NotRun,
            error: None,
            candidates_tried: 0,
            best: Vec::new(),
            predictions: Vec::new(),
            test_count,
            ms: Duration::ZERO,
            candidate_eval_ms: Duration::ZERO,
            scoring_ms: Duration::ZERO,
            log: Vec::new(),
            engine: None,
            search: None,
        }
    }

    /// Adds a scored candidate, keeping the best `BEST_KEPT` (stable: earlier wins ties).
    pub fn add_candidate(&mut self, score: CandidateScore) {
        self.candidates_tried += 1;
        let pos = self.best.iter().position(|b| score.value() > b.value()).unwrap_or(self.best.len());
        if pos < BEST_KEPT {
            self.best.insert(pos, score);
            self.best.truncate(BEST_KEPT);
        }
    }

    pub fn best_score(&self) -> Option<f64> {
        self.best.first().map(CandidateScore::value)
    }

    /// Whether the task's best candidate reproduces every train pair; a task that ran out
    /// of time is not solved, whatever it found before.
    pub fn train_solved(&self) -> bool {
        self.status != TaskStatus::Timeout && self.best.first().is_some_and(CandidateScore::solves_train)
    }

    /// (correct, known) test outputs, counting attempt 1 only or both attempts.
    pub fn test_correct(&self, top2: bool) -> Option<(usize, usize)> {
        let mut known = 0;
        let mut correct = 0;
        for p in &self.predictions {
            let c = if top2 { p.correct_top2 } else { p.correct_top1 };
            if let Some(c) = c {
                known += 1;
                correct += c as usize;
            }
        }
        (known > 0).then_some((correct, known))
    }
}

/// Whether a task's engine stats say the engine did nothing for it.
fn engine_idle(stats: &Option<EngineStats>) -> bool {
    stats.as_ref().is_none_or(|s| *s == EngineStats::default())
}

/// One line per task: position, id, status, candidates tried, best train score,
/// train-solved, test outputs right (attempt 1 or 2) where known, time, and the candidate
/// behind attempt 1 (of the first test input) or the error.
pub fn task_line(position: usize, total: usize, r: &TaskRecord) -> String {
    let width = total.to_string().len();
    let best = r.best_score().map_or("    -".to_string(), |s| format!("{s:.3}"));
    let test = match r.test_correct(true) {
        Some((c, k)) => format!("{c}/{k}"),
        None => "?".to_string(),
    };
    let mut line = format!(
        "{:>width$}/{total} {:<8} {:<7} cands {:>4}  best {best}  train {:<3}  test {:<5} {:>8.1} ms",
        position + 1,
        r.id,
        r.status.name(),
        r.candidates_tried,
        if r.train_solved() { "yes" } else { "no" },
        test,
        r.ms.as_secs_f64() * 1e3,
    );
    if let Some(source) = r.predictions.first().and_then(|p| p.sources.first()) {
        line.push_str("  by ");
        line.push_str(&shortened(source, SOURCE_WIDTH));
    }
    if let Some(err) = &r.error {
        line.push_str("  ");
        line.push_str(err.lines().next().unwrap_or(""));
    }
    line
}

/// How much of attempt 1's source a task line shows.
const SOURCE_WIDTH: usize = 64;

fn shortened(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(width - 1).collect::<String>())
    }
}
