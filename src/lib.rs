//! batt: ARC solver batteries scripted in Lua. The host owns grids and tasks (`grid`,
//! `task`, `dataset`), the grid DSL (`dsl`), the Lua API (`lua`), picking the tasks
//! (`selection`), running a script over them on worker threads (`runner`, with the state
//! Lua shares in `run`, and `record`, `progress`), what a run prints and writes (`summary`,
//! `output`, `millis`), the batch engine (`engine`, `gpu`), showing results (`report`,
//! `show`, `palette`), merging shards (`shard`), comparing runs (`diff`), listing tasks (`task_list`), watch mode, benchmarks, the fuzz harness (`fuzz`) and the command
//! line (`cli`, `commands`).

pub mod bench;
pub mod cli;
pub mod commands;
pub mod dataset;
pub mod diff;
pub mod dsl;
pub mod engine;
pub mod fuzz;
pub mod gpu;
pub mod grid;
pub mod lua;
pub mod millis;
pub mod output;
pub mod palette;
pub mod progress;
pub mod record;
pub mod report;
pub mod run;
pub mod runner;
pub mod selection;
pub mod shard;
pub mod show;
pub mod summary;
pub mod task;
pub mod task_list;
pub mod watch;
