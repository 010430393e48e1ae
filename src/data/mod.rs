//! Data in: ARC grids become tasks here. `dataset` loads every layout people keep ARC data
//! in and validates each task, `task` is the task itself, `selection` picks the tasks a run
//! takes (split, range, ids, shard), `task_list` lists them for `batt tasks`.

pub mod dataset;
pub mod selection;
pub mod task;
pub mod task_list;
