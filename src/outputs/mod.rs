//! What a run leaves and how it is read back: `files` writes submission.json and
//! results.json atomically, `summary` the summary lines, `report` report.html, `show` one
//! task in the terminal or a PNG (in the ARC `palette`), `export` an attempt's candidate
//! as a solver file (`sources` reads a candidate's name back), `diff` compares two runs and
//! `shard` merges the outputs of sharded runs, `provenance` records where a run came from,
//! `runs` names and finds the kept runs under runs/.

pub mod diff;
pub mod export;
pub mod files;
pub mod palette;
pub mod provenance;
pub mod report;
pub mod runs;
pub mod shard;
pub mod show;
pub mod sources;
pub mod summary;
