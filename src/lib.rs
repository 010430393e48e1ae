//! batt: ARC solver batteries scripted in Lua, its parts in the order data flows through a
//! run: data in (`grid`, `data`: loading, tasks, selection), running a script over the
//! tasks (`run`: the runner, its workers and watch mode; `lua`: the Lua API, with the grid
//! DSL `dsl`), the batch engine (`engine`: ops, search, the CPU executor, and everything
//! Vulkan in `engine::vulkan`), and what a run leaves (`outputs`: files, summary, report, show,
//! diff, merge); beside them the command line (`cli`, `commands`), benchmarks (`bench`),
//! the fuzz harness (`fuzz`) and durations in JSON (`millis`); with the `python` feature,
//! the Python module (`python`).

pub mod bench;
pub mod cli;
pub mod commands;
pub mod data;
pub mod dsl;
pub mod engine;
pub mod fuzz;
pub mod grid;
pub mod lua;
pub mod millis;
pub mod outputs;
pub mod run;
#[cfg(feature = "python")]
pub mod python;
