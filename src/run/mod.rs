//! Running a script over tasks: `runner` owns one run (the session, the worker threads, the
//! merged outcome and its output files), `state` is what a run shares with the Lua API
//! (the board workers deal tasks from, each worker's state, the watchdog), `record` a
//! task's record, `progress` the progress bar, `watch` the re-run on every save, `budget`
//! the plan of a run under `--time-budget`.

pub mod budget;
pub mod progress;
pub mod record;
pub mod runner;
pub mod state;
pub mod watch;
