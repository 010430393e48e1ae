//! The whole-run time budget of `batt run --time-budget DURATION` (the Kaggle flow): the
//! plan made from it when the run starts (the deadline, each task's fair share, the batch
//! search's budget per task, the search depth passed to the script) and the questions the
//! run asks it while it runs (may another task start? when must this one stop?). Writing
//! the complete submission.json at the end is `runner`'s; this module only plans and
//! answers, and imports nothing of the crate.

use std::time::{Duration, Instant};

/// Of the budget, the part kept for writing the outputs: 5%, at least 1 s, at most 10 min.
pub fn reserve_for(budget: Duration) -> Duration {
    (budget / 20).clamp(Duration::from_secs(1), Duration::from_secs(600))
}

/// Of the time left for searching once the task loop's own work is set aside
/// (`LOOP_SECONDS_PER_TASK`), the part the batch search (`batt.search_all`, run before the
/// task loop on every core at once) may take. On the CPU the batch was about 90% of a default run (first 100 eval
/// tasks: 29 s of 32 s), so it gets three quarters and the task loop the rest.
pub const BATCH_SEARCH_PART: f64 = 0.75;

/// A task's work in the task loop besides its search (learners, cell rules, scoring,
/// predicting), in one worker's seconds, set aside before the batch search's part: a
/// default run of the first 60 eval tasks on 2 cores took 82 ms a task on average (median
/// 51 ms, 90th percentile 154 ms). The batch search gets at least a quarter of the time
/// left, however much the loop's work would take.
pub const LOOP_SECONDS_PER_TASK: f64 = 0.1;

/// A task's fair share (one worker's wall time) at or above which the plan passes the
/// script `depth=3`: on 16 CPU cores the first 40 eval tasks took 95 s at depth 3, about
/// 38 core-seconds a task (docs/performance.md), and a search past its budget stops where
/// it is, so a short share keeps the script's default depth.
pub const DEPTH_3_SHARE: Duration = Duration::from_secs(30);

/// The plan of one run under `--time-budget`.
#[derive(Debug, Clone)]
pub struct BudgetPlan {
    /// The budget as given, counted from `since` (the start of `batt run`).
    pub budget: Duration,
    /// Kept for writing the outputs (`reserve_for`).
    pub reserve: Duration,
    /// No task starts, and every running task stops, at this instant.
    pub stop_at: Instant,
    pub tasks: usize,
    pub workers: usize,
    /// Each task's fair share when the plan was made: the time left times the workers
    /// over the tasks.
    pub share: Duration,
    /// The batch search's time: until `search_until`.
    pub search_time: Duration,
    /// The batch search stops by then (each search keeps what it found), so the task
    /// loop always has the rest. Its tasks are not given equal parts of it: on 100 eval
    /// tasks (2 cores) equal parts solved as many or fewer tasks at every budget tried
    /// (5 s: 4 against 5, 20 s: 12 against 11, 60 s: 22 against 23), and on the H200 they
    /// cut the heavy tasks' searches while the whole batch needed a third of its time
    /// (30 s on all 400 eval tasks: 86 tasks right against 97 without a budget).
    pub search_until: Instant,
    /// The depth passed to the script as `depth=N`; None: the script's default.
    pub depth: Option<usize>,
}

impl BudgetPlan {
    /// The plan for `tasks` tasks on `workers` workers of a run that began at `since` with
    /// `budget` in all, made now.
    pub fn new(budget: Duration, since: Instant, tasks: usize, workers: usize) -> BudgetPlan {
        let reserve = reserve_for(budget);
        let stop_at = since + budget.saturating_sub(reserve);
        let left = stop_at.saturating_duration_since(Instant::now());
        let (tasks, workers) = (tasks.max(1), workers.max(1));
        let share = left.mul_f64(workers.min(tasks) as f64 / tasks as f64);
        let loop_need = Duration::from_secs_f64(LOOP_SECONDS_PER_TASK * tasks as f64 / workers.min(tasks) as f64);
        let batch = left.saturating_sub(loop_need).mul_f64(BATCH_SEARCH_PART).max(left / 4);
        let search_until = Instant::now() + batch;
        let depth = (share >= DEPTH_3_SHARE).then_some(3);
        BudgetPlan { budget, reserve, stop_at, tasks, workers, share, search_time: batch, search_until, depth }
    }

    /// Whether the time for starting tasks is over.
    pub fn over(&self) -> bool {
        Instant::now() >= self.stop_at
    }

    /// When a task started at `started`, with `tasks_left` tasks (itself included) not yet
    /// started before it, must stop: the time left shared fairly among those tasks (what
    /// earlier tasks left unused goes to later ones), never past `stop_at`.
    pub fn task_deadline(&self, started: Instant, tasks_left: usize) -> Instant {
        let left = self.stop_at.saturating_duration_since(started);
        let tasks_left = tasks_left.max(1);
        let share = left.mul_f64(self.workers.min(tasks_left) as f64 / tasks_left as f64);
        (started + share).min(self.stop_at)
    }

    /// The plan in one line, for the run's header.
    pub fn line(&self, script_depth: Option<&str>) -> String {
        let depth = match (script_depth, self.depth) {
            (Some(given), _) => format!("{given} (from the script's arguments)"),
            (None, Some(d)) => format!("depth={d} (each task's share is at least {} s)", DEPTH_3_SHARE.as_secs()),
            (None, None) => format!("the script's default depth (each task's share is under {} s)", DEPTH_3_SHARE.as_secs()),
        };
        format!(
            "time budget {}: {} tasks on {} workers, searching until {:.1} s from the start ({:.1} s kept for the outputs); the batch search {:.1} s at most, each task's share {:.3} s; {depth}",
            humantime::format_duration(self.budget),
            self.tasks,
            self.workers,
            self.budget.saturating_sub(self.reserve).as_secs_f64(),
            self.reserve.as_secs_f64(),
            self.search_time.as_secs_f64(),
            self.share.as_secs_f64(),
        )
    }
}

/// `--time-budget`'s value: a humantime duration ("90s", "11h", "2h30m", "1h 15min") or a
/// bare number of seconds; more than zero.
pub fn parse_time_budget(text: &str) -> Result<Duration, String> {
    let parsed = match text.trim().parse::<f64>() {
        Ok(secs) if secs.is_finite() && secs >= 0.0 => Ok(Duration::from_secs_f64(secs)),
        Ok(_) => Err(format!("--time-budget must be a positive duration, got '{text}'")),
        Err(_) => humantime::parse_duration(text.trim())
            .map_err(|e| format!("--time-budget takes a duration such as 90s, 11h or 2h30m (or a number of seconds), got '{text}': {e}")),
    }?;
    if parsed.is_zero() {
        return Err(format!("--time-budget must be more than zero, got '{text}'"));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_every_form() {
        assert_eq!(parse_time_budget("11h"), Ok(Duration::from_secs(11 * 3600)));
        assert_eq!(parse_time_budget("2h30m"), Ok(Duration::from_secs(9000)));
        assert_eq!(parse_time_budget("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_time_budget("2.5"), Ok(Duration::from_millis(2500)));
        assert!(parse_time_budget("0s").is_err() && parse_time_budget("soon").is_err() && parse_time_budget("-3").is_err());
    }

    #[test]
    fn the_plan_shares_the_time_left_and_picks_the_depth() {
        let since = Instant::now();
        let short = BudgetPlan::new(Duration::from_secs(5), since, 100, 2);
        assert_eq!(short.reserve, Duration::from_secs(1));
        assert!(short.share <= Duration::from_millis(80) && short.depth.is_none());
        // 4 s left, 5 s of loop work: the batch gets a quarter, and ends by then
        assert!(short.search_time <= Duration::from_millis(1000) && short.search_time >= Duration::from_millis(800));
        assert!(short.search_until <= since + Duration::from_millis(1001) + since.elapsed());
        // 60 s: 3 s kept for the outputs, 5 s set aside for the loop, three quarters of the rest (52 s) for the batch
        let minute = BudgetPlan::new(Duration::from_secs(60), since, 100, 2);
        let batch = minute.search_time;
        assert!(batch >= Duration::from_millis(38_000) && batch <= Duration::from_millis(39_001), "{batch:?}");
        let long = BudgetPlan::new(Duration::from_secs(11 * 3600), since, 240, 4);
        assert_eq!(long.reserve, Duration::from_secs(600));
        assert_eq!(long.depth, Some(3));
        // the last task alone gets all the time left; none runs past stop_at
        let now = Instant::now();
        assert_eq!(short.task_deadline(now, 1), short.stop_at);
        assert!(short.task_deadline(now, 100) < short.stop_at);
    }
}
