//! The end-of-run summary: how many tasks ran, failed, timed out or were malformed, how
//! many were solved on their train pairs, how many test outputs were predicted right in
//! the first attempt and in either attempt, and the time breakdown for `--timing`.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::run::record::{TaskRecord, TaskStatus};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub tasks: usize,
    pub done: usize,
    pub errors: usize,
    pub timeouts: usize,
    pub invalid: usize,
    pub not_run: usize,
    pub train_solved: usize,
    /// Test outputs whose expected grid is known.
    pub test_outputs_known: usize,
    pub test_correct_top1: usize,
    pub test_correct_top2: usize,
    /// Tasks with known outputs all of which were right in one of the two attempts.
    pub tasks_with_known_outputs: usize,
    pub tasks_correct_top2: usize,
    /// Tasks solved on their train pairs whose known test outputs were not all right in
    /// either attempt: rules that fit the train pairs without generalising.
    #[serde(default)]
    pub train_solved_test_wrong: usize,
}

impl Summary {
    pub fn of(records: &[TaskRecord]) -> Summary {
        let mut s = Summary { tasks: records.len(), ..Summary::default() };
        for r in records {
            match r.status {
                TaskStatus::Done => s.done += 1,
                TaskStatus::Error => s.errors += 1,
                TaskStatus::Timeout => s.timeouts += 1,
                TaskStatus::Invalid => s.invalid += 1,
                TaskStatus::NotRun => s.not_run += 1,
            }
            s.train_solved += r.train_solved() as usize;
            if let Some((c, k)) = r.test_correct(false) {
                s.test_correct_top1 += c;
                s.test_outputs_known += k;
            }
            if let Some((c, k)) = r.test_correct(true) {
                s.test_correct_top2 += c;
                s.tasks_with_known_outputs += 1;
                s.tasks_correct_top2 += (c == k) as usize;
                s.train_solved_test_wrong += (r.train_solved() && c < k) as usize;
            }
        }
        s
    }

    /// The summary as printed after the task lines.
    pub fn lines(&self, wall: Duration) -> Vec<String> {
        let mut out = vec![format!(
            "tasks {}: {} done, {} errors, {} timeouts, {} invalid{}",
            self.tasks,
            self.done,
            self.errors,
            self.timeouts,
            self.invalid,
            if self.not_run > 0 { format!(", {} not run", self.not_run) } else { String::new() }
        )];
        let generalised = if self.test_outputs_known > 0 {
            format!("; {} of them wrong on the test", self.train_solved_test_wrong)
        } else {
            String::new()
        };
        out.push(format!("train-solved {}/{} ({}){generalised}", self.train_solved, self.tasks, percent(self.train_solved, self.tasks)));
        if self.test_outputs_known > 0 {
            out.push(format!(
                "test outputs correct: top-1 {}/{} ({}), top-2 {}/{} ({}); tasks fully correct (top-2) {}/{}",
                self.test_correct_top1,
                self.test_outputs_known,
                percent(self.test_correct_top1, self.test_outputs_known),
                self.test_correct_top2,
                self.test_outputs_known,
                percent(self.test_correct_top2, self.test_outputs_known),
                self.tasks_correct_top2,
                self.tasks_with_known_outputs,
            ));
        } else {
            out.push("test outputs: unknown for these tasks (no solutions in the data)".to_string());
        }
        out.push(format!("wall time {:.2} s", wall.as_secs_f64()));
        out
    }
}

fn percent(n: usize, of: usize) -> String {
    if of == 0 { "-".to_string() } else { format!("{:.1}%", 100.0 * n as f64 / of as f64) }
}

/// Where a run's wall time went: load, Lua (the script running while the engine was
/// idle), engine (busy for any worker), output; these add up to `total`. The kinds of
/// work below them are every worker's time added up, so with several workers they can
/// exceed the wall time.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Timing {
    pub load_ms: f64,
    pub lua_ms: f64,
    pub engine_ms: f64,
    pub output_ms: f64,
    pub total_ms: f64,
    /// Worker threads (`-j`).
    pub workers: usize,
    /// Candidates evaluated (Lua candidates and engine batches), all workers added up.
    pub candidate_eval_ms: f64,
    /// Scoring of Lua candidates' outputs, all workers added up.
    pub scoring_ms: f64,
    /// Of `candidate_eval_ms`, the searches (`task:search`, `batt.search_all`), split by kind.
    pub search: SearchTimingMs,
}

/// Where the searches' time went, in milliseconds (see `engine::search::SearchTiming`).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub struct SearchTimingMs {
    pub device_ms: f64,
    pub transfers_ms: f64,
    pub cpu_ms: f64,
    pub host_ms: f64,
    /// Of `host_ms`, the results made whole (found programs' outputs, overlays).
    #[serde(default)]
    pub results_ms: f64,
}

impl SearchTimingMs {
    pub fn of(t: &crate::engine::search::SearchTiming) -> SearchTimingMs {
        let ms = crate::millis::rounded_ms;
        SearchTimingMs { device_ms: ms(t.device), transfers_ms: ms(t.transfers), cpu_ms: ms(t.cpu), host_ms: ms(t.host), results_ms: ms(t.results) }
    }

    pub fn total_ms(&self) -> f64 {
        self.device_ms + self.transfers_ms + self.cpu_ms + self.host_ms
    }
}

impl Timing {
    /// One line of where the time went, and a second for the searches when there were any.
    pub fn line(&self) -> String {
        let mut line = format!(
            "timing: load {:.1} ms + lua {:.1} ms + engine {:.1} ms + output {:.1} ms = {:.1} ms ({} worker{}: candidate evaluation {:.1} ms, scoring {:.1} ms, added up)",
            self.load_ms,
            self.lua_ms,
            self.engine_ms,
            self.output_ms,
            self.total_ms,
            self.workers,
            if self.workers == 1 { "" } else { "s" },
            self.candidate_eval_ms,
            self.scoring_ms
        );
        let s = &self.search;
        if s.total_ms() > 0.0 {
            line.push_str(&format!(
                "\nsearch (part of candidate evaluation): device {:.1} ms + transfers {:.1} ms + cpu evaluation {:.1} ms + host {:.1} ms (of which results {:.1} ms) = {:.1} ms",
                s.device_ms,
                s.transfers_ms,
                s.cpu_ms,
                s.host_ms,
                s.results_ms,
                s.total_ms()
            ));
        }
        line
    }
}

/// Timings of shards add up (the total is then machine time, not wall time).
impl std::ops::Add for Timing {
    type Output = Timing;

    fn add(self, o: Timing) -> Timing {
        Timing {
            load_ms: self.load_ms + o.load_ms,
            lua_ms: self.lua_ms + o.lua_ms,
            engine_ms: self.engine_ms + o.engine_ms,
            workers: self.workers.max(o.workers),
            candidate_eval_ms: self.candidate_eval_ms + o.candidate_eval_ms,
            scoring_ms: self.scoring_ms + o.scoring_ms,
            output_ms: self.output_ms + o.output_ms,
            total_ms: self.total_ms + o.total_ms,
            search: SearchTimingMs {
                device_ms: self.search.device_ms + o.search.device_ms,
                transfers_ms: self.search.transfers_ms + o.search.transfers_ms,
                cpu_ms: self.search.cpu_ms + o.search.cpu_ms,
                host_ms: self.search.host_ms + o.search.host_ms,
                results_ms: self.search.results_ms + o.search.results_ms,
            },
        }
    }
}
